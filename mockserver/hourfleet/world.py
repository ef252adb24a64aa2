"""HourfleetWorld: the hourfleet profile inside one sandbox. Each public method is one atomic operation."""

from __future__ import annotations

import hashlib
import random
import secrets
import uuid
from typing import TYPE_CHECKING

from fixtures.hourfleet import parse_utc_timestamp
from mockserver.engine.errors import Conflict, Forbidden, NotFound
from mockserver.engine.sandbox import atomic

from . import bookings, events, oauth, state, views
from .errors import OAuthError
from .records import HOLDING, OPS, USER, Booking, Caller, Car, CarShare, ClientApplication, User
from .search import SearchQuery, embeds_of, search
from .views import BOOKING_SEARCH, CAR_SEARCH, SUBSCRIPTION_SEARCH, USER_SEARCH

if TYPE_CHECKING:
    from mockserver.engine.sandbox import Sandbox
    from mockserver.engine.tokens import Grant

from .contract import NAME

UPDATABLE = {
    "Color": "color",
    "LicensePlate": "license_plate",
    "Seats": "seats",
    "PricePerHour": "price_per_hour",
    "Suburb": "suburb",
}


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
        cars: dict[str, Car],
        bookings_: dict[str, Booking],
    ) -> None:
        self.sandbox = sandbox
        self.car_share = car_share
        self.clients: dict[str, ClientApplication] = {}
        for name, redirect_uri in apps:
            client_id, secret = client_credentials_for(sandbox.id, name)
            self.clients[client_id] = ClientApplication(name, redirect_uri, client_id, secret)
        self.users = users
        self.cars = cars
        self.bookings = bookings_
        self.used_codes: set[str] = set()
        self.random = random.Random(secrets.randbits(64))
        # ETags: a counter per resource and collection, bumped by every write that changes what it shows.
        # The epoch keeps a rebuilt world from repeating an old world's ETags.
        self.epoch = secrets.token_hex(4)
        self.versions: dict[str, int] = {}

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
        return self.epoch + "/" + "/".join(f"{key}={self.versions.get(key, 0)}" for key in keys)

    # --- OAuth ---------------------------------------------------------------------------------

    @atomic
    def issue_token(self, body: dict, code: Grant | None = None, refresh_grant: Grant | None = None) -> dict:
        client = oauth.client_of(self.clients, body.get("client_id"), body.get("client_secret"))
        grant_type = body["grant_type"]
        if grant_type == "client_credentials":
            return oauth.client_credentials(self.sandbox, client)
        if grant_type == "authorization_code":
            if code is None:
                raise OAuthError("invalid_grant", "The authorization code is not known.")
            redirect_uri = body.get("redirect_uri")
            return oauth.exchange_code(self.sandbox, self.users, self.used_codes, client, code, redirect_uri)
        if refresh_grant is None:
            raise OAuthError("invalid_grant", "The refresh token is not known.")
        return oauth.refresh(self.sandbox, self.users, client, refresh_grant)

    @atomic
    def check_client(self, client_id: str, redirect_uri: str) -> ClientApplication:
        client = self.clients.get(client_id)
        if client is None or client.redirect_uri != redirect_uri:
            raise OAuthError(
                "invalid_request", "The client_id is not known, or the redirect_uri is not the one it registered."
            )
        return client

    @atomic
    def authorize(self, client_id: str, redirect_uri: str, username: str, password: str) -> str:
        client = self.check_client(client_id, redirect_uri)
        user = next((u for u in self.users.values() if u.username.casefold() == username.casefold()), None)
        if user is None or user.password != password:
            raise OAuthError("invalid_credentials", "The username or password is not correct.", 401)
        return oauth.authorize(self.sandbox, client, user, redirect_uri)

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

    @atomic
    def create_user(self, body: dict, request_id: str | None) -> dict:
        if any(u.username.casefold() == body["Username"].casefold() for u in self.users.values()):
            raise Conflict(f"The username '{body['Username']}' is already taken.")
        user = User(
            str(uuid.uuid4()),
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

    def car(self, car_id: str) -> Car:
        car = self.cars.get(car_id.lower())
        if car is None:
            raise NotFound(f"No car with Id '{car_id}'.")
        return car

    def _owned(self, caller: Caller, car_id: str) -> Car:
        car = self.car(car_id)
        if caller.user_id != car.owner_id and not caller.is_ops():
            raise Forbidden("Only the car's owner or an operator may change it.")
        return car

    def _unique_plate(self, plate: str, car_id: str | None = None) -> None:
        folded = plate.replace(" ", "").replace("-", "").casefold()
        for other in self.cars.values():
            if other.id != car_id and other.license_plate.replace(" ", "").replace("-", "").casefold() == folded:
                raise Conflict(f"Another car of the car share has the license plate '{plate}'.")

    @atomic
    def search_cars(self, query: SearchQuery, embed: str | None) -> dict:
        embeds = embeds_of(embed, "Car", views.CAR_EMBEDS, single=False)
        rows, metadata = search([views.car_view(c, embeds) for c in self.cars.values()], CAR_SEARCH, query)
        return {"Cars": rows, "Metadata": metadata}

    @atomic
    def get_car(self, car_id: str, embed: str | None) -> dict:
        return {"Car": views.car_view(self.car(car_id), embeds_of(embed, "Car", views.CAR_EMBEDS, single=True))}

    @atomic
    def create_car(self, caller: Caller, body: dict) -> dict:
        self._unique_plate(body["LicensePlate"])
        stamp = self.sandbox.clock.tick()
        car = Car(
            str(uuid.uuid4()),
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
        self.cars[car.id] = car
        self._bump("cars", f"car:{car.id}")
        return {"Car": views.car_view(car)}

    @atomic
    def update_car(self, caller: Caller, car_id: str, body: dict) -> dict:
        car = self._owned(caller, car_id)
        if "LicensePlate" in body:
            self._unique_plate(body["LicensePlate"], car.id)
        for name, attribute in UPDATABLE.items():
            if name in body:
                setattr(car, attribute, body[name])
        car.modified = self.sandbox.clock.tick()
        self._bump("cars", f"car:{car.id}")
        return {"Car": views.car_view(car)}

    @atomic
    def delete_car(self, caller: Caller, car_id: str) -> None:
        car = self._owned(caller, car_id)
        if any(b.car_id == car.id and b.state in HOLDING for b in self.bookings.values()):
            raise Conflict("The car has an approved or in-use booking; cancel or complete it first.")
        self.bookings = {key: b for key, b in self.bookings.items() if b.car_id != car.id}
        del self.cars[car.id]
        self._bump("cars", f"car:{car.id}", f"bookings:{car.id}")

    @atomic
    def set_lock(self, caller: Caller, car_id: str, locked: bool) -> dict:
        car = self.car(car_id)
        borrowing = any(
            b.car_id == car.id and b.state == "InUse" and b.borrower_id == caller.user_id
            for b in self.bookings.values()
        )
        if caller.user_id != car.owner_id and not caller.is_ops() and not borrowing:
            raise Forbidden("Only the car's owner, its current borrower or an operator may lock or unlock it.")
        car.is_locked = locked
        car.modified = self.sandbox.clock.tick()
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
        embeds = embeds_of(embed, "CarBooking", views.BOOKING_EMBEDS, single=False)
        start, end = parse_utc_timestamp(from_utc), parse_utc_timestamp(to_utc)
        chosen = [
            b
            for b in self.bookings.values()
            if b.car_id == car.id
            and bookings.visible(caller, car, b)
            and (not states or b.state in states)
            and b.start < end
            and start < b.end
        ]
        rows, metadata = search([self._booking_view(b, car, embeds) for b in chosen], BOOKING_SEARCH, query)
        return {"CarBookings": rows, "Metadata": metadata}

    @atomic
    def get_booking(self, caller: Caller, car_id: str, booking_id: str, embed: str | None) -> dict:
        car = self.car(car_id)
        embeds = embeds_of(embed, "CarBooking", views.BOOKING_EMBEDS, single=True)
        booking = bookings.find(self.bookings, car, booking_id)
        if not bookings.visible(caller, car, booking):
            raise Forbidden("Only the booking's borrower, the car's owner or an operator may see it.")
        return {"CarBooking": self._booking_view(booking, car, embeds)}

    def _booking_view(self, booking: Booking, car: Car, embeds: frozenset[str]) -> dict:
        return views.booking_view(booking, car, self.users.get(booking.borrower_id), embeds)

    @atomic
    def create_booking(self, caller: Caller, car_id: str, body: dict) -> dict:
        car = self.car(car_id)
        start, end = parse_utc_timestamp(body["StartDateUtc"]), parse_utc_timestamp(body["EndDateUtc"])
        new_id = str(uuid.uuid4())
        booking = bookings.create(self.bookings, caller, car, start, end, new_id, self.sandbox.clock, self.random)
        self._bump(f"bookings:{car.id}", f"booking:{booking.id}", f"car:{car.id}")
        return {"CarBooking": views.booking_view(booking)}

    @atomic
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
        booking = bookings.find(self.bookings, car, booking_id)
        if not bookings.visible(caller, car, booking):
            raise NotFound(f"No booking with Id '{booking_id}' for car '{car.id}'.")
        extended_to = parse_utc_timestamp(new_end) if new_end else None
        event = bookings.act(self.bookings, caller, car, booking, action, extended_to, self.sandbox.clock)
        self._bump(f"bookings:{car.id}", f"booking:{booking.id}", f"car:{car.id}")
        if event is not None:
            payload = {
                "Name": event,
                "Id": booking.id,
                "Reference": booking.reference,
                "CarId": car.id,
                "StartDateUtc": views.booking_view(booking)["StartDateUtc"],
                "EndDateUtc": views.booking_view(booking)["EndDateUtc"],
            }
            self._publish(event, payload, request_id)
        return {"CarBooking": views.booking_view(booking)}

    # --- webhooks ------------------------------------------------------------------------------------

    @atomic
    def subscribe(self, body: dict) -> dict:
        subscription = self.sandbox.webhooks.subscribe(
            self.car_share.tenant, body["Url"], tuple(dict.fromkeys(body["Events"])), body["Name"]
        )
        self._bump("webhooks", f"webhook:{subscription.id}")
        return {"WebhookSubscription": views.subscription_view(subscription)}

    def _subscription(self, subscription_id: str):
        found = next(
            (s for s in self.sandbox.webhooks.subscriptions(self.car_share.tenant) if s.id == subscription_id.lower()),
            None,
        )
        if found is None:
            raise NotFound(f"No webhook subscription with Id '{subscription_id}'.")
        return found

    @atomic
    def search_subscriptions(self, query: SearchQuery) -> dict:
        rows = [views.subscription_view(s) for s in self.sandbox.webhooks.subscriptions(self.car_share.tenant)]
        page, metadata = search(rows, SUBSCRIPTION_SEARCH, query)
        return {"WebhookSubscriptions": page, "Metadata": metadata}

    @atomic
    def get_subscription(self, subscription_id: str) -> dict:
        return {"WebhookSubscription": views.subscription_view(self._subscription(subscription_id))}

    @atomic
    def unsubscribe(self, subscription_id: str) -> None:
        subscription = self._subscription(subscription_id)
        self.sandbox.webhooks.unsubscribe(subscription.id)
        self._bump("webhooks", f"webhook:{subscription.id}")

    def _publish(self, event: str, payload: dict, request_id: str | None) -> None:
        self.sandbox.publish(NAME, event, self.car_share.tenant, payload, request_id)


__all__ = ["HourfleetWorld", "OPS", "USER"]
