"""A real RabbitMQ node for the tests: Debian's rabbitmq-server on free loopback ports, in a directory of its
own, with its own epmd, stopped (and restarted) by PID.

Every port is chosen free (AMQP, management HTTP, Erlang distribution, epmd), the node name is unique and
its database, logs, cookie and configuration live under one temporary directory, so several test sessions
(or engineers) on one machine never meet. The management plugin listens on its own free port because
fleetbox's `--amqp-admin` manages the per-fleet consumer users through it.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import httpx

SERVER = Path("/usr/lib/rabbitmq/bin/rabbitmq-server")
START_SECONDS = 90
STOP_SECONDS = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def available() -> bool:
    return SERVER.exists() and shutil.which("epmd") is not None


class RabbitBroker:
    """One RabbitMQ node; `start()`, `stop()` and `restart()` (same node, same data, same ports)."""

    def __init__(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="fleetbox-rabbitmq-"))
        self.port = free_port()
        self.management_port = free_port()
        self.dist_port = free_port()
        self.epmd_port = free_port()
        self.node = f"fleetbox-{uuid.uuid4().hex[:10]}@localhost"
        self._epmd: subprocess.Popen | None = None
        self._server: subprocess.Popen | None = None
        self._write_configuration()

    @property
    def url(self) -> str:
        """The AMQP URL of the default administrator (guest, which RabbitMQ lets in over loopback)."""
        return f"amqp://guest:guest@127.0.0.1:{self.port}/%2F"

    @property
    def admin_url(self) -> str:
        return f"http://guest:guest@127.0.0.1:{self.management_port}"

    def _write_configuration(self) -> None:
        (self.directory / "rabbitmq.conf").write_text(
            f"listeners.tcp.1 = 127.0.0.1:{self.port}\n"
            f"management.tcp.ip = 127.0.0.1\n"
            f"management.tcp.port = {self.management_port}\n"
            # A small disk on a CI machine must not block publishers (the default limit is 50 MB free).
            "disk_free_limit.absolute = 1MB\n"
            "log.console = false\n"
            "log.file.level = warning\n"
        )
        (self.directory / "enabled_plugins").write_text("[rabbitmq_management].\n")

    def _environment(self) -> dict[str, str]:
        home = self.directory / "home"
        home.mkdir(exist_ok=True)
        return {
            **os.environ,
            "HOME": str(home),
            "RABBITMQ_NODENAME": self.node,
            "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "ERL_EPMD_PORT": str(self.epmd_port),
            "ERL_EPMD_ADDRESS": "127.0.0.1",
            "RABBITMQ_MNESIA_BASE": str(self.directory / "mnesia"),
            "RABBITMQ_LOG_BASE": str(self.directory / "log"),
            "RABBITMQ_CONFIG_FILE": str(self.directory / "rabbitmq.conf"),
            "RABBITMQ_ADVANCED_CONFIG_FILE": str(self.directory / "advanced.config"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.directory / "enabled_plugins"),
            "RABBITMQ_PID_FILE": str(self.directory / "rabbitmq.pid"),
            "RABBITMQ_CONF_ENV_FILE": str(self.directory / "rabbitmq-env.conf"),
        }

    def start(self) -> RabbitBroker:
        environment = self._environment()
        if self._epmd is None or self._epmd.poll() is not None:
            # Our own epmd on our own port, so stopping this node never touches anyone else's.
            self._epmd = subprocess.Popen(
                ["epmd", "-port", str(self.epmd_port), "-address", "127.0.0.1"],
                env=environment,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        log = open(self.directory / "server.out", "ab")  # noqa: SIM115 - kept open for the node's life
        self._server = subprocess.Popen(
            [str(SERVER)], env=environment, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        self._wait_until_ready()
        return self

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self._server.poll() is not None:
                raise RuntimeError(f"rabbitmq-server exited with {self._server.returncode}:\n{self.log_tail()}")
            try:
                answer = httpx.get(f"http://127.0.0.1:{self.management_port}/api/overview", auth=("guest", "guest"))
                if answer.status_code == 200 and self._amqp_port_open():
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"rabbitmq-server did not start within {START_SECONDS} s:\n{self.log_tail()}")

    def _amqp_port_open(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
        except OSError:
            return False

    def vm_pid(self) -> int | None:
        """The Erlang VM's process id, from the pid file the node writes."""
        try:
            return int((self.directory / "rabbitmq.pid").read_text().strip())
        except (OSError, ValueError):
            return None

    def stop(self) -> None:
        """Stop the node (the Erlang VM, then its start script); epmd stays for a restart."""
        if self._server is None:
            return
        pid = self.vm_pid()
        if pid is not None:
            _terminate(pid)
        if self._server.poll() is None:
            self._server.send_signal(signal.SIGTERM)
        try:
            self._server.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self._server.kill()
            self._server.wait(timeout=10)
        if pid is not None:
            _terminate(pid, signal.SIGKILL)
        (self.directory / "rabbitmq.pid").unlink(missing_ok=True)
        self._server = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def close(self) -> None:
        """Stop the node and its epmd, and remove its directory."""
        self.stop()
        if self._epmd is not None:
            self._epmd.terminate()
            try:
                self._epmd.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._epmd.kill()
            self._epmd = None
        shutil.rmtree(self.directory, ignore_errors=True)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join((self.directory / "server.out").read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def _terminate(pid: int, sig: signal.Signals = signal.SIGTERM) -> None:
    """Signal one process by id and wait (a while) until it is gone."""
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + STOP_SECONDS
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
