"""How one Schemathesis run is shared among processes: every chosen operation judged by exactly one of them."""

from __future__ import annotations

import pytest

from conformance.schemathesis_layer import operations
from conformance.schemathesis_processes import CONTRACT_PHASES, STATEFUL_PHASES, Part, parts_of, processes_at_once

EVERY = ["listCars", "createCar", "showCar", "deleteCar", "issueToken"]


def test_one_process_runs_every_phase_over_what_was_chosen():
    assert parts_of(CONTRACT_PHASES + STATEFUL_PHASES, [], EVERY, 1) == [Part(CONTRACT_PHASES + STATEFUL_PHASES, [])]
    assert parts_of(CONTRACT_PHASES, ["showCar"], EVERY, 1) == [Part(CONTRACT_PHASES, ["showCar"])]


@pytest.mark.parametrize("processes", [2, 3])
def test_the_contract_phases_are_split_by_operation_and_links_followed_apart(processes):
    parts = parts_of(CONTRACT_PHASES + STATEFUL_PHASES, [], EVERY, processes)
    contract = [part for part in parts if part.phases == CONTRACT_PHASES]
    assert len(contract) == processes
    judged = [operation for part in contract for operation in part.operation_ids]
    assert sorted(judged) == sorted(EVERY)  # each operation once, none left out
    assert max(map(len, (p.operation_ids for p in contract))) - min(len(p.operation_ids) for p in contract) <= 1
    # The link-following phase needs every operation: it gets them all, in a process of its own.
    assert [part for part in parts if part not in contract] == [Part(STATEFUL_PHASES, [])]


def test_a_chosen_few_are_split_and_no_process_is_started_for_nothing():
    assert parts_of(CONTRACT_PHASES, ["showCar", "deleteCar"], EVERY, 2) == [
        Part(CONTRACT_PHASES, ["showCar"]),
        Part(CONTRACT_PHASES, ["deleteCar"]),
    ]
    assert parts_of(CONTRACT_PHASES, ["showCar"], EVERY, 2) == [Part(CONTRACT_PHASES, ["showCar"])]
    assert parts_of(STATEFUL_PHASES, [], EVERY, 2) == [Part(STATEFUL_PHASES, [])]


@pytest.mark.parametrize("spec", ["trimble.yaml", "invers.yaml", "hourfleet.yaml"])
def test_every_operation_of_a_spec_is_judged_once(spec):
    every = [operation.operation_id for operation in operations(spec)]
    parts = parts_of(CONTRACT_PHASES, [], every, 2)
    assert sorted(operation for part in parts for operation in part.operation_ids) == sorted(every)


def test_a_second_process_only_where_there_is_a_second_core(monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    assert processes_at_once() == 1
    monkeypatch.setattr("os.cpu_count", lambda: None)
    assert processes_at_once() == 1
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert processes_at_once() == 2
