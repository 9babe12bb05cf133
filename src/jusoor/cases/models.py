"""A victim's case file: the case, its notes, tasks, consents, timeline and reference counter.

Identifying data (name, aliases, date of birth, contact, identity documents, health notes, the
guardian's name, free text) is encrypted at rest; what stays in clear is what lists, filters and
statistics need (HTCDS 2.0 profile codes, countries, stage, dates).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Uuid,
    event,
)
from sqlalchemy.orm import Mapped, Mapper, mapped_column, relationship

from jusoor.agencies.models import Agency, User
from jusoor.cases.vocabulary import ConsentPurpose, Gender, Stage
from jusoor.core.crypto import EncryptedText
from jusoor.core.db import Base, UTCDateTime, utcnow
from jusoor.core.ids import uuid7


class CaseReferenceCounter(Base):
    """The last sequence number handed out per country and year (one atomic upsert per case)."""

    __tablename__ = "case_reference_counters"

    country: Mapped[str] = mapped_column(String(2), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer)


class Case(Base):
    __tablename__ = "cases"
    # Counting a scope's cases by period (the statistics engine; migration 0015), and the case
    # list's keyset pages, newest first by (opened_at, id), in an agency, of one owner there (0017).
    __table_args__ = (
        Index("ix_cases_agency_opened", "agency_id", "opened_at"),
        Index("ix_cases_country_opened", "country", "opened_at"),
        Index("ix_cases_agency_opened_id", "agency_id", "opened_at", "id"),
        Index("ix_cases_agency_owner_opened_id", "agency_id", "owner_id", "opened_at", "id"),
        Index("ix_cases_agency_next_due", "agency_id", "next_due_on"),  # overdue lists (0021)
        # The list by stage, newest first (0022).
        Index("ix_cases_agency_stage_opened_id", "agency_id", "stage", "opened_at", "id"),
        Index("ix_cases_country_stage_opened_id", "country", "stage", "opened_at", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    reference: Mapped[str] = mapped_column(String(20), unique=True)  # MA-2026-000123
    country: Mapped[str] = mapped_column(String(2), index=True)
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id"), index=True)
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    # The screening the case was opened from; the screening tables live on another branch.
    screening_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    stage: Mapped[Stage] = mapped_column(
        Enum(Stage, native_enum=False, length=32), default=Stage.identification, index=True
    )
    stage_entered_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    reflection_ends_on: Mapped[dt.date | None] = mapped_column(Date)
    opened_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The due date of the case's first open task (None when it has none), kept by the task
    # services (cases.entries.keep_next_due): lists filter and show what is due without reading
    # every case's tasks.
    next_due_on: Mapped[dt.date | None] = mapped_column(Date)

    # Victim profile (HTCDS 2.0). Lists hold codes only.
    gender: Mapped[Gender] = mapped_column(
        Enum(Gender, native_enum=False, length=32), default=Gender.unknown
    )
    age: Mapped[int | None] = mapped_column(Integer)
    age_band: Mapped[str | None] = mapped_column(String(8))
    is_child: Mapped[bool] = mapped_column(Boolean, default=False)
    citizenship: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    countries_of_origin: Mapped[list[str]] = mapped_column(JSON, default=list)
    countries_of_transit: Mapped[list[str]] = mapped_column(JSON, default=list)
    countries_of_exploitation: Mapped[list[str]] = mapped_column(JSON, default=list)
    forms_of_exploitation: Mapped[list[str]] = mapped_column(JSON, default=list)
    means_of_control: Mapped[list[str]] = mapped_column(JSON, default=list)
    recruiter_relation: Mapped[str | None] = mapped_column(String(32))

    name: Mapped[str | None] = mapped_column(EncryptedText("cases.name"))
    aliases: Mapped[str | None] = mapped_column(EncryptedText("cases.aliases"))
    date_of_birth: Mapped[str | None] = mapped_column(EncryptedText("cases.date_of_birth"))
    contact: Mapped[str | None] = mapped_column(EncryptedText("cases.contact"))
    identity_documents: Mapped[str | None] = mapped_column(
        EncryptedText("cases.identity_documents")
    )
    health_notes: Mapped[str | None] = mapped_column(EncryptedText("cases.health_notes"))

    # Children (UNHCR best-interests procedure; OSCE/ODIHR NRM handbook, ch. on child victims).
    guardian_name: Mapped[str | None] = mapped_column(EncryptedText("cases.guardian_name"))
    guardian_relation: Mapped[str | None] = mapped_column(String(64))
    guardian_agency_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("agencies.id"))
    best_interests_assessed_on: Mapped[dt.date | None] = mapped_column(Date)
    best_interests_assessed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    best_interests_determined_on: Mapped[dt.date | None] = mapped_column(Date)
    best_interests_determined_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id")
    )

    agency: Mapped[Agency] = relationship(foreign_keys=[agency_id], lazy="joined")
    owner: Mapped[User] = relationship(foreign_keys=[owner_id], lazy="joined")


class CaseNote(Base):
    __tablename__ = "case_notes"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), index=True)
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    author_username: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(EncryptedText("case_notes.body"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class CaseTask(Base):
    __tablename__ = "case_tasks"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), index=True)
    title: Mapped[str] = mapped_column(EncryptedText("case_tasks.title"))
    due_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    done_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    done_by_username: Mapped[str | None] = mapped_column(String(64))
    created_by_username: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    def overdue(self, today: dt.date) -> bool:
        return self.done_at is None and self.due_on is not None and self.due_on < today


class Consent(Base):
    """One consent for one purpose (and, for a referral, one agency); withdrawn, never deleted."""

    __tablename__ = "case_consents"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), index=True)
    purpose: Mapped[ConsentPurpose] = mapped_column(
        Enum(ConsentPurpose, native_enum=False, length=32)
    )
    agency_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("agencies.id"))
    language: Mapped[str] = mapped_column(String(8))
    interpreter_name: Mapped[str | None] = mapped_column(
        EncryptedText("case_consents.interpreter_name")
    )
    witness_name: Mapped[str | None] = mapped_column(EncryptedText("case_consents.witness_name"))
    given_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_username: Mapped[str] = mapped_column(String(64))
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by_username: Mapped[str | None] = mapped_column(String(64))

    agency: Mapped[Agency | None] = relationship(lazy="joined")

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


class CaseEvent(Base):
    """The timeline: append-only, read back in `seq` order."""

    __tablename__ = "case_events"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_username: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # codes only, no identities
    reason: Mapped[str | None] = mapped_column(EncryptedText("case_events.reason"))


@event.listens_for(CaseEvent, "before_update")
@event.listens_for(CaseEvent, "before_delete")
def _append_only(_mapper: Mapper[Any], _conn: Any, target: CaseEvent) -> None:
    raise RuntimeError(f"case_events is append-only (seq {target.seq})")
