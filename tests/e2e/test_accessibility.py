"""Every page of the app, checked by axe-core in Chromium against WCAG 2.2 AA: public pages as a visitor, the
resident's own page from its link, and every staff page as a member of staff allowed to open it. The pages come
from the authorization table, so a new page is checked as soon as it is added there."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from service import app_context
from service.persistence.models import Complaint
from service.use_cases import users, what_if
from tests.conftest import london
from tests.web.test_authorization import EXPECTED, allowed_roles, fill, first_user_per_role, real_objects
from tests.web.test_browser_forms import Browser
from tests.web.test_form_editor import ROW
from tests.web.test_process_versions import live_xml, upload
from tests.web.test_what_if import PRIYA, RESPONSE_DAYS, walk

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
STATUSES: dict[str, int] = {}
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
NOT_PAGES = ("/api/", "/static/", "/editor-static/", "/assets/", "/healthz", "/logo", ".pdf", ".csv", ".xlsx", ".zip", ".json",
             ".bpmn", "/matches", "/evidence/", "<any(")


def pages() -> list[str]:
    """Every GET route that answers with a page."""
    return sorted(key[4:] for key in EXPECTED if key.startswith("GET ") and not any(n in key for n in NOT_PAGES))


def violations(page, url: str) -> list[str]:
    """axe-core's WCAG 2.2 AA violations on the page at `url`, as `rule: how many elements`."""
    response = page.goto(url)
    STATUSES[url] = response.status if response else 0
    page.evaluate(AXE.read_text(encoding="utf-8"))  # evaluated by the browser's debugger, not as a page script
    result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    return [f"{v['id']} ({len(v['nodes'])}: {v['nodes'][0]['target']})" for v in result["violations"]]


def test_every_page_has_no_accessibility_violations(app, ctx, api, live_server, browser, clock):
    assert AXE.is_file(), "axe-core is missing: run bin/setup (npm ci)"
    # Real objects behind every page: a replayed month under a draft, and a form built in the browser.
    replayed = walk(api, clock, "2027-03-12")
    clock(london(2027, 4, 1, 11))
    priya = api("priya")
    draft = upload(priya, live_xml(priya)[1].replace(RESPONSE_DAYS, "8", 1), 201)
    run = what_if.start(ctx, "complaint", draft["version"], PRIYA, london(2027, 3, 1).date(), london(2027, 3, 31).date())
    what_if.run_pending(ctx)
    Browser(app, "priya").submit("/forms/new", {"name": "site_visit", "title": "Site visit", **ROW})
    clock(london(2026, 12, 1, 11))  # the matrix's objects are dated from here (a restriction reviewed in March)
    people = first_user_per_role(ctx)
    params = real_objects(app, ctx, people[ctx.policy.stage_role("1")])
    params.update(run_id=run["id"], name="site_visit")
    with ctx.uow() as uow:
        complaint_id = uow.session.scalar(select(Complaint.id).where(Complaint.reference == params["reference"]))
    params["token"] = app_context(app).portal_links.token(complaint_id)  # the resident's own page, really opened
    params["evidence_id"] = 1
    sessions = {}

    def page_for(role: str | None):
        if role not in sessions:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
            page = context.new_page()
            page.set_default_timeout(15000)
            if role is not None:
                page.goto(f"{live_server}/login")
                page.fill("input[name=name]", people[role])
                page.fill("input[name=password]", users.DEMO_PASSWORD)
                page.click("main button")
                page.wait_for_url(f"{live_server}/")
            sessions[role] = page
        return sessions[role]

    found, checked = {}, 0
    for pattern in pages():
        access = EXPECTED[f"GET {pattern}"]
        roles = sorted(allowed_roles(access, ctx))
        role = None if access.anonymous else (ctx.manager_role if ctx.manager_role in roles else roles[0])
        # The resident's page is opened with its real link (the authorization table's is a made-up one).
        path = pattern.replace("<token>", params["token"]) if pattern == "/my-complaint/<token>" else fill(pattern, params)
        if pattern == "/replays/<int:run_id>/complaints/<reference>":
            path = f"/replays/{run['id']}/complaints/{replayed}"  # a complaint of the replayed month
        problems = violations(page_for(role), live_server + path)
        checked += 1
        if problems:
            found[pattern] = problems
    assert checked > 30
    print("\n".join(f"{status} {url}" for url, status in sorted(STATUSES.items())))
    assert not found, "\n".join(f"{pattern}: {problems}" for pattern, problems in found.items())
