"""fleetbox's conformance suite: judges any implementation of a profile over HTTP, from openapi/ alone.

It imports nothing from `mockserver/` or `fixtures/` (tests/test_layering.py enforces it), so it
works the same against the sandbox, a vendor's server or a reimplementation.
"""
