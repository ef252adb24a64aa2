"""The hourfleet self-tests' data: at least one bug planted in the running sandbox for every scenario rule,
each run against that rule alone, which must name it. Handlers are resolved at start-up, so bugs patch the
names handlers look up when they run. The bugs live by area in `planted_hourfleet_<area>.py`."""

from __future__ import annotations

from mockserver.hourfleet import views

from ..support import HOURFLEET_BASE
from .planted_hourfleet_auth import PLANTED as AUTH_LIMITS_AND_WEBHOOKS
from .planted_hourfleet_cache import PLANTED as CACHING_AND_BOOKINGS
from .planted_hourfleet_envelopes import PLANTED as ENVELOPES_AND_STATUS
from .planted_hourfleet_input import PLANTED as INPUT_AND_FORMATS
from .planted_hourfleet_search import PLANTED as SEARCHES_AND_EMBEDDING
from .selftest import OffContract, SelfTest


def _roles_as_a_string(monkeypatch):
    real = views.user_view
    monkeypatch.setattr(views, "user_view", lambda user, *embedded: {**real(user, *embedded), "Roles": "user"})


SELFTEST = SelfTest(
    profile="hourfleet",
    base=HOURFLEET_BASE,
    listed=("HOURFLEET-CONTRACT-createCar", "HOURFLEET-STATEFUL-01"),
    in_html="HOURFLEET-CACHE-02",
    planted=(
        AUTH_LIMITS_AND_WEBHOOKS
        + ENVELOPES_AND_STATUS
        + INPUT_AND_FORMATS
        + SEARCHES_AND_EMBEDDING
        + CACHING_AND_BOOKINGS
    ),
    off_contract=OffContract("HOURFLEET-CONTRACT-searchUserAccounts", _roles_as_a_string),
)
