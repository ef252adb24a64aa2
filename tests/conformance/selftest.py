"""What a profile's self-tests need: where the sandbox serves it, what a clean run must show, and the
bugs planted in the running sandbox with the rules that must name them."""

from __future__ import annotations

import argparse
import functools
import io
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from unittest import mock

import _pytest.unraisableexception
import httpx._transports.default
import pytest

from conformance import cli

from ..support import run_check

Plant = Callable[[pytest.MonkeyPatch], None]


@dataclass(frozen=True)
class PlantedBug:
    """A bug planted in the running sandbox, the rule that must name it, and the rules to run."""

    description: str
    rule: str
    # The rules to run (ids or wildcards); empty: the rule itself and `also`.
    only: tuple[str, ...]
    plant: Plant
    # Rules the same bug may make fail too (any other failing rule among those run is an error).
    also: tuple[str, ...] = ()

    @property
    def selection(self) -> tuple[str, ...]:
        return self.only or (self.rule, *self.also)


@dataclass(frozen=True)
class OffContract:
    """A response planted off the spec, and the contract rule (Schemathesis') that must name it."""

    rule: str
    plant: Plant
    evidence: str = "Response violates schema"
    description: str = ""


@dataclass(frozen=True)
class SelfTest:
    """One profile's self-tests, as data for the parametrised tests of `test_selftest.py`."""

    profile: str
    base: str
    # Rules the clean run must list (a contract and the stateful rule show Schemathesis ran), and one
    # its HTML report must name.
    listed: tuple[str, ...]
    in_html: str
    planted: tuple[PlantedBug, ...]
    off_contract: OffContract
    # Whether a planted bug must make exactly its rule and `also` fail (or may make other rules it runs fail).
    exact: bool = False
    # Responses off the contract in each way Schemathesis judges (schema, status, media type, headers, 5xx),
    # each on its own operation, so that one run names them all.
    off_contracts: tuple[OffContract, ...] = ()

    def check(self, server, *options: str) -> subprocess.CompletedProcess:
        """`fleetbox check <profile>` against the test session's server."""
        return run_check(server.url + self.base, *options, profile=self.profile)

    def check_here(self, server, *options: str) -> subprocess.CompletedProcess:
        """`fleetbox check <profile>` run in this process (as `fleetbox check` runs pytest: in-process),
        which spares each planted bug the seconds a new interpreter takes to import the suite."""
        parser = argparse.ArgumentParser()
        cli.add_arguments(parser)
        args = parser.parse_args([self.profile, "--base-url", server.url + self.base, *options])
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err), _quick():
            code = cli.run(args)
        return subprocess.CompletedProcess(["fleetbox", "check", *options], code, out.getvalue(), err.getvalue())


@contextmanager
def _quick() -> Iterator[None]:
    """What makes a run in this process cost what its rules cost: each of a run's dozen HTTP clients would
    load the system's CA bundle again (0.1 s each), and pytest would collect this process's large heap
    several times over when the run ends (0.3 s a time). Neither changes a verdict."""
    real = httpx._transports.default.create_ssl_context
    cached = functools.lru_cache(maxsize=8)(lambda verify, cert, trust_env: real(verify, cert, trust_env))

    def create_ssl_context(verify=True, cert=None, trust_env=True):
        if isinstance(verify, bool) and cert is None:
            return cached(verify, cert, trust_env)
        return real(verify=verify, cert=cert, trust_env=trust_env)

    with (
        mock.patch.object(httpx._transports.default, "create_ssl_context", create_ssl_context),
        mock.patch.object(_pytest.unraisableexception, "gc_collect_harder", lambda iterations: None),
    ):
        yield
