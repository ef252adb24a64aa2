"""The implementation under test: where it is, whether anything there answers as an API, and with
which credentials. Problems here are usage errors (exit status 2), not rule failures: only what is
plainly not the API is refused (nothing listening, a TLS failure, HTML pages, 404 on every documented
path); anything else is judged, and answers that break the rules fail those rules."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import jsonschema
import yaml

from .client import ControlClient, SandboxError
from .contract import ProfileContract, load_spec
from .control import TOKEN_VARIABLE as CONTROL_TOKEN_VARIABLE
from .http import tls_context


class TargetError(Exception):
    """The base URL, credentials or options cannot be used; the message is one line for a person."""


@dataclass(frozen=True)
class ConformanceProfile:
    """What the suite needs to know of one API to judge an implementation of it, beyond its contract."""

    # The spec's `x-fleetbox` block: the profile's name, spec, and where a fleetbox sandbox serves it
    # (to recognise a sandbox and borrow its credentials).
    contract: ProfileContract
    # Sends one harmless request and returns why the base URL is plainly not this API (`not_the_api`),
    # or None if it may be: a server that answers wrongly is judged, not refused.
    probe: Callable[[httpx.Client], str | None]
    # Tries the credentials and returns why the API refuses them, or None if it does not (an answer
    # that is wrong in another way is for the rules to judge).
    try_credentials: Callable[[httpx.Client, Any], str | None]
    # The order in which reports present the profile's areas of rules.
    areas: tuple[str, ...] = ()
    # operationIds that change nothing on the target though their method is not safe (token requests):
    # `--read-only` sends them, and they are not counted as writes.
    harmless: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.contract.name

    @property
    def spec(self) -> Path:
        return self.contract.spec

    @property
    def sandbox_base_path(self) -> str:
        return self.contract.base_path


@dataclass
class Target:
    """A base URL, the credentials to use on it, and how to give back what was borrowed."""

    base_url: str
    credentials: Any
    cleanup: list[Callable[[], None]] = field(default_factory=list)
    # The fleetbox control-plane URL of the sandbox the credentials belong to, when the target is one
    # (`.../__sandbox/sandboxes/<id>`): rules that move its clock, set its quotas or read its events
    # need it, and are "not checked" without it.
    sandbox_url: str | None = None
    # The bearer that control plane wants, if its server has a control token: the borrowed sandbox's
    # access key (it opens that sandbox alone), or the control token the run was given.
    control_token: str | None = None

    def close(self) -> None:
        for step in self.cleanup:
            step()


HTML = ("text/html", "application/xhtml+xml")
# Documented GET paths tried, at most, before a base URL is declared to have none of them.
MAX_PATHS_TRIED = 12


def media_type(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";")[0].strip().lower()


def answers_as_an_api(response: httpx.Response) -> bool:
    """Something at this path answers as an API would, rightly or wrongly: not a 404 or 405, not an HTML page."""
    return response.status_code not in (404, 405) and media_type(response) not in HTML


def not_the_api(client: httpx.Client, spec_file: str | Path, first: httpx.Response) -> str | None:
    """Why the base URL is plainly not the API, given the answer to a profile's probe request (to the
    endpoint that hands out tokens, without which no rule can act): None when it answers as an API would,
    rightly or wrongly (a wrong answer is the rules' to judge)."""
    if answers_as_an_api(first):
        return None
    said = f"{first.request.method} {first.request.url.path} answered {_described(first)}"
    if media_type(first) in HTML:
        return f"it answers with an HTML page, not an API ({said})"
    # Documented paths that are there tell a half-built or another API from a base URL with nothing at all.
    for path in documented_get_paths(spec_file)[:MAX_PATHS_TRIED]:
        response = client.get(path, headers={"Accept": "application/json"})
        if answers_as_an_api(response):
            return (
                f"{said}, and without that endpoint no rule can act (GET {path} answered {_described(response)}: "
                "is this another API, or a different base URL?)"
            )
    return f"{said}, and no documented path is there (every GET answered 404, 405 or HTML)"


def _described(response: httpx.Response) -> str:
    return f"{response.status_code} ({media_type(response) or 'no content type'})"


def documented_get_paths(spec_file: str | Path) -> list[str]:
    """The spec's GET paths, path parameters filled with a placeholder."""
    spec = load_spec(spec_file)
    return [re.sub(r"\{[^}]+\}", "0", path) for path, item in spec["paths"].items() if "get" in item]


def harmless_requests(profile: ConformanceProfile) -> list[tuple[str, re.Pattern]]:
    """(method, pattern of the URL path's end) of each of the profile's harmless operations."""
    found = []
    for path, item in load_spec(profile.spec)["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and operation.get("operationId") in profile.harmless:
                pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path))
                found.append((method.upper(), re.compile(pattern + "$")))
    return found


def probe(profile: ConformanceProfile, base_url: str) -> None:
    """Raise `TargetError` when `base_url` is plainly not `profile`'s API."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise TargetError(f"the base URL {base_url!r} is not an http(s) URL")
    with httpx.Client(base_url=base_url.rstrip("/"), timeout=10, verify=tls_context()) as client:
        try:
            problem = profile.probe(client)
        except httpx.ConnectError as error:
            if "SSL" in str(error) or "CERTIFICATE" in str(error).upper():
                raise TargetError(f"TLS with {base_url} failed: {error}") from error
            raise TargetError(f"cannot reach {base_url}: {error}") from error
        except httpx.TimeoutException as error:
            raise TargetError(f"{base_url} did not answer within 10 seconds") from error
        except httpx.HTTPError as error:
            raise TargetError(f"cannot talk to {base_url}: {error}") from error
    if problem:
        raise TargetError(f"{base_url} does not look like a {profile.name} API: {problem}")


def credentials_schema(contract: ProfileContract) -> dict:
    """The shape of a credentials file for a profile: the control plane's schema its contract names
    (any JSON object for a profile that names none)."""
    if contract.credentials_schema is None:
        return {"type": "object"}
    spec = load_spec("sandbox.yaml")
    return {"$ref": f"#/components/schemas/{contract.credentials_schema}", "components": spec["components"]}


def load_credentials(profile: ConformanceProfile, path: Path) -> Any:
    """Read a credentials file (JSON or YAML) and check its shape."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise TargetError(f"cannot read the credentials file {path}: {error.strerror}") from error
    except yaml.YAMLError as error:
        raise TargetError(f"the credentials file {path} is neither JSON nor YAML: {error}") from error
    schema = credentials_schema(profile.contract)
    problem = jsonschema.exceptions.best_match(jsonschema.Draft4Validator(schema).iter_errors(data))
    if problem is not None:
        where = "/".join(map(str, problem.absolute_path)) or "the top level"
        raise TargetError(
            f"the credentials file {path} is not {profile.name} credentials: at {where}, {problem.message}"
        )
    return data


def borrow_sandbox(profile: ConformanceProfile, base_url: str, control_token: str | None = None) -> Target | None:
    """When `base_url` is a fleetbox sandbox, a fresh sandbox of its own for this run (deleted after),
    with its credentials; None when it is not a fleetbox server. A server with a control token lends
    one only to a run given that token."""
    parts = urlsplit(base_url)
    if not parts.path.rstrip("/").endswith(profile.sandbox_base_path):
        return None
    origin = f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')[: -len(profile.sandbox_base_path)]}"
    token = control_token or os.environ.get(CONTROL_TOKEN_VARIABLE)
    client = ControlClient(origin, token, timeout=10)
    try:
        if profile.name not in {p.name for p in client.health().profiles}:
            return None
        # Building a world takes longer than answering a health check.
        client.http.timeout = httpx.Timeout(60)
        sandbox = client.create_sandbox()
    except SandboxError as error:
        if error.url.endswith("/health"):
            return None
        if error.status in (401, 403):
            raise TargetError(
                f"the fleetbox server at {origin} protects its control plane: pass its control token with "
                f"--control-token (or ${CONTROL_TOKEN_VARIABLE}) ({error})"
            ) from error
        raise TargetError(
            f"the fleetbox server at {origin} refused a sandbox for the run: {json.dumps(error.problem)[:200]}"
        ) from error
    except (httpx.HTTPError, ValueError, KeyError, TypeError):
        return None
    finally:
        client.close()
    # The run acts on its sandbox with that sandbox's own key, not with the server's control token.
    key = sandbox.access_key or token
    url = f"{client.url}/sandboxes/{sandbox.id}"
    target = Target(base_url, sandbox.credentials[profile.name], sandbox_url=url, control_token=key)
    target.cleanup.append(lambda: _give_back(origin, sandbox.id, key))
    return target


def _give_back(origin: str, sandbox_id: str, key: str | None) -> None:
    """Delete a borrowed sandbox (one already gone is no problem)."""
    with ControlClient(origin) as client:
        try:
            client.sandbox(sandbox_id, access_key=key).delete()
        except SandboxError:
            pass


def resolve(
    profile: ConformanceProfile, base_url: str, credentials_file: Path | None, control_token: str | None = None
) -> Target:
    """The target of a run: probed, with credentials from the file or, on a fleetbox sandbox, borrowed,
    and tried."""
    probe(profile, base_url)
    if credentials_file is not None:
        target = Target(base_url, load_credentials(profile, credentials_file), control_token=control_token)
    else:
        borrowed = borrow_sandbox(profile, base_url, control_token)
        if borrowed is None:
            raise TargetError(
                "no credentials: pass --credentials FILE (its shape is in conformance/README.md); only a "
                "fleetbox sandbox can lend its own"
            )
        target = borrowed
    with httpx.Client(base_url=base_url, timeout=30, verify=tls_context()) as client:
        problem = profile.try_credentials(client, target.credentials)
    if problem:
        target.close()
        raise TargetError(problem)
    return target


def dump_credentials(credentials: Any) -> str:
    return json.dumps(credentials, indent=2)
