"""`make screenshot`: docs/dashboard.png, taken by the tests' chromium from a real session of a live server.

python -m tests.dashboard.screenshot [PATH]
"""

from __future__ import annotations

import sys
from pathlib import Path

import httpx

from tests.support import LiveServer, SandboxHandle

from .browser import chromium

SANDBOX = "ci-job-42"


def session(url: str) -> SandboxHandle:
    """A sandbox with the traffic a developer sees while an integration runs: three profiles, a 404, an
    injected 503 and a token that expired when the clock moved."""
    control = f"{url}/__sandbox/sandboxes"
    sandbox = SandboxHandle(url, httpx.post(control, json={"id": SANDBOX, "seed": 42, "size": 25}).json())
    trimble = sandbox.trimble().http
    trimble.get("/vehicles", params={"limit": 2})
    trimble.post("/vehicles", json=[{"vehicleId": "veh1", "Name": "vehicle 1"}, {"vehicleId": "veh2", "Name": "van 2"}])
    trimble.get("/vehicles/no-such-vehicle")
    sandbox.invers().http.get("/vehicles", params={"limit": 2})
    sandbox.hourfleet().http.get("/cars", params={"limit": 2, "sort": "-Year"})
    fault = {"profile": "trimble", "path": "/drivers*", "status": 503, "times": 1}
    httpx.post(f"{control}/{SANDBOX}/faults", json=fault)
    trimble.get("/drivers")
    httpx.post(f"{control}/{SANDBOX}/clock/advance", json={"seconds": 7200})
    trimble.get("/vehicles", params={"limit": 2})
    return sandbox


def take(path: Path) -> None:
    server = LiveServer().start()
    try:
        session(server.url)
        with chromium() as browser:
            page = browser.new_page(viewport={"width": 1280, "height": 760})
            page.goto(f"{server.url}/#/sandboxes/{SANDBOX}")
            page.wait_for_selector("#exchanges > li:nth-child(9)")
            page.click("#exchanges button[data-seq='3']")  # the trimble POST /vehicles
            page.wait_for_selector("#exchange .code")
            page.mouse.move(0, 0)
            path.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(path))
    finally:
        server.stop()
    print(f"{path}: {path.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    take(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/dashboard.png"))
