"""Tests every vendor profile must pass, each parametrised over trimble, invers and hourfleet.

The modules share their names with the per-profile folders (test_auth, test_bad_input, test_errors,
test_limits, test_state): a concern's shared test is here, and what only one vendor does is in
tests/<profile>/ under the same name. Vendor-specific expectations are parameters of the shared test.
"""
