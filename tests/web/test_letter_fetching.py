"""A letter template is untrusted input: whatever files or addresses it names, the letter PDF and the email the
resident gets carry nothing from the server, and the server fetches nothing."""

import email
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from weasyprint import HTML

from service.outbound import pdf as pdf_renderer
from service.outbound.mail import FolderMailer
from service.use_cases import send_outbox, users
from tests.conftest import ANALYSIS, london
from tests.web.test_browser_forms import Browser
from tests.web.test_public_form import GOOD, post


@pytest.fixture
def listener():
    """A local web server that counts the requests it gets."""
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the stdlib's name)
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"fetched")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()


def attachments(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdfdetach", "-list", str(path)], capture_output=True, check=True, text=True).stdout


def hostile_body(secret_file, address):
    return (f'<p>Hello {{{{ complainant.name }}}}</p><a rel="attachment" href="file://{secret_file}">notes</a>'
            f'<img src="{address}/pixel.png"><link rel="stylesheet" href="{address}/style.css">'
            f'<img src="file://{secret_file}">')


def test_the_renderer_reads_no_file_and_no_address_which_weasyprint_would(tmp_path, listener):
    address, hits = listener
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-42")
    html = f"<html><body>{hostile_body(secret, address).replace('{{ complainant.name }}', 'Rita')}</body></html>"
    # The check can fail: left to itself, WeasyPrint embeds the file and calls the address.
    assert "secret.txt" in attachments(HTML(string=html).write_pdf(), tmp_path) and hits
    hits.clear()
    assert "0 embedded files" in attachments(pdf_renderer.render(html), tmp_path)
    assert hits == []


def test_a_hostile_letter_template_sends_the_resident_nothing_of_the_server(app, api, ctx, clock, tmp_path,
                                                                            listener):
    address, hits = listener
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-42")
    clock(london(2027, 3, 1))
    Browser(app, "adam").submit("/letters/acknowledgement", {"subject": "Got it {reference}",
                                                             "body": hostile_body(secret, address)})
    created = post(app.test_client(), GOOD).get_data(as_text=True)
    reference = created.split('id="reference">')[1].split("<")[0]
    officer = api("olivia")
    officer.complete(reference, "triage", {"triage_decision": "accept"})
    officer.complete(reference, "stage1_acknowledge", {"complaint_definition": "Damp", "outcome_sought": "Fix"})

    [item] = officer.get(f"/complaints/{reference}/correspondence").get_json()
    letter = officer.client.get(item["document_url"], headers=officer._headers()).data
    assert "0 embedded files" in attachments(letter, tmp_path)
    text = subprocess.run(["pdftotext", "-", "-"], input=letter, capture_output=True, check=True).stdout.decode()
    assert "Hello Rita Resident" in text and "TOPSECRET" not in text
    outbox = tmp_path / "outbox"
    assert send_outbox.run(ctx, FolderMailer(outbox)).sent == 1
    [eml] = outbox.glob("*.eml")
    message = email.message_from_bytes(eml.read_bytes())
    for part in message.walk():
        payload = part.get_payload(decode=True) or b""
        assert b"TOPSECRET" not in payload
        if part.get_content_type() == "application/pdf":
            assert "0 embedded files" in attachments(payload, tmp_path)
    assert hits == []


# Fails only on real data: the trial render at save has no commitments, so the loop body never runs.
FAILS_ON_DATA = ("<p>Dear {{ complainant.name }}</p>{% for c in data.stage1_commitments %}"
                 "<p>{{ c.action ~ ': ' ~ (100 / 0) }}</p>{% endfor %}")


def test_a_template_that_fails_on_real_data_never_fails_the_completion(app, api, ctx, clock, tmp_path):
    clock(london(2027, 3, 1))
    adam = Browser(app, "adam")
    adam.submit("/letters/stage1_response", {"subject": "Our response {reference}", "body": FAILS_ON_DATA})
    created = post(app.test_client(), GOOD).get_data(as_text=True)
    reference = created.split('id="reference">')[1].split("<")[0]
    officer = api("olivia")
    officer.complete(reference, "triage", {"triage_decision": "accept"})
    officer.complete(reference, "stage1_acknowledge", {"complaint_definition": "Damp", "outcome_sought": "Fix"})
    officer.complete(reference, "stage1_investigate", {"investigation_notes": "Seen", "stage1_next_step": "respond"})
    # The completion stands (complete() asserts its 200) and the procedure moves on.
    officer.complete(reference, "stage1_respond", {
        "stage1_responded_on": "2027-03-01", **ANALYSIS, "stage1_decision": "upheld", "stage1_reasons": "Damp found",
        "stage1_commitments": [{"action": "Treat the damp", "owner": "Repairs team", "due": "2027-03-20"}]})
    assert [t["name"] for t in officer.get("/tasks").get_json()] == ["follow_commitments"]

    [ack, failed] = officer.get(f"/complaints/{reference}/correspondence").get_json()
    assert failed["letter"] == "stage1_response" and failed["document_url"] is None and failed["email"] is None
    assert failed["failure"] == "line 1: ZeroDivisionError: division by zero"
    staff = Browser(app, "olivia")
    assert staff.client.get(f"/correspondence/{failed['id']}.pdf").status_code == 404
    complaint_page = staff.page(f"/complaints/{reference}")
    assert "Not sent:" in complaint_page and "division by zero" in complaint_page
    assert "1 letter not sent" in adam.page("/letters")
    assert send_outbox.run(ctx, FolderMailer(tmp_path / "outbox")).sent == 1  # the acknowledgement only

    # Fixed: the waiting letter is made, dated and sent now, and the history says so.
    clock(london(2027, 3, 12))
    fixed = FAILS_ON_DATA.replace("(100 / 0)", "c.due")
    adam.submit("/letters/stage1_response", {"subject": "Our response {reference}", "body": fixed})
    assert "1 letter(s) that had failed under the old template are now made and sent" in adam.page("/letters")
    [_, made] = officer.get(f"/complaints/{reference}/correspondence").get_json()
    assert made["failure"] is None and made["document_url"] and made["sent_at"].startswith("2027-03-12")
    pdf = officer.client.get(made["document_url"], headers=officer._headers()).data
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "Treat the damp: 2027-03-20" in text
    assert send_outbox.run(ctx, FolderMailer(tmp_path / "outbox")).sent == 1
    kinds = [entry["kind"] for entry in officer.get(f"/complaints/{reference}").get_json()["history"]]
    assert kinds.count("letter_failed") == 1 and kinds.count("letter_made") == 1
    assert "none" in adam.page("/letters").split("stage1_response")[1][:200]


@pytest.mark.parametrize("body, says", [
    ("{{ range(10**9)|list }}", "range() of more than 100,000 numbers"),
    ("{{ 'x' * 10**9 }}", "would build a value over 1,000,000 long"),
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "too much work"),
    ("{% set s = 'xxxxxxxxxx' %}" + "{% set s = s ~ s %}" * 40 + "{{ s }}", "would build a value over"),
    ("{{ '{:>999999999}'.format(1) }}", "access to attribute 'format' of 'str' object is unsafe"),
    ("{{ 'a'.ljust(10**9) }}", "access to attribute 'ljust'"),
    ("{{ '%999999999d' % 1 }}", "text formatting with % is not allowed"),
    ("{{ complainant.name|center(999999999) }}", "No filter named 'center'"),
    ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "RecursionError"),
    ("{{ 1 / 0 }}", "ZeroDivisionError"),
    ("{{ ''.__class__.__mro__ }}", "unsafe"),
])
def test_a_template_that_would_exhaust_the_server_is_refused_at_save_with_its_reason(app, body, says):
    page = Browser(app, "adam").submit("/letters/refusal", {"subject": "Your complaint {reference}", "body": body},
                                       expect=422).get_data(as_text=True)
    assert "The template does not work" in page and says in page.replace("&#39;", "'")


def test_letters_come_from_the_landlord_in_the_settings_never_the_procedures_title(database_url, tmp_path, clock):
    from service import create_app
    from service.cli import prepare
    from service.use_cases import correspondence as letters_log
    from tests.conftest import Api

    app = create_app({"DATABASE_URL": database_url, "TESTING": True, "SECRET_KEY": "t", "DEMO_USERS": True,
                      "LANDLORD_NAME": "Riverside Homes", "LANDLORD_ADDRESS": "2 Quay Street|Leeds|LS1 4AB",
                      "BROKER_URL": f"sqla+sqlite:///{tmp_path / 'broker.db'}",
                      "RESULT_BACKEND": f"db+sqlite:///{tmp_path / 'results.db'}"})
    prepare(app)
    ctx = app.extensions["complaintflow"]
    clock(london(2027, 3, 1))
    officer = Api(app.test_client(), users.issue_token(ctx, "olivia"))
    reference = officer.post("/complaints", {"complainant": {"name": "Rita", "email": "rita@example.org"},
                                             "channel": "phone", "received_at": "2027-03-01",
                                             "description": "Damp"}).get_json()["reference"]
    officer.complete(reference, "triage", {"triage_decision": "accept"})
    officer.complete(reference, "stage1_acknowledge", {"complaint_definition": "Damp", "outcome_sought": "Fix"})
    [item] = letters_log.log_for(ctx, reference)
    pdf = officer.client.get(f"/api/v1/correspondence/{item['id']}/document", headers=officer._headers()).data
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()
    head = text[:400]
    assert "Riverside Homes" in head and "2 Quay Street" in head and "LS1 4AB" in head
    assert "Complaint Handling Code" not in text  # the profile's title names a procedure, not a sender
    assert send_outbox.run(ctx, FolderMailer(tmp_path / "outbox")).sent == 1
    [eml] = (tmp_path / "outbox").glob("*.eml")
    assert "Riverside Homes" in email.message_from_bytes(eml.read_bytes()).get_payload()[0].get_payload(decode=True).decode()
    app.extensions["complaintflow_engine"].dispose()
