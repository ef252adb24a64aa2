"""The profiles this server serves, in the order they are listed."""

from .control import PROFILE as CONTROL
from .hourfleet import PROFILE as HOURFLEET
from .invers import PROFILE as INVERS
from .trimble import PROFILE as TRIMBLE

VENDOR_PROFILES = (TRIMBLE, INVERS, HOURFLEET)

__all__ = ["CONTROL", "VENDOR_PROFILES"]
