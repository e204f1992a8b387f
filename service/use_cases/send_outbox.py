"""Send the queued emails: claim a batch of due rows (SKIP LOCKED, so workers never send one twice), send each,
and on failure keep it queued with a growing wait — a failed send is visible on the complaint and retried, and
nothing is lost. After MAX_ATTEMPTS it is marked failed for staff to look at and retry."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from service.outbound.mail import Email, Mailer
from service.persistence.models import OutboundEmail
from service.use_cases.context import AppContext, now
from service.use_cases.correspondence import document

log = logging.getLogger(__name__)
BATCH = 20
MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class Sent:
    """What one pass did."""

    sent: int
    failed: int


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failure: 30 s, 1 min, 2 min … capped at an hour."""
    return timedelta(seconds=min(30 * 2 ** (attempts - 1), 3600))


def run(app: AppContext, mailer: Mailer, limit: int = BATCH) -> Sent:
    """Send up to `limit` due emails in one transaction."""
    sent = failed = 0
    with app.uow() as uow:
        session = uow.session
        moment = now()
        due = session.scalars(select(OutboundEmail).where(OutboundEmail.status == "queued",
                                                          OutboundEmail.next_attempt_at <= moment)
                              .order_by(OutboundEmail.next_attempt_at, OutboundEmail.id).limit(limit)
                              .with_for_update(skip_locked=True)).all()
        for email in due:
            letter = email.correspondence
            attachment = document(session, letter, app) if letter is not None else None
            try:
                mailer.send(Email(app.mail_from, email.to_address, email.subject, email.body,
                                  email.attachment_name if attachment else None, attachment))
            except Exception as error:  # SMTP refusals, timeouts, connection errors: retried later
                email.attempts += 1
                email.last_error = f"{type(error).__name__}: {error}"[:2000]
                email.next_attempt_at = moment + backoff(email.attempts)
                if email.attempts >= MAX_ATTEMPTS:
                    email.status = "failed"
                log.warning("email %s to %s failed (attempt %s): %s", email.id, email.to_address, email.attempts,
                            email.last_error)
                failed += 1
            else:
                email.status, email.sent_at, email.last_error = "sent", now(), ""
                email.attempts += 1
                sent += 1
        uow.commit()
    return Sent(sent, failed)

