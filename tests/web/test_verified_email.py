"""One person, one record, from the public form: its email proves nothing until the resident follows the link we
send to it, and then the complaint joins the record that already has that email."""

import re

from sqlalchemy import select

from service.persistence.models import Complainant, OutboundEmail
from tests.conftest import csrf_token, london
from tests.web.test_public_form import GOOD, post


def outbox(ctx, to):
    with ctx.uow() as uow:
        return [(m.subject, m.body) for m in uow.session.scalars(select(OutboundEmail).where(
            OutboundEmail.to_address == to, OutboundEmail.correspondence_id.is_(None)))]


def public_complaint(app, **fields):
    page = post(app.test_client(), {**GOOD, **fields}).get_data(as_text=True)
    return page.split('id="reference">', 1)[1].split("<", 1)[0].strip()


def test_a_public_complaint_joins_the_record_with_its_email_once_the_resident_confirms_it(app, api, clock, ctx):
    olivia = api("olivia")
    clock(london(2026, 12, 1))
    first = olivia.post("/complaints", {"complainant": {"name": "Rita Resident", "email": "rita@example.org"},
                                        "channel": "phone", "received_at": "2026-12-01",
                                        "description": "Boiler"}).get_json()["reference"]
    known = olivia.get(f"/complaints/{first}").get_json()["complainant"]["id"]

    clock(london(2026, 12, 2))
    ref = public_complaint(app, email="RITA@example.org", adjustments=["large_print"])
    given = olivia.get(f"/complaints/{ref}").get_json()["complainant"]
    assert given["id"] != known  # anyone can type anyone's email: a record of its own until confirmed
    [(subject, body)] = outbox(ctx, "RITA@example.org")
    assert subject == f"Your complaint {ref}: is this your email address?"
    link = re.search(r"http://127\.0\.0\.1:5000(/complain/confirm/\S+)", body).group(1)

    browser = app.test_client()
    ask = browser.get(link)
    assert ask.status_code == 200 and "Is this your email address?" in ask.get_data(as_text=True)
    assert olivia.get(f"/complaints/{ref}").get_json()["complainant"]["id"] == given["id"]  # a GET changes nothing
    done = browser.post(link, data={"csrf_token": csrf_token(ask.get_data(as_text=True))})
    assert done.status_code == 200 and f"Your complaint <strong>{ref}</strong> is now on your record" in \
        done.get_data(as_text=True)

    view = olivia.get(f"/complaints/{ref}").get_json()
    assert view["complainant"]["id"] == known and view["complainant"]["adjustments"] == ["large_print"]
    assert [h["kind"] for h in view["history"]][-1] == "linked_to_record"
    with ctx.uow() as uow:
        left = uow.session.get(Complainant, given["id"])
        assert left.email is None and left.name == f"Person {given['id']} (added to person {known})"
    again = browser.post(link, data={"csrf_token": csrf_token(ask.get_data(as_text=True))})
    assert again.status_code == 200  # the same again changes nothing
    assert olivia.get(f"/complaints/{ref}").get_json()["complainant"]["id"] == known


def test_a_tampered_or_expired_link_is_refused_and_changes_nothing(app, api, clock, ctx):
    olivia = api("olivia")
    clock(london(2026, 12, 1))
    olivia.post("/complaints", {"complainant": {"name": "Rita Resident", "email": "rita@example.org"},
                                "channel": "phone", "received_at": "2026-12-01", "description": "Boiler"})
    ref = public_complaint(app)
    [(_, body)] = outbox(ctx, "rita@example.org")
    link = re.search(r"(/complain/confirm/\S+)", body).group(1)
    tampered = app.test_client().get(link[:-3] + "abc")
    assert tampered.status_code == 400 and "This link does not work" in tampered.get_data(as_text=True)
    clock(london(2026, 12, 9))  # 8 days later: links last 7
    expired = app.test_client().get(link)
    assert expired.status_code == 400 and "links last 7 days" in expired.get_data(as_text=True)
    before = olivia.get(f"/complaints/{ref}").get_json()["complainant"]["id"]
    assert olivia.get(f"/complaints/{ref}").get_json()["complainant"]["id"] == before


def test_no_link_is_sent_when_no_one_else_has_the_email(app, clock, ctx):
    clock(london(2026, 12, 1))
    public_complaint(app, email="new@example.org")
    assert outbox(ctx, "new@example.org") == []
