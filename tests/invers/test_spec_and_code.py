"""The spec and the code name the same things: commands, capabilities, master-data fields, problem types."""

from __future__ import annotations

import re

from conformance.contract import load_spec, spec_path
from fixtures.invers import build_invers_world
from mockserver.invers import problems
from mockserver.invers.commands import CAPABILITIES, COMMANDS


def test_the_command_path_names_are_the_commands_the_world_knows():
    spec = load_spec("invers.yaml")
    assert set(spec["components"]["schemas"]["CommandName"]["enum"]) == set(COMMANDS)
    state = load_spec("sandbox.yaml")["components"]["schemas"]["InversStateVehicle"]
    assert set(state["properties"]["capabilities"]["properties"]["commands"]["items"]["enum"]) == CAPABILITIES


def test_master_data_fields_agree_between_spec_fixtures_and_state():
    schemas = load_spec("invers.yaml")["components"]["schemas"]
    shown = set(schemas["MasterData"]["required"])
    assert set(schemas["MasterDataUpdate"]["properties"]) == shown
    assert set(build_invers_world(1, 2)["vehicles"][0]["master_data"]) == shown
    assert (
        set(
            load_spec("sandbox.yaml")["components"]["schemas"]["InversStateVehicle"]["properties"]["master_data"][
                "required"
            ]
        )
        == shown
    )


def test_every_problem_type_the_spec_names_is_in_the_catalogue():
    named = set(re.findall(r"/problems/[a-z/-]+[a-z]", spec_path("invers.yaml").read_text()))
    catalogue = {value.type for value in vars(problems).values() if isinstance(value, problems.ProblemType)}
    assert named and named <= catalogue
