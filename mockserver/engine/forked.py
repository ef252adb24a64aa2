"""Work done by a forked child process on this process's copy-on-write image (a big sandbox's snapshot, as Redis's
BGSAVE does), so the thread that asked pauses only for the fork while the child pickles."""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import select
import signal
import struct
import sys
import threading
import time
import warnings
from collections.abc import Callable

_log = logging.getLogger(__name__)
# How much lower the child's CPU priority is than the server's. The child shares the server's CPUs (it inherits
# their affinity, so a server pinned to one CPU pickles on that CPU): at the same priority, a request arriving
# while it pickles waits a whole scheduler slice behind it; lower, the server's thread runs first and the child
# takes what the server leaves. Batch POSTs into 100,000 vehicles, one CPU, a snapshot every 1,000 writes
# (bench/snapshot_pause.py posts): p99 4.8 and 5.0 ms at 10, against 6.3 and 9.3 at 0 (alternating runs).
NICENESS = 10
# A child that has not answered after this long is killed (and the work done in process next time): it can only be
# stuck, on a lock some other thread held at the fork that the child's work should never have needed. A snapshot of
# 180,000 vehicles takes about a second (ten at the lowest priority, on a CPU the server keeps busy).
GIVE_UP_AFTER = 600.0
_LENGTH = struct.Struct("<Q")  # what the child writes before its bytes: the parent tells a whole answer from a cut one


def available() -> bool:
    """Whether work may go to a forked child here. Linux only: Windows has no fork, and on macOS a child of a
    threaded process may hang in the system's own libraries (why Python's multiprocessing spawns there)."""
    return sys.platform == "linux"


def start(work: Callable[[], bytes], done: Callable[[bytes | None], None]) -> bool:
    """Run `work()` in a forked child; a thread of this process reads the bytes it returns, reaps it and calls
    `done` with them (None if the child failed: killed, raised, cut short). False: no child was started.

    The child is a copy of the whole process, its other threads gone, and whatever lock one of them held at the
    fork held for good. So `work` must take no lock but the calling thread's own (its sandbox's), and touch no
    connection, file or logger: it computes bytes (pickle and LZ4 are pure Python and C) and nothing else; the
    child then leaves by `os._exit`, running no atexit handler, finaliser or buffered flush of the parent's."""
    try:
        read_end, write_end = os.pipe()
    except OSError as error:  # out of file descriptors: the caller does the work itself
        _log.warning("no pipe to a child (%s); the work is done in process", error)
        return False
    try:
        with warnings.catch_warnings():
            # Python 3.12 and later warn of any fork in a process with threads: the hazard this module is built
            # around (and under a test run that makes our own warnings errors, it would fail the request).
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
    except OSError as error:  # out of memory or processes: the caller does the work itself
        os.close(read_end)
        os.close(write_end)
        _log.warning("no child forked (%s); the work is done in process", error)
        return False
    if pid == 0:
        _child(work, read_end, write_end)  # never returns
    os.close(write_end)
    try:
        threading.Thread(target=_collect, args=(pid, read_end, done), name="fleetbox-forked", daemon=True).start()
    except RuntimeError:  # no thread to collect it: end the child, and the caller does the work itself
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(read_end)
        return False
    return True


def _child(work: Callable[[], bytes], read_end: int, write_end: int) -> None:
    status = 1
    try:
        # Stopped by the signals that stop a process group (the terminal's ^C, a service manager's SIGTERM)
        # rather than by the server's own handlers, which would only set flags in this copy of the server.
        with contextlib.suppress(OSError, ValueError):  # niceties: without them the child works all the same
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.nice(NICENESS)
        os.close(read_end)
        # A collection would write to every object's header, copying the page it is on; nothing is garbage here.
        gc.disable()
        data = work()
        _write_all(write_end, _LENGTH.pack(len(data)))
        _write_all(write_end, data)
        status = 0
    finally:
        os._exit(status)  # whatever happened: this copy of the server must never go on serving


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _collect(pid: int, read_end: int, done: Callable[[bytes | None], None]) -> None:
    data = None
    try:
        deadline = time.monotonic() + GIVE_UP_AFTER
        length = _read_exactly(pid, read_end, _LENGTH.size, deadline)
        data = _read_exactly(pid, read_end, _LENGTH.unpack(length)[0], deadline) if length is not None else None
    except OSError:
        data = None
    finally:
        os.close(read_end)
        status = _reap(pid)
    if status not in (0, None) or data is None:
        _log.warning("a forked child failed (exit status %s, %s)", status, _got(data))
        data = None
    try:
        done(data)
    except Exception:  # noqa: BLE001 - a thread of its own: nothing above it would say what went wrong
        _log.exception("what a forked child returned could not be used")


def _reap(pid: int) -> int | None:
    """The child's exit code (negative: the signal that ended it), once it has ended; no zombie left."""
    try:
        return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    except ChildProcessError:  # reaped by someone else (SIGCHLD ignored): its bytes alone say how it went
        return None


def _read_exactly(pid: int, fd: int, size: int, deadline: float) -> bytes | None:
    """`size` bytes from the child `pid` through `fd`; None if it ends first (the child died on the way), or if
    the deadline passes first (then the child is killed)."""
    chunks, got = [], 0
    while got < size:
        if not select.select([fd], [], [], max(0.0, deadline - time.monotonic()))[0]:
            _log.warning("a forked child did not answer in %s s: killed", GIVE_UP_AFTER)
            os.kill(pid, signal.SIGKILL)
            return None
        chunk = os.read(fd, min(size - got, _CHUNK))
        if not chunk:
            return None
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


_CHUNK = 2**20


def _got(data: bytes | None) -> str:
    return "no whole answer" if data is None else f"{len(data)} bytes"
