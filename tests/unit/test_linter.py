"""The Code linter on every profile, with its exact expected findings."""

import json

import pytest
from click.testing import CliRunner

from service.cli import main
from service.use_cases import lint_profile

EXPECTED = {
    "code-2024": [],
    "seed-000": [
        ("error", "5.2", "informal.kind"), ("error", "6.4", "stage1.extension_cap_days"),
        ("error", "6.12", "escalation.reasons_required"), ("error", "6.15", "stage2.extension_cap_days"),
        ("warning", "2.5", "exclusions.anonymous"), ("warning", "2.5", "exclusions.closed_complaint"),
        ("warning", "2.5", "exclusions.neighbour_dispute"),
        ("warning", "designated person (removed 1 Oct 2022)", "after_stage2.ombudsman_wait_weeks"),
    ],
    "seed-001": [
        ("error", "5.2", "informal.kind"), ("error", "6.4", "stage1.extension_cap_days"),
        ("error", "6.12", "escalation.reasons_required"), ("error", "6.15", "stage2.extension_cap_days"),
        ("warning", "5.11", "escalation.may_decline"),
        ("warning", "designated person (removed 1 Oct 2022)", "after_stage2.ombudsman_wait_weeks"),
    ],
    "seed-002": [
        ("error", "5.2", "informal.kind"),
        ("warning", "2.5", "exclusions.policy_or_law"), ("warning", "2.5", "exclusions.service_charge_tribunal"),
    ],
    "seed-003": [
        ("error", "5.2", "informal.kind"), ("error", "6.4", "stage1.extension_cap_days"),
        ("error", "6.15", "stage2.extension_cap_days"), ("warning", "2.3", "time_limit.discretion"),
        ("warning", "2.5", "exclusions.feedback_needing_no_response"),
    ],
    "seed-004": [("warning", "5.11", "escalation.may_decline")],
}


@pytest.mark.parametrize("profile", sorted(EXPECTED))
def test_each_profile_has_exactly_its_findings(profile):
    found = [(f.severity, f.section, f.where) for f in lint_profile.run(profile)]
    assert found == EXPECTED[profile]
    assert all(f.message for f in lint_profile.run(profile))


def test_linter_checks_timescales_stages_and_impartiality(monkeypatch):
    from service.domain.linter import UserTaskFact, lint
    from service.domain.policy import Policy, load_policy

    params = json.loads(json.dumps(load_policy("code-2024").params))
    params["stage1"].update(acknowledge_days=7, extension_cap_days=15)
    params["stage2"].update(response_days=25)
    params["stage_roles"] = {"1": "officer", "2": "officer"}
    params["exclusions"]["everything_about_rent"] = "Anything about rent"
    tasks = [UserTaskFact("appeal_panel", "manager", {"stage": "3"})]
    found = {(f.section, f.where) for f in lint(Policy("bad", params), tasks)}
    assert found == {("6.2", "stage1.acknowledge_days"), ("6.4", "stage1.extension_cap_days"),
                     ("6.14", "stage2.response_days"), ("6.13", "stage_roles"), ("5.3", "bpmn:stage"),
                     ("2.5", "exclusions.everything_about_rent")}


def test_lint_command_exit_status_and_json(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPLAINTFLOW_DATABASE_URL", f"sqlite:///{tmp_path / 'lint.db'}")
    monkeypatch.setenv("COMPLAINTFLOW_VAR_DIR", str(tmp_path))
    runner = CliRunner()
    failing = runner.invoke(main, ["lint", "--profile", "seed-001"])
    assert failing.exit_code == 1 and "5.2" in failing.output and "6.12" in failing.output
    clean = runner.invoke(main, ["lint", "--profile", "code-2024"])
    assert clean.exit_code == 0 and "0 error(s)" in clean.output
    as_json = runner.invoke(main, ["lint", "--profile", "seed-004", "--json"])
    assert as_json.exit_code == 0
    assert json.loads(as_json.output)["findings"][0]["section"] == "5.11"
    assert runner.invoke(main, ["lint", "--profile", "nope"]).exit_code != 0
