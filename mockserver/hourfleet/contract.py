"""The hourfleet profile's contract: openapi/hourfleet.yaml, and the name and base path its `x-fleetbox` block gives."""

from conformance.contract import contract_of

CONTRACT = contract_of("hourfleet.yaml")
NAME = CONTRACT.name
