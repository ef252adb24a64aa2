"""HourfleetWorld: the hourfleet profile inside one sandbox. Each public method is one atomic operation."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from fixtures.hourfleet import utc_timestamp
from mockserver.engine import replica
from mockserver.engine.errors import Conflict, Forbidden, NotFound
from mockserver.engine.sandbox import atomic
from mockserver.engine.writes import write

from . import bookings, cars, events, oauth, state, subscriptions, views
from .contract import NAME
from .records import OPS, USER, Booking, Caller, Car, CarShare, ClientApplication, User
from .search import RowOrder, SearchQuery, embeds_of, search, search_ordered
from .views import CAR_SEARCH, USER_SEARCH

if TYPE_CHECKING:
    from mockserver.engine.sandbox import Sandbox
    from mockserver.engine.tokens import Grant


def client_credentials_for(sandbox_id: str, app_name: str) -> tuple[str, str]:
    """A client application's id and secret: stable for a sandbox id, so the default's can be documented."""
    digest = hashlib.sha256(f"fleetbox/{sandbox_id}/hourfleet/{app_name}".encode()).hexdigest()
    return f"hf-{digest[:16]}", digest[16:48]


def load_world(document: dict, sandbox: Sandbox) -> HourfleetWorld:
    """Build a world from a state document, or raise `Unprocessable` naming the first inconsistency."""
    return HourfleetWorld(sandbox, *state.load(document))


class HourfleetWorld:
    """A car share's users, cars, bookings and client applications; handlers call only the methods below."""

    def __init__(
        self,
        sandbox: Sandbox,
        car_share: CarShare,
        apps: list[tuple[str, str]],
        users: dict[str, User],
        cars_: dict[str, Car],
        bookings_: dict[str, Booking],
    ) -> None:
        self.sandbox = sandbox
        self.car_share = car_share
        self.clients: dict[str, ClientApplication] = {}
        for name, redirect_uri in apps:
            client_id, secret = client_credentials_for(sandbox.id, name)
            self.clients[client_id] = ClientApplication(name, redirect_uri, client_id, secret)
        self.users = users
        self.cars = cars_
        self.bookings = bookings_
        self.used_codes: set[str] = set()
        # ETags: a counter per resource and collection, bumped by every write that changes what it shows.
        # The sandbox's epoch keeps a rebuilt world from repeating an old world's ETags.
        self.versions: dict[str, int] = {}
        # What car writes and searches look up instead of reading every car: plates, and the search order
        # by each property it was sorted by (built on first use; replayed writes keep both alike).
        self.plates = cars.plates_of(cars_)
        self.car_order = RowOrder()

    def __getstate__(self) -> dict:
        # Users, cars and bookings as columns, not an object per record (and per date): a snapshot of 100,000
        # cars took a quarter of a minute. Plates are rebuilt from the cars.
        held = {name: value for name, value in self.__dict__.items() if name not in ("users", "cars", "bookings")}
        held["tables"] = state.pack_tables(self.users, self.cars, self.bookings)
        del held["plates"]
        return held

    def __setstate__(self, held: dict) -> None:
        tables = held.pop("tables", None)
        self.__dict__.update(held)
        if tables is not None:  # else a snapshot from before columns: the tables came as objects
            self.users, self.cars, self.bookings = state.unpack_tables(tables)
            self.plates = cars.plates_of(self.cars)

    # --- what the engine asks of every world -------------------------------------------------

    def credential_keys(self) -> list[str]:
        return list(self.clients)

    @atomic
    def credentials(self) -> dict:
        return {
            "client_applications": [
                {"client_id": c.client_id, "client_secret": c.client_secret, "redirect_uri": c.redirect_uri}
                for c in self.clients.values()
            ],
            "users": [{"username": u.username, "password": u.password, "role": u.role} for u in self.users.values()],
        }

    @atomic
    def export(self) -> dict:
        return state.export(self.car_share, self.clients, self.users, self.cars, self.bookings)

    # --- versions (ETags) ----------------------------------------------------------------------

    def _bump(self, *keys: str) -> None:
        for key in keys:
            self.versions[key] = self.versions.get(key, 0) + 1

    @atomic
    def version_of(self, *keys: str) -> str:
        return self.sandbox.epoch + "/" + "/".join(f"{key}={self.versions.get(key, 0)}" for key in keys)

    # --- OAuth ---------------------------------------------------------------------------------

    @write
    def issue_token(self, body: dict, code: Grant | None = None, refresh_grant: Grant | None = None) -> dict:
        return oauth.issue(self.sandbox, self.clients, self.users, self.used_codes, body, code, refresh_grant)

    @atomic
    def check_client(self, client_id: str, redirect_uri: str) -> ClientApplication:
        return oauth.registered_client(self.clients, client_id, redirect_uri)

    @write
    def authorize(self, client_id: str, redirect_uri: str, username: str, password: str) -> str:
        client = self.check_client(client_id, redirect_uri)
        return oauth.authorize(self.sandbox, client, oauth.login(self.users, username, password), redirect_uri)

    # --- user accounts ---------------------------------------------------------------------------

    def _user_view(self, user: User, embeds: frozenset[str]) -> dict:
        owned = [car for car in self.cars.values() if car.owner_id == user.id] if embeds else []
        return views.user_view(user, owned, embeds)

    @atomic
    def search_users(self, caller: Caller, query: SearchQuery, embed: str | None = None) -> dict:
        embeds = embeds_of(embed, "UserAccount", views.USER_EMBEDS, single=False)
        users = self.users.values() if caller.is_ops() or caller.user_id is None else [self.users[caller.user_id]]
        rows, metadata = search([self._user_view(u, embeds) for u in users], USER_SEARCH, query)
        return {"UserAccounts": rows, "Metadata": metadata}

    @atomic
    def get_user(self, caller: Caller, user_id: str, embed: str | None = None) -> dict:
        embeds = embeds_of(embed, "UserAccount", views.USER_EMBEDS, single=True)
        user = self.users.get(user_id.lower())
        if user is None:
            raise NotFound(f"No user account with Id '{user_id}'.")
        if caller.user_id is not None and not caller.is_ops() and caller.user_id != user.id:
            raise Forbidden("A user may only read their own account.")
        return {"UserAccount": self._user_view(user, embeds)}

    @write
    def create_user(self, body: dict, request_id: str | None) -> dict:
        if any(u.username.casefold() == body["Username"].casefold() for u in self.users.values()):
            raise Conflict(f"The username '{body['Username']}' is already taken.")
        user = User(
            replica.new_uuid(),
            body["Username"],
            body["Password"],
            body["FirstName"],
            body["LastName"],
            body["Username"],
            USER,
            self.sandbox.clock.tick(),
        )
        self.users[user.id] = user
        self._bump("users", f"user:{user.id}")
        created = {"Name": events.USERACCOUNT_CREATE, "Id": user.id, "Username": user.username}
        self._publish(events.USERACCOUNT_CREATE, created, request_id)
        return {"UserAccount": views.user_view(user)}

    # --- cars ------------------------------------------------------------------------------------

    def _reorder(self, car: Car) -> None:
        self.car_order.update(views.car_view(car, frozenset()))

    def car(self, car_id: str) -> Car:
        return cars.find(self.cars, car_id)

    @atomic
    def search_cars(self, query: SearchQuery, embed: str | None) -> dict:
        embeds = embeds_of(embed, "Car", views.CAR_EMBEDS, single=False)
        rows, metadata = search_ordered(
            self.car_order,
            lambda: [CarRow(car) for car in self.cars.values()],
            lambda car_id: views.car_view(self.cars[car_id], embeds),
            CAR_SEARCH,
            query,
        )
        return {"Cars": rows, "Metadata": metadata}

    @atomic
    def get_car(self, car_id: str, embed: str | None) -> dict:
        return {"Car": views.car_view(self.car(car_id), embeds_of(embed, "Car", views.CAR_EMBEDS, single=True))}

    @write
    def create_car(self, caller: Caller, body: dict) -> dict:
        car = cars.create(self.cars, self.plates, caller, body, self.sandbox.clock)
        self._reorder(car)
        self._bump("cars", f"car:{car.id}")
        return {"Car": views.car_view(car)}

    @write
    def update_car(self, caller: Caller, car_id: str, body: dict) -> dict:
        car = cars.update(self.cars, self.plates, caller, car_id, body, self.sandbox.clock)
        self._reorder(car)
        self._bump("cars", f"car:{car.id}")
        return {"Car": views.car_view(car)}

    @write
    def delete_car(self, caller: Caller, car_id: str) -> None:
        car, self.bookings = cars.remove(self.cars, self.plates, self.bookings, caller, car_id)
        self.car_order.drop(car.id)
        self._bump("cars", f"car:{car.id}", f"bookings:{car.id}")

    @write
    def set_lock(self, caller: Caller, car_id: str, locked: bool) -> dict:
        car = cars.set_lock(self.cars, self.bookings, caller, car_id, locked, self.sandbox.clock)
        self._reorder(car)
        self._bump("cars", f"car:{car.id}")
        return {"Car": views.car_view(car)}

    # --- bookings ----------------------------------------------------------------------------------

    @atomic
    def search_bookings(
        self,
        caller: Caller,
        car_id: str,
        states: list[str] | None,
        from_utc: str,
        to_utc: str,
        query: SearchQuery,
        embed: str | None,
    ) -> dict:
        car = self.car(car_id)
        return bookings.search_car(self.bookings, self.users, caller, car, states, from_utc, to_utc, query, embed)

    @atomic
    def get_booking(self, caller: Caller, car_id: str, booking_id: str, embed: str | None) -> dict:
        return bookings.get(self.bookings, self.users, caller, self.car(car_id), booking_id, embed)

    @write
    def create_booking(self, caller: Caller, car_id: str, body: dict) -> dict:
        car = self.car(car_id)
        booking = bookings.request(self.bookings, caller, car, body, self.sandbox.clock, replica.rng())
        self._bump(f"bookings:{car.id}", f"booking:{booking.id}", f"car:{car.id}")
        return {"CarBooking": views.booking_view(booking)}

    @write
    def act_on_booking(
        self,
        caller: Caller,
        car_id: str,
        booking_id: str,
        action: str,
        request_id: str | None,
        new_end: str | None = None,
    ) -> dict:
        car = self.car(car_id)
        booking, event = bookings.act_on(self.bookings, caller, car, booking_id, action, new_end, self.sandbox.clock)
        self._bump(f"bookings:{car.id}", f"booking:{booking.id}", f"car:{car.id}")
        if event is not None:
            self._publish(event, bookings.announcement(event, booking, car), request_id)
        return {"CarBooking": views.booking_view(booking)}

    # --- webhooks ------------------------------------------------------------------------------------

    @write
    def subscribe(self, body: dict) -> dict:
        subscription = subscriptions.subscribe(self.sandbox.webhooks, self.car_share.tenant, body)
        self._bump("webhooks", f"webhook:{subscription.id}")
        return {"WebhookSubscription": views.subscription_view(subscription)}

    @atomic
    def search_subscriptions(self, query: SearchQuery) -> dict:
        return subscriptions.search_all(self.sandbox.webhooks, self.car_share.tenant, query)

    @atomic
    def get_subscription(self, subscription_id: str) -> dict:
        subscription = subscriptions.find(self.sandbox.webhooks, self.car_share.tenant, subscription_id)
        return {"WebhookSubscription": views.subscription_view(subscription)}

    @write
    def unsubscribe(self, subscription_id: str) -> None:
        subscription = subscriptions.find(self.sandbox.webhooks, self.car_share.tenant, subscription_id)
        self.sandbox.webhooks.unsubscribe(subscription.id)
        self._bump("webhooks", f"webhook:{subscription.id}")

    def _publish(self, event: str, payload: dict, request_id: str | None) -> None:
        self.sandbox.publish(NAME, event, self.car_share.tenant, payload, request_id)


class CarRow:
    """A car as the search index reads it when it is built: one property at a time, as `views.car_view` shows it
    (the whole view of each of 100,000 cars made the first search take seconds)."""

    __slots__ = ("car",)
    ATTRIBUTES = {
        "Id": "id",
        "OwnerId": "owner_id",
        "Make": "make",
        "Model": "model",
        "Year": "year",
        "Color": "color",
        "LicensePlate": "license_plate",
        "Seats": "seats",
        "PricePerHour": "price_per_hour",
        "Suburb": "suburb",
        "IsLocked": "is_locked",
    }
    DATES = {"CreatedDateUtc": "created", "LastModifiedDateUtc": "modified"}

    def __init__(self, car: Car) -> None:
        self.car = car

    def get(self, name: str, default=None):
        attribute = self.ATTRIBUTES.get(name)
        if attribute is not None:
            value = getattr(self.car, attribute)
        elif name in self.DATES:
            instant = getattr(self.car, self.DATES[name])
            value = utc_timestamp(instant) if instant is not None else None
        else:
            value = views.car_view(self.car, frozenset()).get(name)
        return default if value is None else value

    def __getitem__(self, name: str):
        value = self.get(name)
        if value is None:  # as the view: a property without a value is not there
            raise KeyError(name)
        return value


__all__ = ["CarRow", "HourfleetWorld", "OPS", "USER"]
