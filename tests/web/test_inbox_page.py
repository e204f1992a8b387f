"""The officer's inbox: each task's resident, stage, working days left (marked at 2 and at 0), flags, filters
with counts, and search by reference or name."""

import re

from tests.conftest import london
from tests.web.test_browser_forms import Browser


def cells(page, reference):
    """The text of each cell of the inbox row of complaint `reference`."""
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", page, re.S) if reference in r)
    return [re.sub(r"<[^>]+>", " ", cell).split() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]


def test_the_inbox_shows_who_what_stage_days_left_and_flags_and_filters(app, api, clock):
    olivia = api("olivia")
    clock(london(2026, 12, 14))
    plain = olivia.post("/complaints", {"complainant": {"name": "Pat Plain"}, "channel": "phone",
                                        "received_at": "2026-12-14", "description": "Fence"}).get_json()["reference"]
    flagged = olivia.post("/complaints", {
        "complainant": {"name": "Vera Vulnerable"}, "adjustments": ["large_print"], "vulnerabilities": "Sight loss",
        "representative_name": "Sam Son", "representative_relationship": "son",
        "representative_consent": "Signed form", "channel": "phone", "received_at": "2026-12-10",
        "description": "Damp"})
    assert flagged.status_code == 201, flagged.get_json()
    flagged = flagged.get_json()["reference"]
    browser = Browser(app, "olivia")
    page = browser.page("/")
    # Received Monday 14 December: acknowledgement due on the 21st, 5 working days away.
    assert cells(page, plain)[:4] == [["21", "December", "2026", "5", "working", "days", "left"],
                                      ["Triage:", "accept", "or", "refuse"], ["Pat", "Plain"],
                                      [plain, "Stage", "1"]]
    # Received Thursday 10 December: due Thursday 17th, 3 working days on from Monday 14th.
    vera = cells(page, flagged)
    assert vera[0][-4:] == ["3", "working", "days", "left"] and vera[2] == ["Vera", "Vulnerable"]
    assert vera[4] == ["vulnerable", "adjustments", "representative"]
    clock(london(2026, 12, 16))
    assert '<span class="soon">1 working day left</span>' in browser.page("/")
    clock(london(2026, 12, 18))
    page = browser.page("/")
    assert '<span class="overdue">1 working day overdue</span>' in page
    assert "Overdue (1)" in page and "All (2)" in page and "Mine (2)" in page and "Stage 2 (0)" in page
    overdue = browser.page("/?show=overdue")
    assert flagged in overdue and plain not in overdue
    found = browser.page("/?q=vera")
    assert flagged in found and plain not in found and "All (1)" in found
    assert plain in browser.page(f"/?q={plain.lower()}")
    assert "No task matches." in browser.page("/?q=nobody")
