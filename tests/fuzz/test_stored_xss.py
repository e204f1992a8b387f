"""Script stored through the public form, the API and a staff form comes back escaped on every page that shows it,
and as the literal text that was typed in the letter (PDF, read back with pdftotext) and in the email (.eml)."""

from __future__ import annotations

import email
import re
import subprocess
from email import policy
from pathlib import Path
from typing import Any

from flask import Flask

from service.outbound.mail import FolderMailer
from service.use_cases import send_outbox, users
from service.use_cases.context import AppContext
from tests.conftest import csrf_token
from tests.fuzz.conftest import DAY, Session, bearer
from tests.fuzz.inputs import XSS

# How Jinja's autoescaping writes each payload.
ESCAPED = ["&lt;script&gt;alert(1)&lt;/script&gt;", "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"]
BOTH = " and ".join(XSS)


def words(text: str) -> str:
    """Text with its runs of whitespace as single spaces (pdftotext breaks lines where the page does)."""
    return " ".join(text.split())


def assert_escaped(html: str, where: str) -> None:
    for payload, escaped in zip(XSS, ESCAPED, strict=True):
        assert payload not in html, f"{payload} unescaped on {where}"
        assert escaped in html, f"{escaped} not on {where}"


def pdf_text(pdf: bytes) -> str:
    return words(subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode())


def _public_complaint(app: Flask) -> str:
    resident = app.test_client()
    token = csrf_token(resident.get("/complain").get_data(as_text=True))
    thanks = resident.post("/complain", data={
        "csrf_token": token, "name": f"Rita {XSS[0]}", "email": "rita@example.org", "address": XSS[1],
        "description": f"Damp {BOTH}", "outcome_sought": BOTH, "adjustments": "other", "adjustment_notes": BOTH,
        "vulnerabilities": BOTH, "representative_name": f"Ann {XSS[1]}", "representative_consent": BOTH})
    page = thanks.get_data(as_text=True)
    assert thanks.status_code == 200, page[:1000]
    assert not any(payload in page for payload in XSS)
    found = re.search(r'id="reference">([^<]+)<', page)
    assert found, page[:1000]
    return found.group(1)


def _api_complaint(app: Flask, token: str) -> str:
    created = app.test_client().post("/api/v1/complaints", headers=bearer(token), json={
        "complainant": {"name": f"Rita {XSS[0]}", "email": "rita@example.org", "address": XSS[1]},
        "channel": "phone", "received_at": DAY, "description": f"Damp {BOTH}", "outcome_sought": BOTH})
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["complainant"]["name"] == f"Rita {XSS[0]}"  # JSON is data: the text as typed
    return str(body["reference"])


def _acknowledge(app: Flask, ctx: AppContext, reference: str) -> None:
    """The handler accepts and acknowledges, restating the complaint with the payloads: the letter goes out."""
    client = app.test_client()
    view = client.get(f"/api/v1/complaints/{reference}", headers=bearer(users.issue_token(ctx, "olivia"))).get_json()
    handler = bearer(users.issue_token(ctx, view["handler"]["name"]))
    for name, data in (("triage", {"triage_decision": "accept", "triage_notes": BOTH}),
                       ("stage1_acknowledge", {"stage1_acknowledged_on": DAY, "complaint_definition": f"Damp {BOTH}",
                                               "outcome_sought": BOTH})):
        task = next(t for t in client.get("/api/v1/tasks", headers=handler).get_json()
                    if t["complaint_reference"] == reference and t["name"] == name)
        done = client.post(f"/api/v1/tasks/{task['id']}/complete", headers=handler, json={"data": data})
        assert done.status_code == 200, done.get_json()


def _pages(officer: Session, reference: str) -> dict[str, str]:
    """Every staff page that shows what the resident typed, by path."""
    complaint = officer.client.get(f"/complaints/{reference}").get_data(as_text=True)
    person = re.search(r'href="(/complainants/\d+)"', complaint)
    assert person, "no link to the complainant"
    paths = [f"/complaints/{reference}", f"/complaints/{reference}/case-file", person.group(1)]
    return {path: officer.client.get(path).get_data(as_text=True) for path in paths}


def test_script_is_escaped_on_pages_and_literal_in_letters_and_emails(
        fuzz_app: Flask, ctx: AppContext, tokens: dict[str, str], sessions: dict[str, Session], tmp_path: Path) -> None:
    officer = sessions["olivia"]
    references = [_public_complaint(fuzz_app), _api_complaint(fuzz_app, tokens["olivia"])]
    for reference in references:
        noted = officer.client.post(f"/complaints/{reference}/correspondence", data={
            "csrf_token": officer.csrf, "kind": "call", "channel": "phone", "direction": "in",
            "summary": f"Rita rang {BOTH}"})
        assert noted.status_code == 302
        for path, html in _pages(officer, reference).items():
            assert_escaped(html, path)
        _acknowledge(fuzz_app, ctx, reference)
        page = officer.client.get(f"/complaints/{reference}").get_data(as_text=True)
        assert_escaped(page, f"/complaints/{reference} after the letter")
        task = re.search(r'href="(/tasks/[0-9a-f-]+)"', page)
        assert task, "no open task on the complaint page"
        assert_escaped(officer.client.get(task.group(1)).get_data(as_text=True), "the task page")

        log: list[dict[str, Any]] = officer.client.get(f"/api/v1/complaints/{reference}/correspondence",
                                                       headers=bearer(tokens["olivia"])).get_json()
        [letter] = [item for item in log if item["kind"] == "letter"]
        pdf = officer.client.get(letter["document_url"], headers=bearer(tokens["olivia"])).data
        text = pdf_text(pdf)
        assert f"Dear Rita {XSS[0]}" in text and f"Damp {BOTH}" in text, text
        assert "&lt;" not in text and "&#34;" not in text  # escaped once, for the renderer, never twice

    outbox = tmp_path / "outbox"
    assert send_outbox.run(ctx, FolderMailer(outbox)).sent == len(references)
    for eml in sorted(outbox.glob("*.eml")):
        message = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
        body = message.get_body(preferencelist=("plain",))
        assert body is not None
        assert f"Dear Rita {XSS[0]}," in body.get_content() and "&lt;" not in body.get_content()
        [attachment] = [part for part in message.walk() if part.get_content_type() == "application/pdf"]
        attached = pdf_text(attachment.get_payload(decode=True))
        assert f"Dear Rita {XSS[0]}" in attached and f"Damp {BOTH}" in attached
