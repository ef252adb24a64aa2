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


def test_a_column_of_shared_instants_goes_each_once_and_comes_back_shared():
    """Big worlds share their datetimes: a column is written by object (each once) and loads equal, every item
    in its own zone and fold, the shared ones shared again; columns of other kinds keep their exact form."""
    at = [datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=15 * n) for n in range(3)]
    shared = [at[n % 3] for n in range(30)] + [None, at[0]]
    packed = replica.instants(shared)
    assert len(packed[0]) == 3 * 10  # three instants' states
    loaded = replica.instants_of(pickle.loads(pickle.dumps(packed)))
    assert loaded == shared and loaded[0] is loaded[3] is loaded[-1] and loaded[-2] is None
    assert all(when.tzinfo is UTC for when in loaded if when is not None)
    other = timezone(timedelta(hours=2))
    mixed = [at[0], at[0].astimezone(other)] * 10  # equal instants in two zones: not one of them
    assert [(w, w.tzinfo) for w in replica.instants_of(replica.instants(mixed))] == [(w, w.tzinfo) for w in mixed]
    folded = [datetime(2025, 10, 26, 1, 30, fold=1)] * 10
    assert [w.fold for w in replica.instants_of(replica.instants(folded))] == [1] * 10
