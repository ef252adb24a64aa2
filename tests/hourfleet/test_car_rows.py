"""The rows the car search index is built from read each property as the car's view shows it."""

from __future__ import annotations

from datetime import UTC, datetime

from mockserver.engine.registry import SandboxRegistry
from mockserver.hourfleet import PROFILE as HOURFLEET
from mockserver.hourfleet.views import CAR_SEARCH, car_view
from mockserver.hourfleet.world import CarRow


def test_a_car_row_reads_every_property_as_the_view_has_it():
    world = SandboxRegistry({"hourfleet": HOURFLEET.worlds}).create("rows", seed=2, size=40).world("hourfleet")
    cars = list(world.cars.values())
    cars[0].color, cars[1].seats, cars[2].modified = None, None, datetime(2026, 5, 1, 8, 30, 0, 250000, tzinfo=UTC)
    names = {*CAR_SEARCH.properties, *CAR_SEARCH.sortable, "Rating", "Nothing"}
    for car in cars:
        view, row = car_view(car, frozenset()), CarRow(car)
        for name in names:
            assert row.get(name) == view.get(name), name
            assert row.get(name, "absent") == view.get(name, "absent"), name
        assert row["Id"] == view["Id"]
