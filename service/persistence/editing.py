"""Tables the process editor writes: forms built in the browser, and the audit of instance migrations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.persistence.models import Base, CompressedText, ProcessVersion, User, UTCDateTime, WorkflowInstance, utcnow


class FormDefinition(Base):
    """One saved version of a form a process owner built in the browser; the highest version is current.

    Forms written in code (forms/) take precedence: a stored form may only use a name no code form has."""

    __tablename__ = "form_definition"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), index=True)
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    fields: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    author: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    __table_args__ = (UniqueConstraint("name", "version"),)


class InstanceMigration(Base):
    """A running instance moved to another version of its process: the state before, so it can be reverted."""

    __tablename__ = "instance_migration"
    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("workflow_instance.id"), index=True)
    from_version_id: Mapped[int] = mapped_column(ForeignKey("process_version.id"))
    to_version_id: Mapped[int] = mapped_column(ForeignKey("process_version.id"))
    state_before: Mapped[str] = mapped_column(CompressedText("instance_state.json"))
    # A digest of the state the migration left: reverting is refused once the instance has moved on since.
    state_after_digest: Mapped[str] = mapped_column(String(64))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reverted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reverted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    instance: Mapped[WorkflowInstance] = relationship()
    from_version: Mapped[ProcessVersion] = relationship(foreign_keys=[from_version_id])
    to_version: Mapped[ProcessVersion] = relationship(foreign_keys=[to_version_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
