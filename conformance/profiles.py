"""The profiles the suite can judge, by name."""

from .trimble import PROFILE as TRIMBLE

PROFILES = {TRIMBLE.name: TRIMBLE}
