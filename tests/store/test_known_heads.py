"""Asking the SQLite store for a sandbox's head costs no read transaction while nothing was committed since it
was read (a stamp in SQLite's shared memory tells); a commit by another process is seen by the very next ask,
and this process's own commits keep what it knows."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from mockserver.engine.store import Head
from mockserver.engine.store.sqlite import SqliteStore


@pytest.fixture
def store(tmp_path):
    opened = SqliteStore(tmp_path / "store.sqlite")
    opened.create("s1", {}, lambda: b"snapshot", [])
    opened.create("s2", {}, lambda: b"snapshot", [])
    yield opened
    opened.close()


@pytest.fixture
def reads(store):
    """The heads this thread's connection reads from the database, by sandbox id, as they happen."""
    seen: list[str] = []
    store._connection().set_trace_callback(lambda sql: seen.append(sql) if "FROM sandboxes WHERE id" in sql else None)
    return seen


def in_another_process(path, code: str) -> None:
    """Run `code` with `store`, an SqliteStore over `path`, in a process of its own."""
    program = "from pathlib import Path\nfrom mockserver.engine.store.sqlite import SqliteStore\n"
    program += f"store = SqliteStore(Path({str(path)!r}))\n{textwrap.dedent(code)}\nstore.close()\n"
    subprocess.run([sys.executable, "-c", program], check=True, timeout=60)


def test_a_head_is_read_once_while_nothing_is_committed(store, reads):
    first = store.head("s1")
    assert store.head("s1") == first and store.head("s1") == first
    assert len(reads) == 1
    assert store.head("gone") is None and store.head("gone") is None and len(reads) == 2


def test_a_commit_of_another_process_is_seen_by_the_next_ask(store, reads):
    before = store.head("s1")
    in_another_process(store.path, "with store.write('s1') as writer: writer.append(b'op')")
    assert store.head("s1") == Head(before.generation, before.version + 1)
    in_another_process(store.path, "store.replace('s1', {}, lambda: b'again', [])")
    assert store.head("s1").generation != before.generation
    in_another_process(store.path, "store.delete('s1')")
    assert store.head("s1") is None
    assert len(reads) == 4  # one read after each commit, none more


def test_a_commit_of_another_connection_in_this_process_is_seen_too(store):
    other = SqliteStore(store.path)
    before = store.head("s1")
    with other.write("s1") as writer:
        writer.append(b"op")
    assert store.head("s1") == Head(before.generation, before.version + 1)
    other.close()


def test_this_process_s_own_commits_keep_what_it_knows(store, reads):
    store.head("s1"), store.head("s2")
    with store.write("s1") as writer:
        writer.append(b"op")
    records = store.records("s2", "journal", 10)
    records.append(lambda seq: {"seq": seq})
    store.save_snapshot("s1", store.head("s1"), b"snapshot")
    assert store.head("s1").version == 1 and store.head("s2").version == 0
    assert len(reads) == 2  # the two first asks only
    store.replace("s2", {}, lambda: b"again", [])
    read_before = len(reads)
    store.head("s2")
    assert len(reads) == read_before + 1  # a new life is read again


def test_an_operation_that_fails_leaves_what_it_knows_true(store, reads):
    before = store.head("s1")
    with pytest.raises(RuntimeError), store.write("s1") as writer:
        writer.append(b"op")
        raise RuntimeError("rolled back")
    assert store.head("s1") == before


def test_inside_a_transaction_the_head_is_that_transaction_s(store, reads):
    before = store.head("s1")
    with store.write("s1") as writer:
        writer.append(b"op")
        assert store.head("s1") == Head(before.generation, before.version + 1)
        with store._heads._lock:  # nothing it read in there is kept
            assert store._heads._known[1]["s1"] == before
    assert store.head("s1") == Head(before.generation, before.version + 1)
