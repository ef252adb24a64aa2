"""Bad states are refused: a store of another format or of someone else is left untouched; Redis away at
start-up is a clear error, and lost while serving a 503 in the vendor's format until it is back."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys

import httpx
import pytest
import redis

from ..support import INVERS_BASE, TRIMBLE_BASE, free_port
from .servers import RedisServer
from .test_instances import create, token_of, trimble_on


def serve(store: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "mockserver", "serve", "--port", str(free_port()), "--store", store]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def other_format(path):
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE fleetbox (key TEXT PRIMARY KEY, value TEXT)")
        connection.execute("INSERT INTO fleetbox VALUES ('format', 'fleetbox.store/0')")


def someone_elses(path):
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")


def not_sqlite(path):
    path.write_text("these are my notes, not a database\n" * 20)


@pytest.mark.parametrize(
    ("make", "said"),
    [(other_format, "format"), (someone_elses, "not a fleetbox store"), (not_sqlite, "not a fleetbox store")],
)
def test_a_file_that_is_not_a_fleetbox_store_of_this_format_is_refused_and_left_untouched(tmp_path, make, said):
    path = tmp_path / "store.sqlite"
    make(path)
    before = digest(path)
    run = serve(f"sqlite:///{path}")
    assert run.returncode == 2 and said in run.stderr and "untouched" in run.stderr, run.stderr
    assert digest(path) == before


def test_a_redis_database_of_someone_else_or_another_format_is_refused_and_left_untouched(redis_server):
    client = redis.Redis(port=redis_server.port)
    client.set("session:42", "someone else's")
    run = serve(redis_server.url)
    assert run.returncode == 2 and "not fleetbox's" in run.stderr, run.stderr
    assert client.keys("*") == [b"session:42"]
    client.flushdb()
    client.set("fleetbox:format", "fleetbox.store/0")
    run = serve(redis_server.url)
    assert run.returncode == 2 and "format" in run.stderr, run.stderr
    assert client.keys("*") == [b"fleetbox:format"]


def test_redis_unreachable_at_start_up_is_a_clear_error():
    run = serve(f"redis://127.0.0.1:{free_port()}/0")
    assert run.returncode == 2 and "does not answer" in run.stderr, run.stderr


def test_redis_lost_while_serving_gives_503s_in_the_vendors_format_and_service_resumes(tmp_path, fleetbox):
    broker = RedisServer(tmp_path).start()
    try:
        server = fleetbox(broker.url)
        sandbox = create(server)
        trimble = trimble_on(server, token_of(sandbox.trimble("direct")))
        invers_token = sandbox.invers_token(0)
        broker.stop()

        lost = httpx.get(server.url + TRIMBLE_BASE + "/vehicles", headers=trimble.http.headers, timeout=20)
        assert lost.status_code == 503 and "message" in lost.json() and lost.headers["Retry-After"] == "1"
        problem = httpx.get(
            server.url + INVERS_BASE + "/vehicles", headers={"Authorization": f"Bearer {invers_token}"}, timeout=20
        )
        assert problem.status_code == 503 and problem.headers["content-type"].startswith("application/problem+json")
        control = httpx.get(f"{server.url}/__sandbox/sandboxes/{sandbox.id}", timeout=20)
        assert control.status_code == 503 and control.json()["status"] == 503

        broker.start()
        back = trimble.get("/vehicles")
        assert back.status_code == 200, back.text
    finally:
        broker.stop()
