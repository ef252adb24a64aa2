"""/cars/{Id}/bookings: search, read, request, and the lifecycle actions."""

from __future__ import annotations

from datetime import timedelta

from fixtures.hourfleet import utc_timestamp

from . import answer, cached, created, request_id, search_query, session

# The documented default date range of a booking search, around now on the sandbox clock.
DEFAULT_RANGE = timedelta(days=90)


def search_car_bookings(
    token_info: dict,
    Id: str,
    States: list[str] | None = None,
    FromUtc: str | None = None,
    ToUtc: str | None = None,
    Embed: str | None = None,
    Sort=None,
    Filter=None,
    Limit=0,
    Offset=0,
    Distinct=None,
):
    world, caller = session(token_info)
    now = world.sandbox.now()
    start = FromUtc or utc_timestamp(now - DEFAULT_RANGE)
    end = ToUtc or utc_timestamp(now + DEFAULT_RANGE)
    car_id = Id.lower()
    return cached(
        world,
        caller,
        (f"bookings:{car_id}", f"car:{car_id}", "users"),
        lambda: world.search_bookings(
            caller, Id, States, start, end, search_query(Sort, Filter, Limit, Offset, Distinct), Embed
        ),
    )


def get_car_booking(token_info: dict, Id: str, BookingId: str, Embed: str | None = None):
    world, caller = session(token_info)
    # A booking embeds its car and its borrower's profile: a write to either changes what it shows.
    keys = (f"booking:{BookingId.lower()}", f"car:{Id.lower()}", "users")
    return cached(world, caller, keys, lambda: world.get_booking(caller, Id, BookingId, Embed))


def create_car_booking(token_info: dict, Id: str, body: dict):
    world, caller = session(token_info)
    booking = world.create_booking(caller, Id, body)["CarBooking"]
    return created({"CarBooking": booking}, f"/cars/{booking['CarId']}/bookings/{booking['Id']}")


def _action(name: str):
    def act(token_info: dict, Id: str, BookingId: str, body: dict | None = None):
        world, caller = session(token_info)
        new_end = (body or {}).get("EndDateUtc")
        return answer(world.act_on_booking(caller, Id, BookingId, name, request_id(), new_end), 202)

    act.__name__ = f"{name}_car_booking"
    return act


approve_car_booking = _action("approve")
decline_car_booking = _action("decline")
cancel_car_booking = _action("cancel")
use_car_booking = _action("use")
extend_car_booking = _action("extend")
return_car_booking = _action("return")
complete_car_booking = _action("complete")
