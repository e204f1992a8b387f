"""A resident complains through the public form and, once an officer acknowledges, receives the acknowledgement
by email — over real SMTP (aiosmtpd on 127.0.0.1) with the letter as PDF — and the complaint shows the whole
correspondence log. A failing mail server leaves the email queued; it goes once the server is back."""

import email
import re
import socket
import subprocess
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller

from service.outbound.mail import SmtpMailer
from service.use_cases import send_outbox
from tests.conftest import csrf_token, london
from tests.web.test_browser_forms import Browser

XSS = '<script>alert("x")</script>'


class Inbox:
    """An aiosmtpd handler that keeps every message it is sent."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A real SMTP server on 127.0.0.1 that can be stopped and started again on the same port."""

    def __init__(self):
        self.inbox, self.port, self.controller = Inbox(), free_port(), None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp():
    server = Server()
    server.start()
    yield server, server.inbox, SmtpMailer("127.0.0.1", server.port, tls="none", timeout=5)
    server.stop()


def pdf_text(pdf: bytes, *args) -> str:
    result = subprocess.run(["pdftotext", *args, "-", "-"], input=pdf, capture_output=True, check=True)
    return result.stdout.decode()


def public_complaint(app, **fields):
    client = app.test_client()
    token = csrf_token(client.get("/complain").get_data(as_text=True))
    data = {"name": "Rita Resident", "email": "rita@example.org", "address": "1 Flat, Leeds",
            "description": f"Damp in the bedroom {XSS}", "outcome_sought": "Fix the damp", **fields}
    return client.post("/complain", data={**data, "csrf_token": token})


def test_public_form_to_acknowledgement_email_with_pdf_and_the_correspondence_log(app, api, ctx, clock, smtp):
    controller, inbox, mailer = smtp
    clock(london(2027, 3, 1))  # Monday
    response = public_complaint(app, adjustments="large_print")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    reference = re.search(r'id="reference">([^<]+)<', page).group(1)
    assert "8 March 2027" in page  # acknowledge within 5 working days, as a resident writes the date
    olivia = api("olivia")
    detail = olivia.get(f"/complaints/{reference}").get_json()
    assert detail["channel"] == "web" and detail["complainant"]["adjustments"] == ["large_print"]

    olivia.complete(reference, "triage", {"triage_decision": "accept"})
    olivia.complete(reference, "stage1_acknowledge", {"stage1_acknowledged_on": "2027-03-01",
                                                      "complaint_definition": f"Damp not treated {XSS}",
                                                      "outcome_sought": "Fix"})
    assert send_outbox.run(ctx, mailer) == send_outbox.Sent(1, 0)
    [message] = inbox.messages
    assert message["To"] == "rita@example.org" and reference in message["Subject"]
    [attachment] = [part for part in message.walk() if part.get_content_type() == "application/pdf"]
    text = pdf_text(attachment.get_payload(decode=True))
    assert reference in text and "Damp not treated" in text
    assert XSS in " ".join(text.split())  # printed as text, never run as markup
    assert "15 March 2027" in " ".join(text.split())  # the Stage 1 response is due 10 working days after acknowledgement

    log = olivia.get(f"/complaints/{reference}/correspondence").get_json()
    assert [(item["kind"], item["letter"], item["direction"]) for item in log] == [
        ("letter", "acknowledgement", "out")]
    assert log[0]["email"]["status"] == "sent" and log[0]["large_print"] is True
    pdf = olivia.client.get(log[0]["document_url"], headers=olivia._headers())
    assert pdf.status_code == 200 and pdf.data == attachment.get_payload(decode=True)  # stored once, as sent

    officer = Browser(app, "olivia")
    officer.submit(f"/complaints/{reference}/correspondence", {"kind": "call", "channel": "phone", "direction": "in",
                                                               "summary": f"Rita rang {XSS}"},
                   form_on=f"/complaints/{reference}")
    html = officer.page(f"/complaints/{reference}")
    assert "Acknowledgement" not in html or "We have received your complaint" in html
    assert "Rita rang &lt;script&gt;" in html and XSS not in html
    assert "large print" in html
    officer.submit(f"/complaints/{reference}/correspondence", {"kind": "letter", "channel": "post", "direction": "in",
                                                               "summary": "Letter with photos of the damp"},
                   form_on=f"/complaints/{reference}")
    log = olivia.get(f"/complaints/{reference}/correspondence").get_json()
    assert [(item["kind"], item["direction"], item["document_url"] is not None) for item in log] == [
        ("letter", "out", True), ("call", "in", False), ("letter", "in", False)]  # only our letters have a PDF
    assert olivia.client.get(f"/api/v1/correspondence/{log[2]['id']}/document",
                             headers=olivia._headers()).status_code == 404


def test_large_print_letters_use_bigger_type(app, api, ctx, clock, smtp):
    controller, inbox, mailer = smtp
    clock(london(2027, 3, 1))
    olivia = api("olivia")
    sizes = {}
    for large in (True, False):
        reference = re.search(r'id="reference">([^<]+)<', public_complaint(
            app, **({"adjustments": "large_print"} if large else {})).get_data(as_text=True)).group(1)
        handler = api(olivia.get(f"/complaints/{reference}").get_json()["handler"]["name"])  # the least loaded
        handler.complete(reference, "triage", {"triage_decision": "accept"})
        handler.complete(reference, "stage1_acknowledge", {"stage1_acknowledged_on": "2027-03-01",
                                                           "complaint_definition": "Damp", "outcome_sought": "Fix"})
        [item] = olivia.get(f"/complaints/{reference}/correspondence").get_json()
        pdf = olivia.client.get(item["document_url"], headers=olivia._headers()).data
        heights = [float(b) - float(a) for a, b in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"',
                                                             pdf_text(pdf, "-bbox"))]
        sizes[large] = sorted(heights)[len(heights) // 2]
    assert sizes[True] > 1.5 * sizes[False]


def test_a_failing_mail_server_leaves_the_email_queued_until_it_is_back(app, api, ctx, clock, smtp):
    controller, inbox, mailer = smtp
    clock(london(2027, 3, 1))
    reference = re.search(r'id="reference">([^<]+)<', public_complaint(app).get_data(as_text=True)).group(1)
    olivia = api("olivia")
    olivia.complete(reference, "triage", {"triage_decision": "accept"})
    olivia.complete(reference, "stage1_acknowledge", {"stage1_acknowledged_on": "2027-03-01",
                                                      "complaint_definition": "Damp", "outcome_sought": "Fix"})
    controller.stop()
    assert send_outbox.run(ctx, mailer) == send_outbox.Sent(0, 1)
    [item] = olivia.get(f"/complaints/{reference}/correspondence").get_json()
    assert item["email"]["status"] == "queued" and item["email"]["attempts"] == 1
    assert "Connection" in item["email"]["last_error"] or "refused" in item["email"]["last_error"]
    assert send_outbox.run(ctx, mailer) == send_outbox.Sent(0, 0)  # waits out its backoff
    controller.start()
    clock(london(2027, 3, 1) + timedelta(seconds=31))
    assert send_outbox.run(ctx, mailer) == send_outbox.Sent(1, 0)
    assert len(inbox.messages) == 1
    assert send_outbox.run(ctx, mailer) == send_outbox.Sent(0, 0)  # sent once
