"""What the screening API and pages take and give."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from jusoor.cases.vocabulary import Gender, is_country_code, is_language_code
from jusoor.core.i18n import gettext as _
from jusoor.screening.catalogue import Profile
from jusoor.screening.models import Identification, Screening, ScreeningStatus, TraffickingStatus


class AgeBand(enum.StrEnum):
    """The person's age band. The form offers CTDC's `ageBroad` bands (codebook v2024), the ones
    a case file keeps, so that the case opened from the screening receives the band as answered;
    the first three values are those of earlier screenings, still accepted and read."""

    under_12 = "under_12"
    from_12_to_17 = "12_17"
    adult = "18_plus"
    from_0_to_8 = "0-8"
    from_9_to_17 = "9-17"
    from_18_to_20 = "18-20"
    from_21_to_23 = "21-23"
    from_24_to_26 = "24-26"
    from_27_to_29 = "27-29"
    from_30_to_38 = "30-38"
    from_39_to_47 = "39-47"
    from_48 = "48+"
    unknown = "unknown"

    @property
    def child(self) -> bool:
        # Presumption of minority (CoE Convention art. 10(3); UNICEF guidelines): when the age is
        # uncertain and there are reasons to believe the person is under 18, screen as a child.
        return self not in ADULT_BANDS

    @property
    def is_child(self) -> bool | None:
        """Whether the person is a child, as far as the band tells (None when not known)."""
        return None if self is AgeBand.unknown else self.child

    @property
    def case_band(self) -> str | None:
        """The CTDC band a case file keeps, when this band falls within exactly one."""
        if self is AgeBand.from_12_to_17:
            return AgeBand.from_9_to_17.value
        return self.value if self in OFFERED_BANDS and self is not AgeBand.unknown else None


ADULT_BANDS = frozenset(
    {
        AgeBand.adult,
        AgeBand.from_18_to_20,
        AgeBand.from_21_to_23,
        AgeBand.from_24_to_26,
        AgeBand.from_27_to_29,
        AgeBand.from_30_to_38,
        AgeBand.from_39_to_47,
        AgeBand.from_48,
    }
)
# What the start form offers, youngest first (the legacy values are not offered any more).
OFFERED_BANDS = tuple(
    b for b in AgeBand if b not in (AgeBand.under_12, AgeBand.from_12_to_17, AgeBand.adult)
)


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
    gender: Gender | None = Field(
        default=None, description="HTCDS 2.0 `prs_Gender`, if the person said (stored encrypted)."
    )
    citizenship: list[str] = Field(
        default_factory=list,
        description="ISO 3166-1 alpha-2 codes (stored encrypted).",
        max_length=5,
    )
    languages: list[str] = Field(
        default_factory=list, description="ISO 639 codes of the languages spoken.", max_length=10
    )

    @field_validator("citizenship")
    @classmethod
    def _countries(cls, value: list[str]) -> list[str]:
        codes = [v.strip().upper() for v in value if v.strip()]
        for code in codes:
            if not is_country_code(code):
                raise ValueError(_("%(code)s is not an ISO 3166-1 country code.", code=code))
        return list(dict.fromkeys(codes))

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: list[str]) -> list[str]:
        codes = [v.strip().lower() for v in value if v.strip()]
        for code in codes:
            if not is_language_code(code):
                raise ValueError(_("%(code)s is not an ISO 639 language code.", code=code))
        return list(dict.fromkeys(codes))


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
    gender: str | None
    citizenship: list[str]
    languages: list[str]
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
            gender=screening.gender,
            citizenship=screening.citizenship,
            languages=screening.languages,
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
    basis: str | None = Field(
        description="The grounds; null for a reader who may not see them (the screener)."
    )
    decided_by: uuid.UUID
    agency_id: uuid.UUID
    decided_at: dt.datetime

    @classmethod
    def of(cls, identification: Identification, *, with_basis: bool = True) -> IdentificationRead:
        read = cls.model_validate(identification)
        return read if with_basis else read.model_copy(update={"basis": None})


class QueueRowRead(BaseModel):
    """One screening awaiting a formal identification decision (codes; pages put them in words)."""

    model_config = ConfigDict(from_attributes=True)

    screening_id: uuid.UUID
    reference: str
    country: str
    agency_id: uuid.UUID
    agency_name: str
    profile: str
    outcome: str
    age_band: str
    completed_at: dt.datetime
    waiting_days: int
    deadline: dt.date
    days_left: int = Field(description="Days until the deadline; negative when overdue.")
    overdue: bool
    provisional: TraffickingStatus | None = Field(
        default=None, description="A provisional decision already taken (possible), if any."
    )
    case_id: uuid.UUID | None
    decision_url: str = Field(description="The page where the decision is recorded.")


class QueueRead(BaseModel):
    rows: list[QueueRowRead]
    total: int = Field(description="Awaiting, counted up to 1,000 (then 1,000 with `more`).")
    overdue: int = Field(description="Overdue, counted up to 1,000 (`overdue_more` beyond).")
    limit: int
    offset: int
    more: bool = Field(False, description="More than 1,000 are waiting.")
    overdue_more: bool = Field(False, description="More than 1,000 are overdue.")
    next: str | None = Field(
        None, description="Pass as `after` for the next page; null on the last page."
    )
