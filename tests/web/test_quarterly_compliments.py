"""Compliments published quarterly beside the complaint figures (seed-002 3.4: "We monitor the volume of
compliments received, report and publish it, quarterly alongside our complaint reporting"): counted by quarter,
team and channel from compliments recorded across two quarters, with nobody's name in what is published."""

from __future__ import annotations

import re

import pytest

from tests.conftest import london
from tests.web.test_browser_forms import Browser
from tests.web.test_reports import pdf_text

# (the day it came and was recorded, from, channel, about a member of staff, about a team, what they said)
COMPLIMENTS = [
    ((2026, 8, 10), "Winifred Quayle", "phone", "", "Repairs", "The plumber was kind"),
    ((2026, 9, 1), "Horace Pendle", "email", "colin", "", "Colin sorted it"),
    ((2026, 10, 2), "Ottilie Marsh", "letter", "", "  repairs ", "Roof fixed fast"),
    ((2026, 11, 5), "Ivor Trent", "social_media", "", "Lettings", "Smooth move"),
    ((2026, 12, 18), "Rosa Bell", "letter", "colin", "Lettings", "Thank you Colin"),
]
PERSONAL = ["Winifred", "Horace", "Ottilie", "Ivor", "Rosa", "plumber", "sorted", "Roof fixed", "Smooth", "Thank you",
            "Colin", "Complaints-Officer"]


def record_compliments(app, clock):
    """Each compliment recorded by an officer on the day it came."""
    for (year, month, day), sender, channel, staff, team, words in COMPLIMENTS:
        clock(london(year, month, day, 11))
        Browser(app, "cora").submit("/compliments", {
            "from_name": sender, "channel": channel, "received_on": f"{year}-{month:02d}-{day:02d}",
            "about_staff": staff, "about_team": team, "description": words})


@pytest.mark.parametrize("profile", ["seed-002"])
def test_compliments_are_published_each_quarter_beside_the_complaint_figures(app, api, clock):
    record_compliments(app, clock)
    clock(london(2026, 12, 18, 14))
    cora = Browser(app, "cora")
    page = cora.page("/compliments")
    thank = re.search(r"/compliments/(\d+)/acknowledged", page).group(1)  # the newest: Rosa Bell's, in Q3
    cora.submit(f"/compliments/{thank}/acknowledged", {}, form_on="/compliments")
    logged = api("cora").post("/complaints", {"complainant": {"name": "Pat Quarter"}, "channel": "phone",
                                              "received_at": "2026-12-18", "description": "Damp"})
    assert logged.status_code == 201, logged.get_json()
    assert 'href="/reports/quarter-2026-3.pdf"' in cora.page("/compliments")  # this quarter's report
    dashboard = cora.page("/reports/dashboard?year=2026")
    assert all(f'href="/reports/quarter-2026-{n}.pdf"' in dashboard for n in (1, 2, 3, 4))

    # Published: any member of staff may fetch it, process owners too, since it names nobody.
    owner = Browser(app, "priya")
    third = pdf_text(owner.client.get("/reports/quarter-2026-3.pdf"))
    assert "Complaints and compliments: October to December 2026" in third
    assert "Complaints received: 1;" in third  # the complaint figures of the same quarter
    assert "Compliments received in the quarter: 3; acknowledged to the resident: 1." in third
    assert ("Quarter Compliments received Q1 April to June 0 Q2 July to September 2 Q3 October to December 3"
            in third)
    # "  repairs " and "Repairs" are one team.
    assert "Team or service area praised Compliments Lettings 2 repairs 1 Received by" in third
    assert "Received by Compliments Letter 2 Social media 1" in third

    second = pdf_text(owner.client.get("/reports/quarter-2026-2.pdf"))
    assert "Complaints and compliments: July to September 2026" in second
    assert "Compliments received in the quarter: 2; acknowledged to the resident: 0." in second
    assert "Quarter Compliments received Q1 April to June 0 Q2 July to September 2 Team" in second
    assert "Team or service area praised Compliments Repairs 1 Team not recorded 1" in second
    assert "Received by Compliments Email 1 Phone 1" in second
    assert "Complaints received: 0;" in second

    for text in (second, third):  # no resident's name or words, no member of staff's name
        assert not [word for word in PERSONAL if word.lower() in text.lower()], text
    assert owner.client.get("/reports/quarter-2026-5.pdf").status_code == 400


def test_a_profile_that_does_not_publish_compliments_quarterly_has_no_quarterly_report(app, clock):
    clock(london(2026, 12, 18, 14))
    maya = Browser(app, "maya")
    refused = maya.client.get("/reports/quarter-2026-3.pdf")
    assert refused.status_code == 404 and "publishes no quarterly report" in refused.get_data(as_text=True)
    assert "/reports/quarter-" not in maya.page("/reports/dashboard?year=2026")
    assert "/reports/quarter-" not in maya.page("/compliments")
