"""SortedKeys answers exactly what a sorted list would, through thousands of inserts and removals."""

from __future__ import annotations

import bisect
import pickle
import random

import pytest

from mockserver.engine.ordered import CHUNK, SortedKeys


def test_it_agrees_with_a_sorted_list_through_random_inserts_and_removals():
    rng = random.Random(11)
    held: list[int] = sorted(rng.sample(range(1_000_000), 5 * CHUNK))
    keys = SortedKeys(rng.sample(held, len(held)))
    for step in range(6000):
        if held and rng.random() < 0.45:
            gone = held.pop(rng.randrange(len(held)))
            keys.remove(gone)
        else:
            new = rng.randrange(1_000_000)
            if new in keys:
                continue
            bisect.insort(held, new)
            keys.add(new)
        if step % 500 == 0 or step > 5990:
            assert list(keys) == held and len(keys) == len(held)
            for offset, limit in ((0, 20), (rng.randrange(len(held)), 7), (len(held) - 3, 20), (len(held) + 5, 3)):
                assert keys.page(offset, limit) == held[offset : offset + limit]
                assert keys.page(offset, limit, descending=True) == held[::-1][offset : offset + limit]
            probe = rng.randrange(1_000_000)
            assert keys.position(probe) == bisect.bisect_left(held, probe)
            assert keys.position(probe, after=True) == bisect.bisect_right(held, probe)


def test_removing_a_key_it_does_not_hold_is_a_key_error_and_empty_is_fine():
    keys = SortedKeys(["b"])
    with pytest.raises(KeyError):
        keys.remove("a")
    keys.remove("b")
    assert len(keys) == 0 and keys.page(0, 10) == [] and keys.page(0, 10, descending=True) == []
    with pytest.raises(KeyError):
        keys.remove("b")
    keys.add("c")
    assert list(keys) == ["c"] and "c" in keys and "d" not in keys


def test_a_pickled_copy_answers_the_same():
    keys = SortedKeys(f"k{n:05d}" for n in range(3 * CHUNK))
    keys.remove("k00100")
    copy = pickle.loads(pickle.dumps(keys, 5))
    copy.add("k00100x")
    keys.add("k00100x")
    assert list(copy) == list(keys) and copy.page(90, 20, True) == keys.page(90, 20, True)
