"""Snapshots (engine/replica.py): the sandbox's shared objects are written as names and taken from the
loader, other objects of the same types are copied, and locks come back as new locks."""

from __future__ import annotations

import pickle
import threading
from datetime import UTC, datetime, timedelta, timezone

from mockserver.engine import replica


class Holder:
    def __init__(self, label: str) -> None:
        self.label = label


def test_shared_objects_are_named_others_copied_and_locks_made_anew():
    shared, other = Holder("shared"), Holder("other")
    lock, rlock = threading.Lock(), threading.RLock()
    lock.acquire()  # a held lock must not come back held
    state = {"a": shared, "b": [shared, other], "locks": (lock, rlock), "n": 3}

    data = replica.dumps(state, {"holder": shared})
    loader_copy = Holder("the loader's own")
    loaded = replica.loads(data, {"holder": loader_copy})

    assert loaded["a"] is loader_copy and loaded["b"][0] is loader_copy
    assert loaded["b"][1] is not other and loaded["b"][1].label == "other"
    new_lock, new_rlock = loaded["locks"]
    assert new_lock.acquire(blocking=False)
    assert isinstance(new_rlock, type(threading.RLock()))
    assert loaded["n"] == 3


def test_snapshots_are_compressed_and_bare_pickles_from_before_still_load():
    import gc
    import pickle

    import lz4.frame

    state = {"rows": [f"row {n}" for n in range(2000)], "n": 3}
    data = replica.dumps(state, {})
    assert data[:4] == b"\x04\x22\x4d\x18"  # an LZ4 frame
    assert len(data) < len(pickle.dumps(state, 5)) / 2
    assert replica.loads(data, {}) == state
    assert replica.loads(pickle.dumps(state, 5), {}) == state  # written before compression
    assert pickle.loads(lz4.frame.decompress(data)) == state
    assert gc.isenabled()  # the collector, paused meanwhile, runs again


def test_an_operation_pickles_its_utc_instant_as_an_int_and_ops_pickled_before_still_load():
    op = replica.Op("trimble", "create_members", ("caller", [{"Name": "x"}]), {"strict": True}, datetime.now(UTC), 7)
    elsewhere = replica.Op("", "set_clock", (), {}, datetime(2026, 3, 1, 12, tzinfo=timezone(timedelta(hours=2))), 8)
    for each in (op, elsewhere):
        back = replica.load_op(replica.dump_op(each))
        assert back == each and back.real_time.tzinfo == each.real_time.tzinfo
    assert replica.load_op(replica.dump_op(op)).real_time.tzinfo is UTC
    assert b"datetime" not in replica.dump_op(op)  # the UTC instant went as microseconds
    # What ops were before: `Op` itself with the datetime.
    fields = (op.target, op.method, op.args, op.kwargs, op.real_time, op.seed)
    assert replica.load_op(pickle.dumps(_Reduced(replica.Op, fields), 5)) == op


class _Reduced:
    """Pickles as `callable(*args)`, the form an older reducer wrote."""

    def __init__(self, callable_, args) -> None:
        self._reduced = (callable_, args)

    def __reduce__(self):
        return self._reduced
