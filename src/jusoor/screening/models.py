"""Screenings (a questionnaire filled in with a person) and formal identification decisions.

The person screened stays pseudonymous here: an optional short label, encrypted. The answers are
encrypted too (they say what was done to the person), and so are the few facts about the person
asked at the start (gender, citizenship, languages), which the case opened from the screening
receives. `case_id` is a plain id, not a foreign key,
so that this branch does not depend on the cases domain.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import uuid

from sqlalchemy import Boolean, Enum, ForeignKey, Index, Integer, String, Uuid, false
from sqlalchemy.orm import Mapped, mapped_column

from jusoor.core.crypto import EncryptedText
from jusoor.core.db import Base, UTCDateTime, utcnow
from jusoor.core.ids import uuid7
from jusoor.screening.assessment import Answer


class ScreeningStatus(enum.StrEnum):
    draft = "draft"
    completed = "completed"


class TraffickingStatus(enum.StrEnum):
    """HTCDS 2.0 `vic_TraffickingStatus`: the formal decision on a person."""

    possible = "possible"
    actual = "actual"
    not_a_victim = "not_a_victim"


class Screening(Base):
    __tablename__ = "screenings"
    # The identification queue of a country, oldest first by keyset (migration 0017).
    __table_args__ = (
        Index(
            "ix_screenings_queue",
            "country",
            "status",
            "decided_final",
            "completed_at",
            "id",
        ),
        # The queue's bounded counts, outcome in the key (migration 0023).
        Index(
            "ix_screenings_awaiting",
            "country",
            "status",
            "decided_final",
            "outcome",
            "completed_at",
            "id",
        ),
        # A screener's own completed screenings, newest first (migration 0020).
        Index("ix_screenings_screener_completed", "screener_id", "status", "completed_at", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    profile: Mapped[str] = mapped_column(String(20))  # a `Profile` value
    age_band: Mapped[str] = mapped_column(String(20))
    label: Mapped[str | None] = mapped_column(EncryptedText("screenings.label"))
    answers_json: Mapped[str] = mapped_column(EncryptedText("screenings.answers"), default="{}")
    step: Mapped[int] = mapped_column(Integer, default=0)  # index of the next step to fill
    status: Mapped[ScreeningStatus] = mapped_column(
        Enum(ScreeningStatus, native_enum=False, length=20), default=ScreeningStatus.draft
    )
    outcome: Mapped[str | None] = mapped_column(String(30))  # set on completion
    screener_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id"), index=True)
    country: Mapped[str] = mapped_column(String(2), index=True)
    case_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # HTCDS 2.0 `prs_Gender` code; ISO 3166-1 and ISO 639 codes, space-separated. Optional.
    gender: Mapped[str | None] = mapped_column(EncryptedText("screenings.gender"))
    citizenship_codes: Mapped[str | None] = mapped_column(EncryptedText("screenings.citizenship"))
    language_codes: Mapped[str | None] = mapped_column(EncryptedText("screenings.languages"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # A final identification decision is recorded (`identification.decide` sets it): lets the
    # queue's index skip the decided screenings of years past. The queue still checks the
    # decisions themselves, so a screening loaded without it only costs time, never a wrong row.
    decided_final: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    @property
    def answers(self) -> dict[str, Answer]:
        return {k: Answer(v) for k, v in json.loads(self.answers_json or "{}").items()}

    @answers.setter
    def answers(self, value: dict[str, Answer]) -> None:
        self.answers_json = json.dumps({k: v.value for k, v in sorted(value.items())})

    @property
    def reference(self) -> str:
        """A short reference to name the screening in lists (not a secret, not the person)."""
        return f"S-{self.id.hex[-6:].upper()}"

    @property
    def citizenship(self) -> list[str]:
        return (self.citizenship_codes or "").split()

    @property
    def languages(self) -> list[str]:
        return (self.language_codes or "").split()


class Identification(Base):
    """A formal identification decision, taken by an authorised role on a completed screening."""

    __tablename__ = "identifications"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    screening_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("screenings.id"), index=True)
    case_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    status: Mapped[TraffickingStatus] = mapped_column(
        Enum(TraffickingStatus, native_enum=False, length=20)
    )
    basis: Mapped[str] = mapped_column(EncryptedText("identifications.basis"))
    decided_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id"))
    country: Mapped[str] = mapped_column(String(2))
    decided_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
