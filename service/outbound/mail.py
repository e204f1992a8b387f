"""Sending one email: over SMTP (host, port, TLS, credentials from config), or into a local outbox folder as .eml
files on the embedded default, so the one-command run works with no mail server."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol
from uuid import uuid4


@dataclass(frozen=True)
class Email:
    """One message: plain text, with at most one PDF attached."""

    sender: str
    to: str
    subject: str
    body: str
    attachment_name: str | None = None
    attachment: bytes | None = None

    def message(self) -> EmailMessage:
        """As a MIME message."""
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, self.to, self.subject
        message.set_content(self.body)
        if self.attachment is not None:
            message.add_attachment(self.attachment, maintype="application", subtype="pdf",
                                   filename=self.attachment_name or "letter.pdf")
        return message


class Mailer(Protocol):
    """Sends an email or raises (the outbox retries)."""

    def send(self, email: Email) -> None:
        """Deliver `email`."""


@dataclass(frozen=True)
class SmtpMailer:
    """An SMTP server: `tls` is "starttls", "ssl" or "none"."""

    host: str
    port: int
    tls: str = "starttls"
    user: str = ""
    password: str = ""
    timeout: float = 20.0

    def send(self, email: Email) -> None:
        """Deliver over SMTP; raises smtplib/OSError errors for the outbox to record and retry."""
        context = ssl.create_default_context()
        client: smtplib.SMTP
        if self.tls == "ssl":
            client = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        else:
            client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        with client:
            if self.tls == "starttls":
                client.starttls(context=context)
            if self.user:
                client.login(self.user, self.password)
            client.send_message(email.message())


@dataclass(frozen=True)
class FolderMailer:
    """Writes each email as an .eml file into a folder (the embedded default)."""

    folder: Path

    def send(self, email: Email) -> None:
        """Write the message to `<folder>/<time>-<unique>-<to>.eml` (workers never overwrite each other's)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        safe_to = "".join(c if c.isalnum() or c in "@.-" else "_" for c in email.to)
        name = f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid4().hex[:8]}-{safe_to}.eml"
        (self.folder / name).write_bytes(bytes(email.message()))


def mailer_from_config(config: dict[str, object]) -> Mailer:
    """SMTP when SMTP_HOST is set, else the outbox folder."""
    host = str(config.get("SMTP_HOST") or "")
    if host:
        return SmtpMailer(host, int(str(config.get("SMTP_PORT") or 25)), str(config.get("SMTP_TLS") or "starttls"),
                          str(config.get("SMTP_USER") or ""), str(config.get("SMTP_PASSWORD") or ""))
    return FolderMailer(Path(str(config["OUTBOX_DIR"])))
