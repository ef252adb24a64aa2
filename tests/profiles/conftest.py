"""A test-only profile's suite is run by `fleetbox check` (as in test_tinyfleet.py), never collected here."""

collect_ignore_glob = ["*/suite/*"]
