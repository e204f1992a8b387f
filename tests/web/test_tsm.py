"""TSM CH01/CH02 on a hand-computed case set (seed-003's procedure: no extension cap of its own, so an
extension beyond the Code's cap can happen), reporting year April 2026 to March 2027."""

import pytest

from service.use_cases import reports
from tests.conftest import ANALYSIS, day, london, stage2


def stage1(holly, clock, received, acknowledged, responded, extended_to=None):
    clock(day(received))
    ref = holly.post("/complaints", {"complainant": {"name": "R"}, "channel": "phone", "received_at": received,
                                     "description": "d"}).get_json()["reference"]
    holly.complete(ref, "quick_fix", {"quick_fix_outcome": "not_resolved"})
    holly.complete(ref, "triage", {"triage_decision": "accept"})
    clock(day(acknowledged))
    holly.complete(ref, "stage1_acknowledge", {"stage1_acknowledged_on": acknowledged, "complaint_definition": "x",
                                               "outcome_sought": "y"})
    if extended_to:
        holly.complete(ref, "stage1_investigate", {"investigation_notes": "n", "stage1_next_step": "extend",
                                                   "stage1_extended_to": extended_to,
                                                   "stage1_extension_reasons": "r"})
    clock(day(responded))
    holly.complete(ref, "stage1_investigate", {"investigation_notes": "n", "stage1_next_step": "respond"})
    holly.complete(ref, "stage1_respond", {"stage1_responded_on": responded, **ANALYSIS, "stage1_decision": "upheld",
                                           "stage1_reasons": "r"})
    return ref


@pytest.mark.parametrize("profile", ["seed-003"])
def test_tsm_matches_the_hand_computed_case_set(api, clock, ctx):
    holly, oscar = api("holly"), api("oscar")
    a = stage1(holly, clock, "2026-06-01", "2026-06-03", "2026-06-12")              # in time
    b = stage1(holly, clock, "2026-06-01", "2026-06-10", "2026-06-15")              # acknowledged late
    clock(day("2026-06-16"))
    holly.complete(b, "escalation_in_window", {"escalate": "yes", "escalation_requested_on": "2026-06-16"})
    stage2(oscar, clock, b, "2026-06-18", "2026-07-10", "upheld")                 # 20 WD from ack: in time
    c = stage1(holly, clock, "2027-03-15", "2027-03-17", "2027-04-01")              # March in, April out
    d = stage1(holly, clock, "2026-09-01", "2026-09-02", "2026-09-29", "2026-09-30")  # extension within cap
    e = stage1(holly, clock, "2026-10-01", "2026-10-02", "2026-11-10", "2026-11-13")  # extension beyond cap
    clock(day("2026-07-01"))
    f = holly.post("/complaints", {"complainant": {"name": "R"}, "channel": "phone", "received_at": "2026-07-01",
                                   "description": "d"}).get_json()["reference"]
    holly.complete(f, "quick_fix", {"quick_fix_outcome": "not_resolved"})
    holly.complete(f, "triage", {"triage_decision": "refuse", "exclusion": "legal_proceedings",
                                 "refusal_reasons": "Court", "ombudsman_informed": True})  # refused: not counted
    reports.set_homes(ctx, 2026, 2000, 500)

    result = holly.get("/reports/tsm?year=2026").get_json()
    assert result["counts"] == {"stage1_received": 5, "stage2_received": 1, "stage1_responded": 4,
                                "stage2_responded": 1, "stage1_responded_within": 2, "stage2_responded_within": 1}
    assert result["ch01"] == {
        "stage1": 2.0, "stage2": 0.4,
        "homes": {"low_cost_rental": 2000, "low_cost_home_ownership": 500, "total": 2500},
        # All logged as low-cost rental (the default tenure): 5 and 1 per 2,000 rental homes.
        "low_cost_rental": {"stage1": 2.5, "stage2": 0.5, "received": {"stage1": 5, "stage2": 1}, "homes": 2000},
        "low_cost_home_ownership": {"stage1": 0.0, "stage2": 0.0, "received": {"stage1": 0, "stage2": 0},
                                    "homes": 500}}
    assert result["ch02"] == {"stage1": 50.0, "stage2": 100.0}
    working = holly.get("/reports/tsm/working?year=2026&figure=stage1_responded_within").get_json()
    assert working == sorted([a, d])
    assert sorted(holly.get("/reports/tsm/working?year=2026&figure=stage1_received").get_json()) == sorted(
        [a, b, c, d, e])
    next_year = holly.get("/reports/tsm?year=2027").get_json()
    assert next_year["counts"]["stage1_responded"] == 1 and next_year["ch02"]["stage1"] == 100.0
    assert next_year["ch01"]["stage1"] is None  # no homes entered for 2027
    assert holly.get("/reports/tsm?year=1800").status_code == 422
    assert holly.get("/reports/tsm/working?year=2026&figure=nonsense").status_code == 422


def test_tsm_page_shows_the_working_and_managers_enter_homes(api, app, clock):
    from tests.conftest import csrf_token
    from tests.web.test_browser_forms import Browser

    olivia = api("olivia")
    clock(london(2026, 12, 1))
    ref = olivia.post("/complaints", {"complainant": {"name": "R"}, "channel": "phone", "received_at": "2026-11-30",
                                      "description": "d"}).get_json()["reference"]
    maya = Browser(app, "maya")
    page = maya.page("/reports/tsm?year=2026")
    assert "enter homes" in page
    maya.client.post("/reports/homes", data={"year": "2026", "low_cost_rental": "900", "low_cost_home_ownership": "100",
                                             "csrf_token": csrf_token(page)})
    page = maya.page("/reports/tsm?year=2026&working=stage1_received")
    assert ">1.0<" in page and ref in page
    officer = Browser(app, "olivia")
    token = csrf_token(officer.page("/reports/tsm"))
    assert officer.client.post("/reports/homes", data={"year": "2026", "csrf_token": token}).status_code == 403


def test_register_csv_round_trips_the_complaints(api, app, clock):
    import csv
    import io

    olivia = api("olivia")
    clock(london(2026, 12, 21))
    refs = [olivia.post("/complaints", {"complainant": {"name": f"Resident {n}"}, "channel": "email",
                                        "received_at": "2026-12-18", "description": "d"}).get_json()["reference"]
            for n in range(3)]
    olivia.complete(refs[0], "triage", {"triage_decision": "accept"})
    olivia.complete(refs[0], "stage1_acknowledge", {"stage1_acknowledged_on": "2026-12-21",
                                                    "complaint_definition": "x", "outcome_sought": "y"})
    response = olivia.client.get("/api/v1/reports/register.csv?sort=oldest", headers={"Authorization": f"Bearer {olivia.token}"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["reference"] for r in rows] == refs
    for row in rows:
        view = olivia.get(f"/complaints/{row['reference']}").get_json()
        assert row["complainant"] == view["complainant"]["name"] and row["status"] == view["status"]
        assert row["handler"] == view["handler"]["name"]
        for key, deadline in view["deadlines"].items():
            assert row[f"{key}_due"] == deadline["due"] and row[f"{key}_met_on"] == (deadline["met_on"] or "")
    assert rows[0]["stage1_acknowledge_on_time"] == "yes" and rows[1]["stage1_acknowledge_on_time"] == ""
    assert app.test_client().get("/api/v1/reports/register.csv").status_code == 401


def test_the_measures_count_low_cost_residents_only_and_report_the_rest_beside_them(api, app, clock, ctx):
    from service.use_cases import change_tenure
    from service.use_cases.context import Actor
    from tests.web.test_browser_forms import Browser

    olivia = api("olivia")
    officer = Actor(id=1, name="olivia", role="officer")
    tenures = ["low_cost_rental", "low_cost_rental", "low_cost_home_ownership", "other", "unknown"]
    refs = []
    for tenure in tenures:
        clock(day("2026-06-01"))
        ref = olivia.post("/complaints", {"complainant": {"name": "R"}, "channel": "phone", "received_at": "2026-06-01",
                                          "description": "d"}).get_json()["reference"]
        change_tenure.run(ctx, ref, tenure, officer)
        olivia.complete(ref, "triage", {"triage_decision": "accept"})
        olivia.complete(ref, "stage1_acknowledge", {"stage1_acknowledged_on": "2026-06-01", "complaint_definition": "x",
                                                    "outcome_sought": "y"})
        olivia.complete(ref, "stage1_investigate", {"investigation_notes": "n", "stage1_next_step": "respond"})
        olivia.complete(ref, "stage1_respond", {"stage1_responded_on": "2026-06-01", **ANALYSIS,
                                                "stage1_decision": "upheld", "stage1_reasons": "r"})
        refs.append(ref)
    reports.set_homes(ctx, 2026, 1000, 250)

    result = olivia.get("/reports/tsm?year=2026").get_json()
    assert result["counts"]["stage1_received"] == 3 and result["counts"]["stage1_responded"] == 3
    assert result["ch01"]["stage1"] == 2.4  # 3 per 1,250 homes: the leaseholder and the unknown are not in it
    assert result["not_measured"] == {"stage1_received": 2, "stage2_received": 0, "stage1_responded": 2,
                                      "stage2_responded": 0}
    assert olivia.get("/reports/tsm/working?year=2026&figure=other_stage1_received").get_json() == sorted(refs[3:])
    assert olivia.get("/reports/tsm/working?year=2026&figure=stage1_received").get_json() == sorted(refs[:3])
    page = " ".join(Browser(app, "maya").page("/reports/tsm?year=2026&working=other_stage1_received").split())
    assert all(ref in page for ref in refs[3:]) and not any(f">{ref}<" in page for ref in refs[:3])
    assert "Count the homes you <strong>own</strong> on <strong>31 March 2027</strong>" in page
    assert "2 complaints received" in page
