"""Real components for the store's tests: a redis-server and `fleetbox serve` processes on free loopback
ports, each stopped (or killed) by its process id."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from ..support import free_port


def wait_until_listening(url: str, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"not answering at {url} after {timeout} s:\n{log.read_text()[-3000:]}")


class RedisServer:
    """A redis-server of the test's own, persisting every write (appendfsync always) so a restart keeps it."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        command = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory)]
        command += ["--appendonly", "yes", "--appendfsync", "always", "--save", "", "--protected-mode", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        import redis

        while time.monotonic() < deadline:
            try:
                if redis.Redis(port=self.port, socket_timeout=0.5).ping():
                    return self
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


class FleetboxProcess:
    """`fleetbox serve` in a process of its own (the way an instance behind a load balancer runs)."""

    def __init__(self, store: str, directory: Path, *options: str, port: int | None = None) -> None:
        self.store = store
        self.port = port or free_port()
        self.options = options
        self.log = directory / f"fleetbox-{self.port}-{time.monotonic_ns()}.log"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        return [sys.executable, "-m", "mockserver", "serve", "--port", str(self.port), "--store", self.store]

    def start(self) -> FleetboxProcess:
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [*self.command(), *self.options], stdout=log, stderr=subprocess.STDOUT, env=_environment()
            )
        try:
            wait_until_listening(self.url + "/__sandbox/health", self.process, self.log)
        except RuntimeError:
            self.kill()  # never leave a half-started server behind
            raise
        return self

    def output(self) -> str:
        return self.log.read_text()

    def kill(self) -> None:
        """SIGKILL: no shutdown of any kind, as in a crash."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _environment() -> dict[str, str]:
    environment = dict(os.environ)
    environment.pop("FLEETBOX_STORE", None)  # each test names its store
    return environment
