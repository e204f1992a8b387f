"""The register, dashboard, learning actions, self-assessment and the annual and half-year reports, on a case set
worked by hand (the Code's own procedure, reporting year April 2026 to March 2027)."""

import csv
import io
import re
import subprocess

import pytest
from openpyxl import load_workbook

from service.use_cases import register, reports
from tests.conftest import csrf_token, day, stage2
from tests.web.test_browser_forms import Browser


def log(officer, clock, received, name, tenure="low_cost_rental"):
    clock(day(received))
    return officer.post("/complaints", {"complainant": {"name": name}, "channel": "phone", "received_at": received,
                                        "description": "d", "tenure": tenure}).get_json()["reference"]


def stage1(officer, clock, ref, acknowledged, responded, category, root_cause, decision):
    officer.complete(ref, "triage", {"triage_decision": "accept"})
    clock(day(acknowledged))
    officer.complete(ref, "stage1_acknowledge", {"stage1_acknowledged_on": acknowledged,
                                                 "complaint_definition": "x", "outcome_sought": "y"})
    clock(day(responded))
    officer.complete(ref, "stage1_investigate", {"investigation_notes": "n", "stage1_next_step": "respond"})
    officer.complete(ref, "stage1_respond", {"stage1_responded_on": responded, "stage1_decision": decision,
                                             "stage1_reasons": "r", "complaint_category": category,
                                             "root_cause": root_cause})


@pytest.fixture
def case_set(api, clock, ctx):
    """A: in time, repairs/delay, upheld. B: acknowledged late, damp and mould, partly upheld, escalated and not
    upheld at Stage 2 (shared ownership). C: refused (legal proceedings). D: logged in January, never
    acknowledged: overdue."""
    olivia, max_ = api("olivia"), api("max")
    a = log(olivia, clock, "2026-06-01", "Ann Able")
    stage1(olivia, clock, a, "2026-06-03", "2026-06-12", "repairs", "delay", "upheld")
    b = log(olivia, clock, "2026-06-01", "Bob Baker", tenure="low_cost_home_ownership")
    stage1(olivia, clock, b, "2026-06-10", "2026-06-15", "damp_mould", "poor_communication", "partly_upheld")
    clock(day("2026-06-16"))
    olivia.complete(b, "escalation", {"escalate": "yes", "escalation_requested_on": "2026-06-16"})
    stage2(max_, clock, b, "2026-06-18", "2026-07-10", "not_upheld", complaint_category="damp_mould",
           root_cause="poor_communication")
    c = log(olivia, clock, "2026-07-01", "Cat Cole")
    olivia.complete(c, "triage", {"triage_decision": "refuse", "exclusion": "legal_proceedings",
                                  "refusal_reasons": "Court", "ombudsman_informed": True})
    d = log(olivia, clock, "2027-01-04", "Dan Dale")
    reports.set_homes(ctx, 2026, 2000, 500)
    clock(day("2027-02-01"))
    return {"a": a, "b": b, "c": c, "d": d}


def chart(figures, name):
    return {p["label"]: p["value"] for p in figures[name]["points"]}


def test_dashboard_figures_match_the_case_set(api, case_set):
    d = api("maya").get("/reports/dashboard?year=2026").get_json()
    assert (d["received"], d["open_now"], d["overdue_now"]) == (4, 3, 1)  # A and B await closing; D is overdue
    assert {k: v for k, v in chart(d, "months").items() if v} == {"Jun 2026": 2, "Jul 2026": 1, "Jan 2027": 1}
    assert chart(d, "stages") == {"Stage 1": 3, "Stage 2": 1}  # the refusal is not a Stage 1 complaint
    assert chart(d, "tenures") == {"Low-cost rental (general needs, supported, housing for older people)": 3,
                                   "Low-cost home ownership (shared ownership)": 1}
    # Acknowledgements: A in time, B late, D passed unmet → 1 of 3. Every response was in time.
    assert chart(d, "on_time") == {"Stage 1 acknowledgement": 33.3, "Stage 1 response": 100.0,
                                   "Stage 2 acknowledgement": 100.0, "Stage 2 response": 100.0}
    # Working days from receipt (or the escalation request): acknowledge A 2, B 7; respond A 9, B 10;
    # Stage 2 from 16 June: acknowledged in 2, answered 10 July in 18.
    assert chart(d, "working_days") == {"Stage 1: acknowledge": 4.5, "Stage 1: respond": 9.5,
                                        "Stage 2: acknowledge": 2.0, "Stage 2: respond": 18.0}
    assert chart(d, "categories") == {"Repairs and maintenance": 1, "Damp and mould": 1, "Not yet categorised": 2}
    assert chart(d, "root_causes") == {"Delay": 1, "Poor communication": 1}
    assert chart(d, "stage1_outcomes") == {"Upheld": 1, "Partly upheld": 1}
    assert chart(d, "stage2_outcomes") == {"Not upheld": 1}
    assert chart(d, "refusals") == {"Legal proceedings have been filed": 1}
    tsm = api("maya").get("/reports/tsm?year=2026").get_json()
    assert tsm["ch01"]["low_cost_rental"] == {"stage1": 1.0, "stage2": 0.0, "received": {"stage1": 2, "stage2": 0},
                                              "homes": 2000}
    assert tsm["ch01"]["low_cost_home_ownership"] == {"stage1": 2.0, "stage2": 2.0,
                                                      "received": {"stage1": 1, "stage2": 1}, "homes": 500}


def test_dashboard_page_draws_charts_with_their_numbers(app, case_set):
    page = Browser(app, "maya").page("/reports/dashboard?year=2026")
    assert page.count("<svg") >= 9
    assert "<title>Stage 1 acknowledgement: 33.3% </title>" in page  # on hover
    assert "<td>Stage 1 acknowledgement</td><td>33.3%</td>" in page  # and in the table beneath
    # Each count opens the complaints behind it in the register.
    link = re.search(r'<a href="(/reports/register\?[^"]*category=damp_mould[^"]*)">Damp and mould</a>', page)
    listed = Browser(app, "maya").page(link.group(1).replace("&amp;", "&"))
    assert case_set["b"] in listed and case_set["a"] not in listed
    june = re.search(r'<a href="([^"]*received_from=2026-06-01[^"]*)">Jun 2026</a>', page)
    listed = Browser(app, "maya").page(june.group(1).replace("&amp;", "&")).split("<tbody>")[1]
    assert case_set["a"] in listed and case_set["b"] in listed and case_set["c"] not in listed


def test_register_filters_sorts_pages_and_exports(api, app, ctx, case_set):
    maya = api("maya")
    a, b, c, d = (case_set[k] for k in "abcd")

    def refs(**args):
        return [row["reference"] for row in register.page(ctx, register.Filters.from_args(args)).rows]

    assert refs() == [d, c, b, a]  # newest first; A and B came the same day, later-logged first
    assert refs(sort="oldest") == [a, b, c, d]
    assert refs(status="refused") == [c]
    assert refs(category="repairs") == [a]
    assert refs(stage="stage2") == [b]
    assert refs(tenure="low_cost_home_ownership") == [b] and refs(stage2_outcome="not_upheld") == [b]
    assert refs(refusal_exclusion="legal_proceedings") == [c] and refs(root_cause="delay") == [a]
    assert refs(overdue="yes") == [d]
    assert refs(q="bob") == [b] and refs(q=c.lower()) == [c] and refs(q="CF-2099-000001") == []
    # A reference is looked up by its index alone, not also in every resident's name (which reads the register).
    assert "LIKE" not in str(register._query(register.Filters.from_args({"q": c.lower()})))
    assert "LIKE" in str(register._query(register.Filters.from_args({"q": "bob"})))
    assert refs(received_from="2026-07-01", received_to="2026-12-31") == [c]
    first = register.page(ctx, register.Filters(), size=2)
    second = register.page(ctx, register.Filters(), first.next_cursor or "", size=2)
    assert [r["reference"] for r in first.rows + second.rows] == [d, c, b, a] and second.next_cursor is None

    browser = Browser(app, "olivia")
    page = browser.page("/reports/register?status=open&sort=oldest")
    assert page.index(a) < page.index(b) < page.index(d) and c not in page.split("<tbody>")[1]
    assert browser.client.get("/reports/register?received_from=31-12-2026").status_code == 400
    assert browser.client.get("/reports/register?after=nonsense").status_code == 400

    headers = {"Authorization": f"Bearer {maya.token}"}
    text = maya.client.get("/api/v1/reports/register.csv?status=open", headers=headers).get_data(as_text=True)
    csv_rows = list(csv.reader(io.StringIO(text)))
    response = maya.client.get("/api/v1/reports/register.xlsx?status=open", headers=headers)
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.get_data()), read_only=True).active
    xlsx_rows = [[cell if cell is not None else "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert xlsx_rows == csv_rows and [r[0] for r in csv_rows[1:]] == [d, b, a]
    row_b = dict(zip(csv_rows[0], csv_rows[2], strict=True))
    assert (row_b["tenure"], row_b["category"], row_b["root_cause"], row_b["stage1_outcome"],
            row_b["stage2_outcome"]) == ("low_cost_home_ownership", "damp_mould", "poor_communication",
                                         "partly_upheld", "not_upheld")
    assert row_b["stage1_acknowledge_on_time"] == "no" and row_b["stage2_response_within_code"] == "yes"


def test_learning_actions_are_owned_followed_to_done_and_reported(app, case_set):
    a = case_set["a"]
    maya, olivia, owen = Browser(app, "maya"), Browser(app, "olivia"), Browser(app, "owen")
    path = f"/complaints/{a}"
    maya.submit(f"{path}/learning", {"action": "Book roof repairs within 5 days", "owner": "olivia",
                                     "due_on": "2027-03-01"}, form_on=path)
    maya.submit(f"{path}/learning", {"action": "Late", "owner": "olivia", "due_on": "2027-01-01"}, form_on=path)
    assert "cannot be in the past" in maya.page(path)
    page = maya.page("/learning")
    assert "Book roof repairs within 5 days" in page and a in page
    action_id = re.search(r'/learning/(\d+)/done', page).group(1)
    token = csrf_token(owen.page("/learning"))
    assert owen.client.post(f"/learning/{action_id}/done", data={"outcome": "x", "csrf_token": token}).status_code == 403
    token = csrf_token(olivia.page("/learning"))
    done = olivia.client.post(f"/learning/{action_id}/done", data={"outcome": "Repairs now booked by the call centre",
                                                                    "csrf_token": token})
    assert done.status_code == 302
    assert "Repairs now booked by the call centre" in olivia.page(path)
    assert "Learning action done" in olivia.page(path)  # in the complaint's history


def pdf_text(response):
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=response.get_data(), capture_output=True, check=True).stdout
    return " ".join(text.decode().split())


def test_annual_report_and_half_year_summary_render_from_live_data(app, case_set):
    maya = Browser(app, "maya")
    maya.submit("/learning", {"action": "Retrain the repairs desk", "owner": "olivia", "due_on": "2027-03-15"})
    maya.submit("/reports/self-assessment?year=2026", {"text-6.2": "Acknowledgements are checked weekly."})
    assert "Acknowledgements are checked weekly." in maya.page("/reports/self-assessment?year=2026")
    officer = Browser(app, "olivia")
    token = csrf_token(officer.page("/reports/self-assessment?year=2026"))
    assert officer.client.post("/reports/self-assessment?year=2026",
                               data={"text-6.2": "x", "csrf_token": token}).status_code == 403

    text = pdf_text(maya.client.get("/reports/annual-2026.pdf"))
    assert "Complaints performance and service improvement report 2026/27" in text
    assert "CH01(1) Stage 1 complaints per 1,000 homes 1.2 1.0 2.0" in text  # all, rental, shared ownership
    # B's response met its deadline, but its acknowledgement was late, so only A counts within the Code.
    assert "CH02(1) Stage 1 responded to within the Code's timescales 50.0% 1 of 2" in text
    assert "Stage 1 acknowledgements: 33.3% met on time (1 of 3)." in text  # 6.2, evidenced
    assert "0 of 1 Stage 2 reviews were handled by the Stage 1 handler" in text  # 6.13, evidenced
    assert "Refused complaints by reason: Legal proceedings have been filed 1." in text  # 8.1
    assert "Acknowledgements are checked weekly." in text
    assert "Retrain the repairs desk" in text
    assert "Not yet assessed." in text  # provisions without the landlord's words say so

    first_half = pdf_text(maya.client.get("/reports/half-year-2026-1.pdf"))
    assert "How we handled complaints: April 2026 to September 2026" in first_half
    assert "Complaints received: 3;" in first_half  # A, B and C; D came in January
    second_half = pdf_text(maya.client.get("/reports/half-year-2026-2.pdf"))
    assert "Complaints received: 1;" in second_half and "Retrain the repairs desk" in second_half
    assert maya.client.get("/reports/half-year-2026-3.pdf").status_code == 400


def test_compliments_are_recorded_passed_on_acknowledged_and_counted(api, app, case_set):
    olivia = Browser(app, "olivia")
    missing = olivia.submit("/compliments", {"from_name": "Eve Evans", "channel": "letter", "received_on": "2026-09-14",
                                             "description": "Thank you for the quick fix"}, expect=422)
    page = missing.get_data(as_text=True)
    assert "Say which member of staff or which team" in page and "Thank you for the quick fix" in page  # kept
    olivia.submit("/compliments", {"from_name": "Eve Evans", "channel": "letter", "received_on": "2026-09-14",
                                   "about_staff": "owen", "description": "Thank you for the quick fix"})
    olivia.submit("/compliments", {"from_name": "Fay Ford", "channel": "email", "received_on": "2027-01-20",
                                   "about_team": "Repairs team", "description": "Lovely work"})
    assert "A compliment from Eve Evans" in Browser(app, "owen").page("/")  # passed on to the person praised
    page = olivia.page("/compliments")
    compliment_id = re.search(r"/compliments/(\d+)/acknowledged", page).group(1)
    olivia.submit(f"/compliments/{compliment_id}/acknowledged", {}, form_on="/compliments")
    assert page.count("Resident thanked today</button>") == 2
    page = olivia.page("/compliments")
    assert page.count("Resident thanked today</button>") == 1 and "<td>1 Feb 2027</td>" in page
    d = api("maya").get("/reports/dashboard?year=2026").get_json()
    assert d["compliments"] == 2
    assert {k: v for k, v in chart(d, "compliment_months").items() if v} == {"Sep 2026": 1, "Jan 2027": 1}


def test_tsm_page_counts_one_complaint_in_the_singular(app, case_set):
    # Stage 2 received one complaint in the year (case_set): "1 complaint", not "1 complaints".
    page = Browser(app, "maya").page("/reports/tsm?year=2026")
    assert re.search(r">1 complaint</a>", page) and ">1 complaints<" not in page
    assert re.search(r">3 complaints</a>", page)  # Stage 1: three received
