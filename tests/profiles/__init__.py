"""Profiles that exist only for the tests: each proves a profile can be added through its own files alone."""
