"""The profiles the suite can judge, by name."""

from .hourfleet import PROFILE as HOURFLEET
from .trimble import PROFILE as TRIMBLE

PROFILES = {TRIMBLE.name: TRIMBLE, HOURFLEET.name: HOURFLEET}
