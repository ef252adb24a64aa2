"""How one Schemathesis run is shared among processes: by phase, every operation in each, merged verdicts."""

from __future__ import annotations

import pytest

from conformance.schemathesis_processes import (
    CONTRACT_PHASES,
    STATEFUL_PHASES,
    Part,
    _collected,
    parts_of,
    processes_at_once,
)

EVERYTHING = CONTRACT_PHASES + STATEFUL_PHASES


def test_one_process_runs_every_phase_over_what_was_chosen():
    assert parts_of(EVERYTHING, [], 1) == [Part(EVERYTHING, [])]
    assert parts_of(CONTRACT_PHASES, ["showCar"], 1) == [Part(CONTRACT_PHASES, ["showCar"])]


@pytest.mark.parametrize("processes", [2, 3])
def test_the_phases_are_shared_and_each_sees_every_chosen_operation(processes):
    # Never split by operation: Schemathesis reuses what one operation answered in its requests to another.
    assert parts_of(EVERYTHING, [], processes) == [
        Part(["coverage"], []),
        Part(["examples", "fuzzing"], []),
        Part(STATEFUL_PHASES, []),
    ]
    assert parts_of(CONTRACT_PHASES, ["showCar", "deleteCar"], processes) == [
        Part(["coverage"], ["showCar", "deleteCar"]),
        Part(["examples", "fuzzing"], ["showCar", "deleteCar"]),
    ]


def test_no_process_is_started_for_nothing():
    assert parts_of(STATEFUL_PHASES, [], 2) == [Part(STATEFUL_PHASES, [])]
    assert parts_of(["coverage"], [], 2) == [Part(["coverage"], [])]


def test_an_operation_judged_by_two_parts_fails_if_either_found_something(tmp_path):
    def junit(folder, cases: dict[str, str | None]) -> None:
        folder.mkdir()
        body = "".join(
            f'<testcase name="{name}">' + (f'<failure message="x">{found}</failure>' if found else "") + "</testcase>"
            for name, found in cases.items()
        )
        (folder / "junit.xml").write_text(f"<testsuites><testsuite>{body}</testsuite></testsuites>")
        (folder / "output.txt").write_text(f"output of {folder.name}")

    junit(tmp_path / "0", {"GET /cars": None, "POST /cars": "- Server error", "GET /me": None})
    junit(
        tmp_path / "1",
        {"GET /cars": "- Undocumented status", "POST /cars": "- Response violates schema", "GET /me": None},
    )
    run = _collected([tmp_path / "0", tmp_path / "1"], "")
    assert run.results == {
        "GET /cars": "- Undocumented status",
        "POST /cars": "- Server error\n\n- Response violates schema",
        "GET /me": None,
    }
    assert run.output == "output of 0\noutput of 1"


def test_a_second_process_only_where_there_is_a_second_core(monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    assert processes_at_once() == 1
    monkeypatch.setattr("os.cpu_count", lambda: None)
    assert processes_at_once() == 1
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert processes_at_once() == 2


class _CommandLine:
    """Stands in for Schemathesis' click command: says its arguments and where it runs, then ends as click does."""

    @staticmethod
    def main(args: list[str], prog_name: str) -> None:
        import os

        print(prog_name, *args, "in", os.getcwd())
        raise SystemExit(int(args[-1]))


def test_each_part_runs_in_a_child_of_its_own_with_its_output_and_folder(tmp_path):
    import json

    from conformance.schemathesis_process import run_each

    folders = [tmp_path / "0", tmp_path / "1"]
    parts = []
    for number, folder in enumerate(folders):
        folder.mkdir()
        parts.append(
            {"arguments": ["run", f"part-{number}", "0"], "output": str(folder / "out"), "directory": str(folder)}
        )
    listed = tmp_path / "parts.json"
    listed.write_text(json.dumps(parts))
    assert run_each(_CommandLine, str(listed)) == 0
    for number, folder in enumerate(folders):
        assert (folder / "out").read_text() == f"st run part-{number} 0 in {folder}\n"
