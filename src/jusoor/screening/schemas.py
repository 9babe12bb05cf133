"""What the screening API and pages take and give."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from jusoor.screening.catalogue import Profile
from jusoor.screening.models import Identification, Screening, ScreeningStatus, TraffickingStatus


class AgeBand(enum.StrEnum):
    under_12 = "under_12"
    from_12_to_17 = "12_17"
    adult = "18_plus"
    unknown = "unknown"

    @property
    def child(self) -> bool:
        # Presumption of minority (CoE Convention art. 10(3); UNICEF guidelines): when the age is
        # uncertain and there are reasons to believe the person is under 18, screen as a child.
        return self is not AgeBand.adult


class Exploitation(enum.StrEnum):
    labour = "labour"
    sexual = "sexual"


def profile_for(age_band: AgeBand, exploitation: Exploitation) -> Profile:
    """The ILO list that applies: a child's list when the person may be under 18."""
    return Profile(f"{'child' if age_band.child else 'adult'}-{exploitation.value}")


Label = Annotated[str, StringConstraints(strip_whitespace=True, max_length=60)]


class ScreeningStart(BaseModel):
    model_config = ConfigDict(extra="forbid")

    age_band: AgeBand = Field(description="The person's age band; under 18 or unknown: a child.")
    exploitation: Exploitation = Field(description="The form of exploitation to screen for.")
    label: Label | None = Field(
        default=None, description="A short pseudonymous label (never a name), stored encrypted."
    )


class AnswersIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answers: dict[str, str] = Field(
        description="Question id -> yes, no or unknown. Merged into the answers saved before."
    )
    step: str | None = Field(
        default=None, description="The step these answers complete; the next step becomes current."
    )


class ScreeningRead(BaseModel):
    id: uuid.UUID
    profile: str
    age_band: str
    label: str | None
    answers: dict[str, str]
    step: int
    status: ScreeningStatus
    outcome: str | None
    case_id: uuid.UUID | None
    created_at: dt.datetime
    updated_at: dt.datetime
    completed_at: dt.datetime | None

    @classmethod
    def of(cls, screening: Screening) -> ScreeningRead:
        return cls(
            id=screening.id,
            profile=screening.profile,
            age_band=screening.age_band,
            label=screening.label,
            answers={k: v.value for k, v in screening.answers.items()},
            step=screening.step,
            status=screening.status,
            outcome=screening.outcome,
            case_id=screening.case_id,
            created_at=screening.created_at,
            updated_at=screening.updated_at,
            completed_at=screening.completed_at,
        )


class ResultRead(BaseModel):
    screening: ScreeningRead
    assessment: dict[str, Any] = Field(
        description="Each dimension's status and indicators, the outcome and its reasons."
    )
    supports_decision_only: bool = Field(
        default=True, description="Always true: the result supports a decision, never makes it."
    )


Basis = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


class IdentificationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    screening_id: uuid.UUID
    status: TraffickingStatus = Field(description="HTCDS status: possible, actual, not_a_victim.")
    basis: Basis = Field(description="The grounds of the decision (stored encrypted).")


class IdentificationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    screening_id: uuid.UUID
    case_id: uuid.UUID | None
    status: TraffickingStatus
    basis: str
    decided_by: uuid.UUID
    agency_id: uuid.UUID
    decided_at: dt.datetime

    @classmethod
    def of(cls, identification: Identification) -> IdentificationRead:
        return cls.model_validate(identification)
