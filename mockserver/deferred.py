"""Deferred imports: libraries that Connexion's dependencies import at start-up but a server never calls.

Connexion imports `requests` (with urllib3 and charset_normalizer) to fetch remote `$ref`s, and jsonschema's
format checks import isoduration, which imports `arrow` (with dateutil) for `format: duration`. fleetbox's specs
have neither, yet the two cost about 90 modules, some 0.08 CPU seconds of each `fleetbox serve`. `defer(name)`
puts a stand-in module in `sys.modules` that runs the real one in place on its first attribute access, so
whoever does use it gets the very module it would have got, only later.

`importlib.util.LazyLoader` would do, but in Python 3.11 `import requests` itself reads `__spec__` of the
module found in `sys.modules` and so loads it at once; the stand-in answers `__spec__` without loading.
"""

from __future__ import annotations

import importlib.util
import sys
import threading
import types

_lock = threading.RLock()
# The stand-ins whose module is running now (in the thread that holds `_lock`).
_running: set[int] = set()
# What `fleetbox serve` and the pytest plugin's in-process server defer (see above), unless imported already.
DEFERRED_BY_SERVE = ("requests", "arrow")


class _Deferred(types.ModuleType):
    """A module not run yet: the first attribute it does not have runs it (in this very module object).

    Another thread asking meanwhile waits for the run to finish, as it would wait for an import; the running
    thread itself (the package importing its own submodules) sees the module as it stands, as in an import.
    """

    def __getattr__(self, name: str):
        with _lock:
            if type(self) is _Deferred and id(self) not in _running:
                _running.add(id(self))
                try:
                    if self.__spec__.submodule_search_locations is not None:
                        self.__path__ = self.__spec__.submodule_search_locations
                    self.__spec__.loader.exec_module(self)
                except BaseException:
                    # As a failed import would: gone from sys.modules, so the next import runs it again.
                    sys.modules.pop(self.__name__, None)
                    raise
                finally:
                    _running.discard(id(self))
                self.__class__ = types.ModuleType
            elif type(self) is _Deferred:
                raise AttributeError(f"partially initialized module {self.__name__!r} has no attribute {name!r}")
        return getattr(self, name)


def defer(*names: str) -> None:
    """Defer importing each of `names` until first used; one already imported, or not installed, is left alone."""
    for name in names:
        if name in sys.modules:
            continue
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            continue
        module = importlib.util.module_from_spec(spec)
        # Without `__path__`, importing a submodule (`import requests.adapters`) asks for it and so runs the
        # package first, as it always would.
        module.__dict__.pop("__path__", None)
        module.__class__ = _Deferred
        sys.modules[name] = module


def is_deferred(name: str) -> bool:
    """Whether `name` is still a stand-in that has not run."""
    return type(sys.modules.get(name)) is _Deferred


def defer_httpx_cli() -> None:
    """Leave out httpx's command-line client (click, rich, pygments) until `httpx.main` is called.

    `import httpx` imports it for `httpx.main` alone. `fleetbox serve` leaves it out for good (mockserver/cli.py);
    a process that is not ours (the pytest plugin's) gets a `main` that imports it when called, and then is it.
    """
    if "httpx" in sys.modules or "httpx._main" in sys.modules:
        return
    stand_in = types.ModuleType("httpx._main", "httpx's command-line client, imported when `main` is first called.")

    def main(*args, **kwargs):
        if sys.modules.get("httpx._main") is stand_in:
            del sys.modules["httpx._main"]
        import httpx
        from httpx._main import main as real

        httpx.main = real
        return real(*args, **kwargs)

    stand_in.main = main
    sys.modules["httpx._main"] = stand_in
