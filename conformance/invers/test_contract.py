"""Layers 1 and 2: Schemathesis against every operation of the profile's spec, and along its links."""

from __future__ import annotations

from .. import schemathesis_layer
from . import PROFILE, SCHEMATHESIS_CONFIG

schemathesis_run, test_the_contract_holds = schemathesis_layer.contract_layer(PROFILE, SCHEMATHESIS_CONFIG)
