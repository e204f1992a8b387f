"""A resident follows their complaint online from the private link we give them: on the thanks page of the public
form and in every letter's email. They see where it stands and what happens next, read our letters, ask for a
review (Stage 2) without giving reasons — and a manager then has the Stage 2 work — or withdraw it; an expired or
changed link gets a page that sends a new one."""

import re

import pytest
from sqlalchemy import select

from service.persistence.models import OutboundEmail
from tests.conftest import ANALYSIS, csrf_token, london, pdf_text, respond_stage1
from tests.web.test_public_form import GOOD, post


def public_complaint(app, **fields):
    """(reference, private link path) from the public form's thanks page."""
    page = post(app.test_client(), {**GOOD, **fields}).get_data(as_text=True)
    reference = page.split('id="reference">', 1)[1].split("<", 1)[0].strip()
    link = re.search(r'id="portal-link" href="http://127\.0\.0\.1:5000(/my-complaint/[^"]+)"', page).group(1)
    return reference, link


def emails(ctx, to):
    with ctx.uow() as uow:
        return [(m.subject, m.body) for m in uow.session.scalars(
            select(OutboundEmail).where(OutboundEmail.to_address == to).order_by(OutboundEmail.id))]


def text(response):
    """The page's words on one line, without tags."""
    return " ".join(re.sub(r"<[^>]+>", "", response.get_data(as_text=True)).split())


def handler_of(api, ref):
    return api(api("adam").get(f"/complaints/{ref}").get_json()["open_tasks"][0]["assignee"])


def test_a_resident_follows_their_complaint_and_asks_for_a_review_without_reasons(app, api, clock, ctx):
    clock(london(2026, 12, 1, 10))
    ref, link = public_complaint(app)
    resident = app.test_client()
    first = text(resident.get(link))
    assert f"Your complaint {ref}" in first and "We received it on 1 December 2026" in first
    assert "We acknowledge your complaint and tell you who is dealing with it: by 8 December 2026" in first
    assert "Ask for a review" not in first  # not before our Stage 1 response

    officer = handler_of(api, ref)
    respond_stage1(officer, ref, "2026-12-01", reasons="The damp is condensation")
    [(_, body)] = [m for m in emails(ctx, GOOD["email"]) if "acknowledgement" in m[1]]
    assert re.search(r"http://127\.0\.0\.1:5000/my-complaint/\S+", body)  # every letter's email carries the link
    page = resident.get(link)
    seen = text(page)
    assert "Acknowledgement (Stage 1) (PDF)" in seen and "Stage 1 response (PDF)" in seen
    assert "You do not have to give reasons." in seen
    letter = re.search(r'href="(/my-complaint/[^"]+/letters/\d+\.pdf)">Stage 1 response', page.get_data(as_text=True))
    pdf = resident.get(letter.group(1))
    assert pdf.status_code == 200 and "The damp is condensation" in pdf_text(pdf.data)

    asked = resident.post(link + "/escalate", data={"csrf_token": csrf_token(page.get_data(as_text=True))},
                          follow_redirects=True)
    assert "we have your request for a review (Stage 2)" in text(asked)
    assert "We acknowledge your request for a review (Stage 2): by" in text(asked)
    manager = api("maya")
    assert manager.task(ref, "stage2_acknowledge")  # the Stage 2 work is the manager's now
    history = api("adam").get(f"/complaints/{ref}").get_json()["history"]
    [entry] = [h for h in history if h["kind"] == "task_completed" and h["detail"]["task"] == "escalation"]
    assert entry["actor"] is None and entry["summary"].endswith("done by the resident, online")
    assert entry["detail"]["data"]["escalation_requested_on"] == "2026-12-01"
    again = resident.post(link + "/escalate", data={"csrf_token": csrf_token(page.get_data(as_text=True))},
                          follow_redirects=True)
    assert "only while your complaint is at Stage 1" in text(again)  # refused with the reason, nothing changed


def answer_after_quick_fix(officer, ref):
    """Seeds 000 and 001: past the quick fix, acknowledged by phone and letter, answered on 1 December 2026."""
    officer.complete(ref, "quick_fix", {"quick_fix_outcome": "not_resolved"})
    officer.complete(ref, "triage", {"triage_decision": "accept"})
    officer.complete(ref, "stage1_acknowledge", {"stage1_acknowledged_on": "2026-12-01", "complaint_definition": "D",
                                                 "outcome_sought": "F", "acknowledged_by": ["phone", "letter"]})
    officer.complete(ref, "stage1_investigate", {"investigation_notes": "n", "stage1_next_step": "respond"})
    officer.complete(ref, "stage1_respond", {"stage1_responded_on": "2026-12-01", **ANALYSIS,
                                             "stage1_decision": "not_upheld", "stage1_reasons": "r"})


@pytest.mark.parametrize("profile", ["seed-000"])
def test_where_the_procedure_asks_for_reasons_the_review_request_needs_them(app, api, clock):
    clock(london(2026, 12, 1, 10))
    ref, link = public_complaint(app)
    answer_after_quick_fix(handler_of(api, ref), ref)
    resident = app.test_client()
    page = resident.get(link).get_data(as_text=True)
    assert "What are you still unhappy about? (required)" in page
    missing = resident.post(link + "/escalate", data={"csrf_token": csrf_token(page)})
    assert missing.status_code == 422 and "This procedure asks what the resident disagrees with." in text(missing)
    done = resident.post(link + "/escalate", data={"csrf_token": csrf_token(page), "reasons": "Still damp",
                                                   "outcome": "A new fan"}, follow_redirects=True)
    assert "we have your request for a review" in text(done)


def test_a_resident_withdraws_online(app, api, clock):
    clock(london(2026, 12, 1, 10))
    ref, link = public_complaint(app)
    resident = app.test_client()
    page = resident.get(link).get_data(as_text=True)
    done = resident.post(link + "/withdraw", data={"csrf_token": csrf_token(page), "note": "Sorted now"},
                         follow_redirects=True)
    assert "Your complaint is withdrawn. You can make a new complaint" in text(done) and "It is withdrawn." in text(done)
    view = api("adam").get(f"/complaints/{ref}").get_json()
    assert view["status"] == "withdrawn" and view["open_tasks"] == []
    assert view["history"][-1]["summary"] == "Withdrawn at the resident's request, asked online on 1 December 2026"


def test_an_expired_or_changed_link_offers_a_new_one_by_email(app, api, clock, ctx):
    clock(london(2026, 12, 1, 10))
    ref, link = public_complaint(app)
    resident = app.test_client()
    changed = resident.get(link[:-4] + "abcd")
    assert changed.status_code == 400 and "This link does not work" in text(changed)
    clock(london(2027, 1, 1, 10))  # 31 days on: links work for 30
    expired = resident.get(link)
    assert expired.status_code == 400 and "Links to your complaint work for 30 days" in text(expired)
    form = expired.get_data(as_text=True)
    wrong = resident.post("/my-complaint", data={"csrf_token": csrf_token(form), "reference": ref,
                                                 "email": "someone@example.org"})
    right = resident.post("/my-complaint", data={"csrf_token": csrf_token(form), "reference": ref.lower(),
                                                 "email": GOOD["email"].upper()})
    assert text(wrong) == text(right)  # the page tells nobody whose email is whose
    [(subject, body)] = [m for m in emails(ctx, GOOD["email"]) if "your link" in m[0]]
    assert subject == f"Your complaint {ref}: your link"
    fresh = re.search(r"http://127\.0\.0\.1:5000(/my-complaint/\S+)", body).group(1)
    assert resident.get(fresh).status_code == 200
    assert emails(ctx, "someone@example.org") == []


def test_a_link_opens_its_own_complaints_letters_only(app, api, clock, ctx):
    clock(london(2026, 12, 1, 10))
    mine, link = public_complaint(app)
    theirs, _ = public_complaint(app, name="Other Person", email="other@example.org")
    officer = handler_of(api, theirs)
    officer.complete(theirs, "triage", {"triage_decision": "accept"})
    officer.complete(theirs, "stage1_acknowledge", {"stage1_acknowledged_on": "2026-12-01",
                                                    "complaint_definition": "Theirs", "outcome_sought": "x"})
    [their_letter] = api("adam").get(f"/complaints/{theirs}/correspondence").get_json()
    refused = app.test_client().get(f"{link}/letters/{their_letter['id']}.pdf")
    assert refused.status_code == 404 and "We cannot find that letter" in text(refused)


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 2048


def upload(client, link, page, name, data, note=""):
    import io
    return client.post(link + "/evidence", data={"csrf_token": csrf_token(page), "note": note,
                                                 "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data", follow_redirects=True)


def test_a_resident_adds_a_photo_and_staff_have_it_on_the_complaint(app, api, clock):
    from tests.web.test_browser_forms import Browser

    clock(london(2026, 12, 1, 10))
    ref, link = public_complaint(app)
    resident = app.test_client()
    page = resident.get(link).get_data(as_text=True)
    sent = upload(resident, link, page, "../../damp photo.png", PNG, note="The wall by the window")
    assert "Thank you: we have damp photo.png" in text(sent) and "You have sent: damp photo.png" in text(sent)
    disguised = upload(resident, link, page, "photo.png", b"MZ\x90\x00" + b"\x00" * 100)
    assert "We can take PDF documents and JPEG or PNG photos; this file is none of them. Nothing was kept." in \
        text(disguised)
    too_big = upload(resident, link, page, "big.png", PNG + b"\x00" * (5 * 1024 * 1024))
    assert "Not sent: Files can be up to 5 MB; this one is larger. Nothing was kept." in text(too_big)
    huge = upload(resident, link, page, "huge.png", PNG + b"\x00" * (6 * 1024 * 1024))
    assert huge.status_code == 413 and "larger than the 5,308,416 bytes" in text(huge)

    view = api("adam").get(f"/complaints/{ref}").get_json()
    assert [(e["filename"], e["note"]) for e in view["evidence"]] == [("damp photo.png", "The wall by the window")]
    handler = view["handler"]["name"]
    officer = Browser(app, handler)
    assert f"{ref}: the resident added damp photo.png online" in officer.page("/")
    staff_page = officer.page(f"/complaints/{ref}")
    assert re.search(r"The resident added damp photo.png \(PNG image, 2 KB\) online</td><td>The resident</td>", staff_page)
    path = re.search(r'href="(/complaints/[^"]+/evidence/\d+)">damp photo.png', staff_page).group(1)
    download = officer.client.get(path)
    assert download.data == PNG and download.mimetype == "image/png"
    assert download.headers["Content-Disposition"] == 'attachment; filename="damp photo.png"'
    assert Browser(app, "priya").client.get(path).status_code == 403  # process owners never read residents' files


def test_a_resident_asks_for_an_adjustment(app, api, clock):
    clock(london(2026, 12, 1, 10))
    ref, link = public_complaint(app)
    resident = app.test_client()
    page = resident.get(link).get_data(as_text=True)
    unknown = resident.post(link + "/adjustments", data={"csrf_token": csrf_token(page), "adjustments": "castle"},
                            follow_redirects=True)
    assert "Not sent: Tick what would help" in text(unknown)
    done = resident.post(link + "/adjustments", data={"csrf_token": csrf_token(page), "adjustments": "large_print",
                                                      "adjustment_notes": "Mornings are best"}, follow_redirects=True)
    assert "We have on your record: Large print letters." in text(done)
    view = api("adam").get(f"/complaints/{ref}").get_json()
    assert view["complainant"]["adjustments"] == ["large_print"]
    assert "Mornings are best" in view["complainant"]["adjustment_notes"]
    assert view["history"][-1]["summary"] == "The resident asked online for large print letters: Mornings are best"


@pytest.mark.parametrize("profile", ["seed-001"])
def test_after_the_window_the_resident_is_told_when_it_ended_and_who_to_contact(app, api, clock):
    clock(london(2026, 12, 1, 10))
    ref, link = public_complaint(app)
    answer_after_quick_fix(handler_of(api, ref), ref)
    clock(london(2027, 1, 20, 10))  # 20 working days after 1 December (25 and 28 December off) ended on the 31st
    from service import app_context

    link = "/my-complaint/" + app_context(app).portal_links.token(1)  # a new link: the first has expired
    resident = app.test_client()
    page = resident.get(link).get_data(as_text=True)
    late = resident.post(link + "/escalate", data={"csrf_token": csrf_token(page), "reasons": "Still damp",
                                                   "outcome": "Fix"}, follow_redirects=True)
    assert ("The time to ask for a review ended on 31 December 2026, 20 working days after our response. If you are "
            f"still unhappy, contact us quoting {ref}, or the Housing Ombudsman on 0300 111 3000.") in text(late)
    assert api("hana").get(f"/complaints/{ref}").get_json()["stage"] == "stage1"  # nothing changed
