"""The server's default settings, kept apart from what uses them so that `fleetbox check`, which reads them
for its command line, starts without importing the server (a quarter of a CPU-second)."""

from __future__ import annotations

from pathlib import Path

DEFAULT_SANDBOX = "default"
DEFAULT_SEED = 1
DEFAULT_SIZE = 25
# The biggest world (vehicles per account) a server builds unless started with more (`--max-size`): a
# world is built while the server waits, and one of 100,000 takes minutes and gigabytes.
MAX_SIZE = 2000
# ASP.NET's default request limit (4,096 KB): the Trimble API runs on ASP.NET, and no vendor documents its own.
DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024
DEFAULT_STORE_PATH = Path.home() / ".fleetbox" / "store.sqlite"
