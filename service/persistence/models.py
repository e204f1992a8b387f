"""The tables. Instance state is stored apart from the spec (one row per process version, by content hash);
`task` and `timer` project the ready user tasks and waiting timers so the inbox and the sweep are indexed reads.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, deferred, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from service.persistence import compression


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes stored as UTC; SQLite hands back naive values, so re-attach UTC on load."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        """Refuse naive datetimes; store aware ones in UTC."""
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime given to a UTC column")
            value = value.astimezone(UTC)
        return value

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        """Hand back timezone-aware UTC datetimes whatever the driver returns."""
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class CompressedText(TypeDecorator[str]):
    """Text stored zlib-compressed, primed with one of `compression`'s dictionaries where the column names one.
    Instance states are JSON full of repeated keys: compressed against a sample state they take a ninth of their
    size (and less than PostgreSQL's own TOAST compression leaves), for ~0.2 ms a save."""

    impl = LargeBinary
    cache_ok = True
    LEVEL = 3  # nearly level 6's size at a third of its time

    def __init__(self, dictionary: str | None = None) -> None:
        super().__init__()
        self.dictionary = dictionary

    def process_bind_param(self, value: str | None, dialect: object) -> bytes | None:
        """Compress on the way in."""
        return None if value is None else compression.compress(value, self.LEVEL, self.dictionary)

    def process_result_value(self, value: bytes | None, dialect: object) -> str | None:
        """Decompress on the way out (rows stored before a dictionary was named open too)."""
        return None if value is None else compression.decompress(value)


def utcnow() -> datetime:
    """The current instant, timezone-aware."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base of every table."""


class User(Base):
    """A member of staff; `role` is a lane name of the diagrams."""

    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(40), index=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Part of every session cookie of this person; signing out moves it on, which ends all their sessions.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class ApiToken(Base):
    """A bearer token, stored only as its SHA-256 hash."""

    __tablename__ = "api_token"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    user: Mapped[User] = relationship()


class ProcessVersion(Base):
    """One deployed version of a process: its sources and serialized spec, stored once by content hash."""

    __tablename__ = "process_version"
    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[str] = mapped_column(String(80), index=True)
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    sources: Mapped[dict[str, str]] = deferred(mapped_column(JSON))
    spec_json: Mapped[str] = deferred(mapped_column(Text))
    # draft (saved, valid, never deployed) → live (new complaints start on it) → retired (replaced; instances
    # already on it finish on it). Deploying a retired version again is a rollback.
    state: Mapped[str] = mapped_column(String(10), default="draft")
    comment: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(80), default="system")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deployed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Element ids added, removed and changed against the version that was live when this one was saved.
    changes: Mapped[dict[str, list[str]]] = mapped_column(JSON, default=dict)
    # What proving the version by running its scenarios found, under the profile it was proven with:
    # {"profile", "findings": [Finding.as_dict()], "paths", "seconds"}; None until it has been proven.
    findings: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    __table_args__ = (UniqueConstraint("process_id", "version"),)

    @property
    def live(self) -> bool:
        """Whether new instances start on this version."""
        return self.state == "live"


class ReplayRun(Base):
    """A what-if replay: the complaints received in a period run again through a version and through the live
    one, side by side. Each complaint is an item of its own, replayed by whichever worker claims it."""

    __tablename__ = "replay_run"
    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[str] = mapped_column(String(80))
    version: Mapped[int] = mapped_column(Integer)  # the version asked about
    live_version: Mapped[int] = mapped_column(Integer)  # the version it is compared with (live when started)
    period_from: Mapped[date] = mapped_column(Date)
    period_to: Mapped[date] = mapped_column(Date)
    as_of: Mapped[date] = mapped_column(Date)  # timers due before this day fire
    author: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    total: Mapped[int] = mapped_column(Integer)
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)  # kept once every item is done


class ReplayItem(Base):
    """One complaint of a replay; `outcome` is empty until a worker has replayed it."""

    __tablename__ = "replay_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("replay_run.id"), index=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    __table_args__ = (Index("ix_replay_item_pending", "done", "claimed_at"),)


class Complainant(Base):
    """The person (or representative) who complained."""

    __tablename__ = "complainant"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str | None] = mapped_column(Text)
    # Reasonable adjustments (large_print, bsl, …) and disclosed vulnerabilities (Code 5.10): shown on every
    # complaint and task of the person, and reviewed.
    adjustments: Mapped[list[str]] = mapped_column(JSON, default=list)
    adjustment_notes: Mapped[str] = mapped_column(Text, default="")
    vulnerabilities: Mapped[str] = mapped_column(Text, default="")
    adjustments_reviewed_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # erased on request (UK GDPR art. 17)


class Complaint(Base):
    """A complaint: what was said, by whom, when, who handles it, and where it stands."""

    __tablename__ = "complaint"
    __table_args__ = (Index("ix_complaint_received_on_id", "received_on", "id"),)  # the register's keyset order
    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str | None] = mapped_column(String(20), unique=True)
    complainant_id: Mapped[int] = mapped_column(ForeignKey("complainant.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_on: Mapped[date] = mapped_column(Date, index=True)
    description: Mapped[str] = mapped_column(Text)
    outcome_sought: Mapped[str] = mapped_column(Text, default="")
    profile: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    stage: Mapped[str] = mapped_column(String(20), default="stage1")
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    stage2_handler_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    logged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    about_staff_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    issue_occurred_on: Mapped[date | None] = mapped_column(Date)
    tenancy_ended_on: Mapped[date | None] = mapped_column(Date)
    # Someone complaining for the resident (an advocate, a relative, a councillor) with the resident's consent,
    # or one named representative of a group.
    representative: Mapped[dict[str, str] | None] = mapped_column(JSON)
    # What the reports count by, kept up to date from the forms that record them (see projection.FACTS).
    tenure: Mapped[str] = mapped_column(String(30), default="low_cost_rental", server_default="low_cost_rental")
    category: Mapped[str | None] = mapped_column(String(40), index=True)
    root_cause: Mapped[str | None] = mapped_column(String(40))
    stage1_outcome: Mapped[str | None] = mapped_column(String(20))
    stage2_outcome: Mapped[str | None] = mapped_column(String(20))
    refusal_exclusion: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # by the retention job or on request
    complainant: Mapped[Complainant] = relationship()
    handler: Mapped[User | None] = relationship(foreign_keys=[handler_id])
    stage2_handler: Mapped[User | None] = relationship(foreign_keys=[stage2_handler_id])
    # Loaded once per transaction: form validation and the projection both read them.
    deadlines: Mapped[list[Deadline]] = relationship(lazy="select")


class Restriction(Base):
    """A restriction on how an unreasonably persistent complainant may contact us (Code 5.14-5.15)."""

    __tablename__ = "restriction"
    id: Mapped[int] = mapped_column(primary_key=True)
    complainant_id: Mapped[int] = mapped_column(ForeignKey("complainant.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="proposed", index=True)
    kinds: Mapped[list[str]] = mapped_column(JSON)
    details: Mapped[str] = mapped_column(Text, default="")
    behaviour: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(Text)
    reasons: Mapped[str] = mapped_column(Text)
    equality_considerations: Mapped[str] = mapped_column(Text)
    named_contact_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    review_on: Mapped[date] = mapped_column(Date)
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    notice: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    complainant: Mapped[Complainant] = relationship()
    named_contact: Mapped[User | None] = relationship(foreign_keys=[named_contact_id])
    proposed_by: Mapped[User] = relationship(foreign_keys=[proposed_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class Remedy(Base):
    """A remedy offered on a complaint (Code 5.13, 7): what, how much (with its breakdown), and where it stands."""

    __tablename__ = "remedy"
    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("workflow_instance.id"))
    kinds: Mapped[list[str]] = mapped_column(JSON)
    description: Mapped[str] = mapped_column(Text)
    time_and_trouble: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=Decimal("0"))
    distress_and_inconvenience: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=Decimal("0"))
    quantifiable_loss: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=Decimal("0"))
    status: Mapped[str] = mapped_column(String(12), default="proposed", index=True)
    offered_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    paid_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def amount(self) -> Decimal:
        """The financial total: time and trouble, distress and inconvenience, quantifiable loss."""
        return self.time_and_trouble + self.distress_and_inconvenience + self.quantifiable_loss


class WorkflowInstance(Base):
    """The running procedure of one complaint, or of one restriction. Its row is the lock every change takes."""

    __tablename__ = "workflow_instance"
    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaint.id"), index=True)
    restriction_id: Mapped[int | None] = mapped_column(ForeignKey("restriction.id"), unique=True)
    process_id: Mapped[str] = mapped_column(String(80), default="complaint", server_default="complaint")
    process_version_id: Mapped[int] = mapped_column(ForeignKey("process_version.id"), index=True)
    state: Mapped[str] = mapped_column(CompressedText("instance_state.json"))
    finished: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    process_version: Mapped[ProcessVersion] = relationship()
    complaint: Mapped[Complaint | None] = relationship()
    restriction: Mapped[Restriction | None] = relationship()


class Task(Base):
    """A user task projected from an instance: ready ones fill the inbox; finished ones stay as the record."""

    __tablename__ = "task"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("workflow_instance.id"), index=True)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaint.id"), index=True)
    restriction_id: Mapped[int | None] = mapped_column(ForeignKey("restriction.id"), index=True)
    impartial_from: Mapped[str | None] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(200))
    lane: Mapped[str | None] = mapped_column(String(40))
    form: Mapped[str] = mapped_column(String(80))
    stage: Mapped[str | None] = mapped_column(String(4))
    status: Mapped[str] = mapped_column(String(12), default="ready")
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    due_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    complaint: Mapped[Complaint | None] = relationship()
    restriction: Mapped[Restriction | None] = relationship()
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    __table_args__ = (
        # The inbox reads, most urgent first: open tasks of one person, and open tasks offered to a lane.
        Index("ix_task_ready_assignee", "assignee_id", "due_on", "created_at", "id",
              postgresql_where=text("status = 'ready'"), sqlite_where=text("status = 'ready'")),
        Index("ix_task_offered", "lane", "due_on", "created_at", "id",
              postgresql_where=text("status = 'ready' AND assignee_id IS NULL"),
              sqlite_where=text("status = 'ready' AND assignee_id IS NULL")),
    )


class Timer(Base):
    """A waiting timer of an instance; the sweep fires rows whose `due_at` has passed."""

    __tablename__ = "timer"
    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("workflow_instance.id"), index=True)
    task_id: Mapped[str] = mapped_column(String(36))
    name: Mapped[str] = mapped_column(String(80))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    __table_args__ = (UniqueConstraint("instance_id", "task_id"),)


class Deadline(Base):
    """One of a complaint's deadlines: due date (moved by extensions), when met, whether breached."""

    __tablename__ = "deadline"
    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    due: Mapped[date] = mapped_column(Date)
    original_due: Mapped[date] = mapped_column(Date)
    met_on: Mapped[date | None] = mapped_column(Date)
    counts_from: Mapped[date | None] = mapped_column(Date)
    within_code: Mapped[bool | None] = mapped_column(Boolean)
    # An extension beyond the procedure's cap, agreed for a good reason the form recorded (Code 6.4, 6.15).
    beyond_cap: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    breached_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    __table_args__ = (UniqueConstraint("complaint_id", "key"), Index("ix_deadline_key_counts_from", "key", "counts_from"),
                      Index("ix_deadline_key_met_on", "key", "met_on"),
                      Index("ix_deadline_met_on_due", "met_on", "due"))  # the few unmet ones, for "overdue"


class ReportingYear(Base):
    """The homes a landlord reports against for one reporting year (1 April to 31 March), for TSM CH01."""

    __tablename__ = "reporting_year"
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    low_cost_rental_homes: Mapped[int] = mapped_column(Integer, default=0)
    low_cost_home_ownership_homes: Mapped[int] = mapped_column(Integer, default=0)


class LearningAction(Base):
    """Something the landlord will change because of complaints (Code 9): owned, dated, followed to done."""

    __tablename__ = "learning_action"
    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaint.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    due_on: Mapped[date] = mapped_column(Date, index=True)
    done_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    complaint: Mapped[Complaint | None] = relationship()
    owner: Mapped[User] = relationship(foreign_keys=[owner_id])


class Compliment(Base):
    """Praise from a resident, acknowledged and passed on to the person or team it is about (seeds 001, 002)."""

    __tablename__ = "compliment"
    id: Mapped[int] = mapped_column(primary_key=True)
    received_on: Mapped[date] = mapped_column(Date, index=True)
    channel: Mapped[str] = mapped_column(String(20))
    from_name: Mapped[str] = mapped_column(String(200))
    about_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    about_team: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))  # None: sent by the resident
    from_email: Mapped[str | None] = mapped_column(String(254))  # to thank them, when they gave it
    acknowledged_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    about_user: Mapped[User | None] = relationship(foreign_keys=[about_user_id])


class SelfAssessment(Base):
    """The landlord's own words against one Code provision for a reporting year (Code 8.1), and the manager's
    answer to whether it complied ("yes" / "no"; None: unanswered) where the records do not decide it."""

    __tablename__ = "self_assessment"
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    provision: Mapped[str] = mapped_column(String(10), primary_key=True)
    text: Mapped[str] = mapped_column(Text, default="")
    comply: Mapped[str | None] = mapped_column(String(3))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Evidence(Base):
    """A file a resident added to their complaint from their page (a photo, a letter, a report): kept with the
    complaint, shown to staff on it. Its type is checked from its first bytes, never from its name."""

    __tablename__ = "evidence"
    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))  # None once the complaint is anonymised
    note: Mapped[str] = mapped_column(Text, default="")
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class EquityReview(Base):
    """One reviewer's sign-off of a reporting year's compensation levels for equity and fairness (seed-001: "the
    levels of compensation and ex gratia payments ... will be reviewed by the Customer Service Manager and Director
    of Resource and Risk"). Each sign-off is kept; the latest per role stands."""

    __tablename__ = "equity_review"
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    role: Mapped[str] = mapped_column(String(40))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    notes: Mapped[str] = mapped_column(Text)
    reviewer: Mapped[User] = relationship()


class HistoryEntry(Base):
    """The audit trail: what happened, to which complaint or person, by whom, when, with the state before and
    after. Append-only: a database trigger (migration 0015) refuses UPDATE and DELETE, but for the one-way
    redaction of personal content (summary, detail) when a complaint is anonymised."""

    __tablename__ = "history_entry"
    __table_args__ = (Index("ix_history_entry_kind_at", "kind", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaint.id"), index=True)
    complainant_id: Mapped[int | None] = mapped_column(ForeignKey("complainant.id"), index=True)
    restriction_id: Mapped[int | None] = mapped_column(ForeignKey("restriction.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    kind: Mapped[str] = mapped_column(String(40))
    summary: Mapped[str] = mapped_column(Text)
    detail: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    before: Mapped[dict[str, object] | None] = mapped_column(JSON)
    after: Mapped[dict[str, object] | None] = mapped_column(JSON)
    redacted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    actor: Mapped[User | None] = relationship()


class Notification(Base):
    """A message for one member of staff (deadline reminders, breaches), shown in their inbox."""

    __tablename__ = "notification"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    role: Mapped[str | None] = mapped_column(String(40), index=True)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaint.id"))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, server_default=func.now())
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    complaint: Mapped[Complaint | None] = relationship()


# Tables of the process editor; imported here so they are part of the one metadata Alembic compares.
from service.persistence.correspondence import Correspondence, LetterTemplate, OutboundEmail  # noqa: E402
from service.persistence.editing import FormDefinition, InstanceMigration  # noqa: E402

__all__ = ["Correspondence", "FormDefinition", "InstanceMigration", "LetterTemplate", "OutboundEmail"]


class SignInFailures(Base):
    """Wrong passwords in a row for one name typed from one address, and until when signing in as that name from
    that address is refused (users.authenticate). Per address, so that nobody elsewhere can lock a member of staff
    out; per name typed, known or not, so that a lock tells nothing of which names exist."""

    __tablename__ = "sign_in_failures"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
