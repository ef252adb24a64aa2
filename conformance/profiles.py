"""The profiles the suite can judge, by name."""

from .hourfleet import PROFILE as HOURFLEET
from .invers import PROFILE as INVERS
from .trimble import PROFILE as TRIMBLE

PROFILES = {TRIMBLE.name: TRIMBLE, INVERS.name: INVERS, HOURFLEET.name: HOURFLEET}
