"""A car share's cars: listing, changing, locking and removing one, and who may do each."""

from __future__ import annotations

from collections.abc import Mapping

from mockserver.engine import replica
from mockserver.engine.clock import VirtualClock
from mockserver.engine.errors import Conflict, Forbidden, NotFound

from .records import HOLDING, Booking, Caller, Car

# The request properties a PATCH may change, and the attribute of `Car` each sets.
UPDATABLE = {
    "Color": "color",
    "LicensePlate": "license_plate",
    "Seats": "seats",
    "PricePerHour": "price_per_hour",
    "Suburb": "suburb",
}


def find(cars: Mapping[str, Car], car_id: str) -> Car:
    car = cars.get(car_id.lower())
    if car is None:
        raise NotFound(f"No car with Id '{car_id}'.")
    return car


def owned(cars: Mapping[str, Car], caller: Caller, car_id: str) -> Car:
    """The car, if the caller is its owner or an operator."""
    car = find(cars, car_id)
    if caller.user_id != car.owner_id and not caller.is_ops():
        raise Forbidden("Only the car's owner or an operator may change it.")
    return car


def folded_plate(plate: str) -> str:
    """Plates compare without spaces and hyphens, in any case: `AB-12 3` is `ab123`."""
    return plate.replace(" ", "").replace("-", "").casefold()


def plates_of(cars: Mapping[str, Car]) -> dict[str, str]:
    """Folded plate -> the id of the car that has it (loading refuses two cars with one plate)."""
    return {folded_plate(car.license_plate): car.id for car in cars.values()}


def _check_plate(plates: Mapping[str, str], plate: str, car_id: str | None = None) -> None:
    holder = plates.get(folded_plate(plate))
    if holder is not None and holder != car_id:
        raise Conflict(f"Another car of the car share has the license plate '{plate}'.")


def create(cars: dict[str, Car], plates: dict[str, str], caller: Caller, body: dict, clock: VirtualClock) -> Car:
    """A new car of the caller's, listed with the request's properties."""
    _check_plate(plates, body["LicensePlate"])
    stamp = clock.tick()
    car = Car(
        replica.new_uuid(),
        caller.user_id or "",
        body["Make"],
        body["Model"],
        body["Year"],
        body["LicensePlate"],
        stamp,
        stamp,
        body.get("Color"),
        body.get("Seats"),
        body.get("PricePerHour"),
        body.get("Suburb"),
    )
    cars[car.id] = car
    plates[folded_plate(car.license_plate)] = car.id
    return car


def update(
    cars: Mapping[str, Car], plates: dict[str, str], caller: Caller, car_id: str, body: dict, clock: VirtualClock
) -> Car:
    car = owned(cars, caller, car_id)
    if "LicensePlate" in body:
        _check_plate(plates, body["LicensePlate"], car.id)
        del plates[folded_plate(car.license_plate)]
        plates[folded_plate(body["LicensePlate"])] = car.id
    for name, attribute in UPDATABLE.items():
        if name in body:
            setattr(car, attribute, body[name])
    car.modified = clock.tick()
    return car


def remove(
    cars: dict[str, Car], plates: dict[str, str], bookings: Mapping[str, Booking], caller: Caller, car_id: str
) -> tuple[Car, dict[str, Booking]]:
    """Delete the car; answers it and the bookings left (those of other cars)."""
    car = owned(cars, caller, car_id)
    if any(b.car_id == car.id and b.state in HOLDING for b in bookings.values()):
        raise Conflict("The car has an approved or in-use booking; cancel or complete it first.")
    left = {key: b for key, b in bookings.items() if b.car_id != car.id}
    del cars[car.id]
    del plates[folded_plate(car.license_plate)]
    return car, left


def set_lock(
    cars: Mapping[str, Car],
    bookings: Mapping[str, Booking],
    caller: Caller,
    car_id: str,
    locked: bool,
    clock: VirtualClock,
) -> Car:
    car = find(cars, car_id)
    borrowing = any(
        b.car_id == car.id and b.state == "InUse" and b.borrower_id == caller.user_id for b in bookings.values()
    )
    if caller.user_id != car.owner_id and not caller.is_ops() and not borrowing:
        raise Forbidden("Only the car's owner, its current borrower or an operator may lock or unlock it.")
    car.is_locked = locked
    car.modified = clock.tick()
    return car
