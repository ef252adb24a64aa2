"""The profiles the suite can judge, by name."""

from .invers import PROFILE as INVERS
from .trimble import PROFILE as TRIMBLE

PROFILES = {TRIMBLE.name: TRIMBLE, INVERS.name: INVERS}
