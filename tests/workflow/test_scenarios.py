"""The scenario runner on the shipped procedure: under every profile, every path ends, none fails or is stuck,
and what the diagram does meets the Code and the profile; a changed timescale is caught with its scenario."""

from datetime import date

import pytest

from bench.scenario_suite import fields_for
from service.domain.behaviour import judge
from service.domain.policy import PROCESSES_DIR, available_profiles, load_policy
from service.workflow.explore import explore, scenario_days
from service.workflow.specs import compile_process, load_process_files

START = {"complaint_reference": "T", "channel": "phone"}


@pytest.fixture(scope="module")
def shipped():
    return load_process_files(PROCESSES_DIR, "complaint")


def test_scenario_days_cross_weekends_and_bank_holidays():
    assert scenario_days(2027) == [date(2027, 2, 1), date(2027, 3, 6), date(2027, 3, 25), date(2027, 5, 28),
                                   date(2027, 12, 24)]


@pytest.mark.parametrize("profile", available_profiles())
def test_the_shipped_procedure_passes_under_every_profile(shipped, profile):
    policy = load_policy(profile)
    ran = explore(compile_process("complaint", shipped), policy.params, fields_for(policy.params),
                  scenario_days(2027), start=lambda day: START)
    assert not ran.truncated and len(ran.paths) > 50
    assert all(path.ended and not path.error and not path.stuck for path in ran.paths)
    assert {fact.key for path in ran.paths for fact in path.deadlines} >= {
        "stage1_acknowledge", "stage1_response", "stage2_acknowledge", "stage2_response"}
    assert [f for f in judge(policy, ran.paths, True) if f.severity == "error"] == []


def test_a_longer_stage2_response_is_caught_with_the_dates_that_show_it(shipped):
    policy = load_policy("code-2024")
    xml = shipped["complaint.bpmn"].replace(
        'add_working_days(stage2_response_from, policy["stage2"]["response_days"])',
        "add_working_days(stage2_response_from, 21)", 1)
    ran = explore(compile_process("complaint", {"complaint.bpmn": xml}), policy.params, fields_for(policy.params),
                  [date(2027, 12, 24)], start=lambda day: START)
    [code] = [f for f in judge(policy, ran.paths, True) if f.section == "6.14" and "the Code allows" in f.message]
    assert code.where == "bpmn:set_stage2_response_due" and "21 working days after" in code.message
    assert code.scenario and "Fri 24 Dec 2027: received" in code.scenario and "escalation" in code.scenario


def test_only_answers_the_diagram_reads_are_varied(shipped):
    # How an extension was agreed is recorded, never read by the diagram: its other values would repeat paths.
    policy = load_policy("seed-000")
    ran = explore(compile_process("complaint", shipped), policy.params, fields_for(policy.params),
                  scenario_days(2027), start=lambda day: START)
    steps = [step for path in ran.paths for step in path.steps]
    assert any("(stage1_next_step=extend)" in step for step in steps)
    assert not any("extension_agreed_by=" in step for step in steps)
