"""Correspondence: every letter, email and call note of a complaint, the outbox that sends the emails, and the
letter templates admins edit. Nothing here is ever overwritten: a new letter or template is a new row."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from service.persistence.models import Base, Complaint, CompressedText, User, UTCDateTime, utcnow


class Correspondence(Base):
    """One item of the complaint's correspondence log (Code 5.12)."""

    __tablename__ = "correspondence"
    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # letter | email | call | note
    letter: Mapped[str | None] = mapped_column(String(40))  # the template key of a letter
    channel: Mapped[str] = mapped_column(String(20))  # email | post | phone | in_person | web
    direction: Mapped[str] = mapped_column(String(10))  # out | in
    subject: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(CompressedText("letter.html"), default="")  # the letter's HTML, or the note
    document: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))  # the letter as PDF
    large_print: Mapped[bool] = mapped_column(default=False)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A letter whose template failed on this complaint's data: why (None once made), and the task data it is made
    # from when the template is fixed (cleared then, and on anonymisation).
    failure: Mapped[str | None] = mapped_column(Text)
    pending_data: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    complaint: Mapped[Complaint] = relationship()
    author: Mapped[User | None] = relationship()


class OutboundEmail(Base):
    """An email waiting to be sent, sent, or given up on after its retries: the outbox is the truth."""

    __tablename__ = "outbound_email"
    __table_args__ = (Index("ix_outbound_email_due", "status", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    correspondence_id: Mapped[int | None] = mapped_column(ForeignKey("correspondence.id"), index=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    attachment_name: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10), default="queued")  # queued | sent | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    correspondence: Mapped[Correspondence | None] = relationship()


class LetterTemplate(Base):
    """One saved version of a letter template (Jinja); the highest version of a key is used."""

    __tablename__ = "letter_template"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), index=True)
    version: Mapped[int] = mapped_column(Integer)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    __table_args__ = (UniqueConstraint("key", "version"),)
