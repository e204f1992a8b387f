"""A resident, in Chromium: the public form, the private link in the email our real SMTP server delivers, the
acknowledgement and response on their page, a review asked for without reasons — and the manager then has the
Stage 2 work. An expired link sends them a new one by email."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from service.outbound.mail import SmtpMailer
from service.use_cases import send_outbox
from tests.conftest import london, respond_stage1
from tests.integration.test_correspondence import Server


@pytest.fixture
def smtp():
    server = Server()
    server.start()
    yield server.inbox, SmtpMailer("127.0.0.1", server.port, tls="none", timeout=5)
    server.stop()


def link_in(message, base):
    """The private link in an email's text, opened on the server under test."""
    body = next(part.get_payload(decode=True).decode() for part in message.walk()
                if part.get_content_type() == "text/plain")
    found = re.search(r"http://\S+/my-complaint/\S+", body).group(0)
    return base + urlparse(found).path


def complain(browser, base):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(15000)
    page.goto(f"{base}/complain")
    page.fill("#name", "Rita Resident")
    page.fill("#email", "rita@example.org")
    page.fill("#description", "Damp in the back bedroom since October")
    page.fill("#outcome_sought", "Fix the damp")
    page.click("form button:has-text('Send my complaint')")
    return page, page.locator("#reference").inner_text()


def test_a_resident_escalates_from_the_link_in_our_email(live_server, browser, api, ctx, clock, smtp, tmp_path):
    inbox, mailer = smtp
    clock(london(2027, 3, 1, 10))
    page, reference = complain(browser, live_server)
    assert page.locator("#portal-link").is_visible()
    officer = api(api("adam").get(f"/complaints/{reference}").get_json()["open_tasks"][0]["assignee"])
    respond_stage1(officer, reference, "2027-03-01", reasons="Condensation")
    assert send_outbox.run(ctx, mailer).sent == 2
    response_email = next(m for m in inbox.messages if "Our response" in m["Subject"])

    page.goto(link_in(response_email, live_server))
    assert page.locator("h1").inner_text() == f"Your complaint {reference}"
    assert page.get_by_role("link", name="Stage 1 response (PDF)").is_visible()
    assert "You do not have to give reasons." in page.locator("main").inner_text()
    page.screenshot(path=str(tmp_path / "portal.png"), full_page=True)
    page.get_by_role("button", name="Ask for a review").click()
    assert "we have your request for a review (Stage 2)" in page.locator(".flash").inner_text()
    assert "We acknowledge your request for a review (Stage 2): by" in page.locator("main").inner_text()
    assert api("maya").task(reference, "stage2_acknowledge")


def test_an_expired_link_sends_a_new_one_by_email(live_server, browser, api, ctx, clock, smtp):
    inbox, mailer = smtp
    clock(london(2027, 3, 1, 10))
    page, reference = complain(browser, live_server)
    link = live_server + urlparse(page.locator("#portal-link").get_attribute("href")).path
    clock(london(2027, 4, 5, 10))  # 35 days on: links work for 30
    page.goto(link)
    assert page.locator("h1").inner_text() == "This link has expired"
    page.fill("#reference", reference)
    page.fill("#email", "rita@example.org")
    page.get_by_role("button", name="Send me a new link").click()
    assert page.locator("h1").inner_text() == "Check your email"
    assert send_outbox.run(ctx, mailer).sent == 1
    [message] = inbox.messages
    assert message["Subject"] == f"Your complaint {reference}: your link"
    page.goto(link_in(message, live_server))
    assert page.locator("h1").inner_text() == f"Your complaint {reference}"


def test_a_resident_sends_a_compliment_and_the_officer_praised_is_told(live_server, browser, clock):
    from tests.e2e.conftest import sign_in

    clock(london(2027, 3, 1, 10))
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(15000)
    page.goto(f"{live_server}/compliment")
    page.get_by_label("Your name").fill("Rita Resident")
    page.get_by_label("Your email, if you would like us to reply").fill("rita@example.org")
    page.get_by_label("Who or which team you want to thank, if you know").fill("Olivia Officer")
    page.get_by_label("What you want to tell us").fill("Olivia fixed my boiler the same day")
    page.get_by_role("button", name="Send my compliment").click()
    assert page.locator("h1").inner_text() == "Thank you"
    olivia = sign_in(browser, live_server, "olivia")
    assert "A compliment from Rita Resident (01 March 2027): Olivia fixed my boiler" in olivia.locator("main").inner_text()
