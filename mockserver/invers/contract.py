"""The invers profile's contract: openapi/invers.yaml, and the name and base path its `x-fleetbox` block gives."""

from conformance.contract import contract_of

CONTRACT = contract_of("invers.yaml")
NAME = CONTRACT.name
