"""The README's example of the control plane's Python client runs as written (against a live server)."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import httpx

README = (Path(__file__).parent.parent.parent / "README.md").read_text()


def client_example() -> str:
    blocks = re.findall(r"```python\n(.*?)```", README, re.S)
    return next(block for block in blocks if "ControlClient(" in block)


def test_the_readmes_client_example_runs(server):
    code = client_example().replace("http://127.0.0.1:8080", server.url)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "README.md", "exec"), {})
    credentials, refusal = printed.getvalue().splitlines()
    assert re.fullmatch(r"[0-9a-f]{32} \S+", credentials)
    assert refusal.startswith("409 ")
    left = httpx.get(f"{server.url}/__sandbox/sandboxes").json()["sandboxes"]
    assert "ci-job-42" not in {sandbox["id"] for sandbox in left}
