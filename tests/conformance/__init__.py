"""Tests of the conformance suite: its rule catalogue, and self-tests that it judges rightly."""
