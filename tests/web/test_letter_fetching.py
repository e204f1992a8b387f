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
from service.use_cases import send_outbox
from tests.conftest import london
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
