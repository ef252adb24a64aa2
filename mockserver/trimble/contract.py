"""The trimble profile's contract: openapi/trimble.yaml, and the name and base path its `x-fleetbox` block gives."""

from conformance.contract import contract_of

CONTRACT = contract_of("trimble.yaml")
NAME = CONTRACT.name
