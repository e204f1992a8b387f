"""An extension beyond the procedure's cap only with a good reason (Code 6.4 and 6.15: "without good reason"),
flagged in the register and its export, and counted outside the Code's timescale in the TSM."""

import csv
import io

from service.use_cases import reports
from tests.conftest import ANALYSIS, london
from tests.web.test_api_journey import log
from tests.web.test_browser_forms import Browser


def test_an_extension_beyond_the_cap_needs_a_good_reason_and_is_flagged(app, api, clock, ctx):
    olivia = api("olivia")
    clock(london(2026, 12, 21))
    ref = log(olivia).get_json()["reference"]
    olivia.complete(ref, "triage", {"triage_decision": "accept"})
    clock(london(2026, 12, 22))
    olivia.complete(ref, "stage1_acknowledge", {"stage1_acknowledged_on": "2026-12-22", "complaint_definition": "Damp",
                                                "outcome_sought": "Fix"})
    clock(london(2027, 1, 5))
    extend = {"investigation_notes": "Contractor booked", "stage1_next_step": "extend", "stage1_extended_to": "2027-01-25",
              "stage1_extension_reasons": "A structural survey is needed"}
    # Due 8 January; the cap of 10 working days allows 22 January at the latest.
    refused = olivia.complete(ref, "stage1_investigate", extend, 422)["errors"]["stage1_extended_to"]
    assert "the latest date is 22 January 2027, unless there is a good reason" in refused
    # A reason where none is needed is refused too: it would flag the complaint.
    needless = olivia.complete(ref, "stage1_investigate", {**extend, "stage1_extended_to": "2027-01-15",
                                                           "stage1_beyond_cap_reason": "Just in case"}, 422)
    assert "only for an extension beyond the procedure's limit (after 22 January 2027)" in \
        needless["errors"]["stage1_beyond_cap_reason"]
    olivia.complete(ref, "stage1_investigate", {**extend, "stage1_beyond_cap_reason":
                                                "The resident is in hospital until 20 January and asked us to wait"})
    assert olivia.get(f"/complaints/{ref}").get_json()["deadlines"]["stage1_response"]["due"] == "2027-01-25"

    clock(london(2027, 1, 25))
    olivia.complete(ref, "stage1_investigate", {"investigation_notes": "Survey done", "stage1_next_step": "respond"})
    olivia.complete(ref, "stage1_respond", {"stage1_responded_on": "2027-01-25", **ANALYSIS,
                                            "stage1_decision": "upheld", "stage1_reasons": "Late repair"})
    browser = Browser(app, "olivia")
    assert "extended beyond the limit" in browser.page(f"/reports/register?q={ref}")
    [row] = list(csv.DictReader(io.StringIO(browser.client.get(f"/reports/register.csv?q={ref}").get_data(as_text=True))))
    assert row["stage1_response_beyond_cap"] == "yes" and row["stage1_response_within_code"] == "no"
    # Met on its extended date, but outside the Code's timescale: not in CH02's "within".
    reports.set_homes(ctx, 2026, 1000, 0)
    counts = olivia.get("/reports/tsm?year=2026").get_json()["counts"]
    assert counts["stage1_responded"] == 1 and counts["stage1_responded_within"] == 0
