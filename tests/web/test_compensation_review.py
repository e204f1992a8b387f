"""Seed-001: "the levels of compensation and ex gratia payments ... will be reviewed by the Customer Service Manager
and Director of Resource and Risk to maintain a level of equity and fairness". Payments offered through the real
remedy diagram, the review read and signed off by both, and refused to everyone else."""

import pytest

from tests.conftest import csrf_token, london
from tests.web.test_browser_forms import Browser
from tests.web.test_remedies import logged, offer


def paid_remedy(app, api, amounts, decision="approve"):
    """A complaint with a financial remedy of `amounts` offered by olivia and decided by the Head of Service."""
    ref = logged(api("olivia"))
    offer(app, "olivia", ref, {"remedy_kinds": ["apology", "financial"], "remedy_description": "Apology and payment",
                               **amounts})
    api("hana").complete(ref, "approve_remedy", {"remedy_approval": decision, "remedy_approval_reasons": "Compared"})
    return ref


def sign(app, name, notes, year=2026):
    browser = Browser(app, name)
    page = browser.client.get(f"/reports/compensation-review?year={year}").get_data(as_text=True)
    return browser.client.post("/reports/compensation-review",
                               data={"year": str(year), "notes": notes, "csrf_token": csrf_token(page)})


@pytest.mark.parametrize("profile", ["seed-001"])
def test_seed_001_compensation_levels_are_reviewed_and_signed_off_by_both_named_reviewers(app, api, clock):
    clock(london(2026, 12, 7))
    first = paid_remedy(app, api, {"time_and_trouble": "25", "distress_and_inconvenience": "50"})
    second = paid_remedy(app, api, {"quantifiable_loss": "40"})
    refused = paid_remedy(app, api, {"time_and_trouble": "500"}, decision="reject")

    cass = Browser(app, "cass")
    page = " ".join(cass.page("/reports/compensation-review?year=2026").split())
    assert "<td>Not yet categorised</td><td>2</td><td>40.00</td><td>57.50</td><td>75.00</td><td>115.00</td>" in page
    assert first in page and second in page and refused not in page
    assert "Olivia" not in page and "Lee" not in page  # references, never the residents' names
    assert "Compensation review" in page  # in the Reports menu of its reviewers

    assert sign(app, "olivia", "Fine").status_code == 403
    assert sign(app, "hana", "Fine").status_code == 403  # the Head of Service decides remedies, not their review
    blank = sign(app, "cass", "  ")
    assert blank.status_code == 422 and "Say what the review found" in blank.get_data(as_text=True)
    assert sign(app, "cass", "Levels consistent with the 2025 guidance").status_code == 302
    half = " ".join(Browser(app, "dev").page("/reports/compensation-review?year=2026").split())
    assert ("<td>Customer Service Manager</td><td>Cass Customer-Service-Manager</td><td>7 December 2026</td>"
            "<td>Levels consistent with the 2025 guidance</td>") in half
    assert "<td>Director of Resource and Risk</td><td>Not yet</td>" in half and "complete</span>" not in half
    assert sign(app, "dev", "Agreed; raise the lowest band next year").status_code == 302
    done = " ".join(Browser(app, "hana").page("/reports/compensation-review?year=2026").split())
    assert "Sign-off <span class=\"badge\">complete</span>" in done and "Sign off this year" not in done
    officer = Browser(app, "olivia").client.get("/reports/compensation-review?year=2026")
    assert officer.status_code == 403


def test_without_named_reviewers_the_stage2_role_reviews_the_levels(app, api, clock):
    clock(london(2026, 12, 7))
    assert sign(app, "maya", "Levels in line").status_code == 302
    page = " ".join(Browser(app, "max").page("/reports/compensation-review?year=2026").split())
    assert "<td>Maya Manager</td>" in page and "No payments offered on this year's complaints." in page
