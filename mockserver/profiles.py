"""The profiles this server serves, in the order they are listed."""

from .control import PROFILE as CONTROL
from .hourfleet import PROFILE as HOURFLEET
from .trimble import PROFILE as TRIMBLE

VENDOR_PROFILES = (TRIMBLE, HOURFLEET)

__all__ = ["CONTROL", "VENDOR_PROFILES"]
