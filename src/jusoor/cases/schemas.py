"""Validated input and output shapes of a case file (API, pages and CLI share them)."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from jusoor.cases.fields import by_name, profile_names, vocabulary_codes
from jusoor.cases.vocabulary import (
    AGE_BANDS,
    CHILD_AGE_BANDS,
    RECRUITER_RELATIONS,
    ConsentPurpose,
    Gender,
    Stage,
    is_country_code,
    is_language_code,
)
from jusoor.core.errors import Invalid
from jusoor.core.i18n import LOCALES
from jusoor.core.i18n import gettext as _
from jusoor.core.invisible import NameText
from jusoor.core.typed_dates import TypedDate

Text = NameText | None  # names and other short user text: invisible characters removed


def _countries(value: list[str]) -> list[str]:
    codes = [v.strip().upper() for v in value if v.strip()]
    for code in codes:
        if not is_country_code(code):
            raise ValueError(
                _("“%(code)s” is not a known country: choose one from the list.", code=code)
            )
    return list(dict.fromkeys(codes))


def _languages(value: list[str]) -> list[str]:
    codes = [v.strip().lower() for v in value if v.strip()]
    for code in codes:
        if not is_language_code(code):
            raise ValueError(
                _("“%(code)s” is not a known language: choose one from the list.", code=code)
            )
    return list(dict.fromkeys(codes))


def _codes(value: list[str], info: ValidationInfo) -> list[str]:
    """Codes of the field's vocabulary (`fields.yaml`), each once."""
    vocabulary = by_name()[str(info.field_name)].vocabulary
    choices = vocabulary_codes(vocabulary) if vocabulary else ()
    unknown = sorted(set(value) - set(choices))
    if unknown:
        raise ValueError(_("Unknown value: %(values)s.", values=", ".join(unknown)))
    return list(dict.fromkeys(value))


class CaseProfile(BaseModel):
    """The victim profile in HTCDS 2.0 terms. Every field is optional: collect what the NRM step
    needs (DESIGN.md, minimum data)."""

    gender: Gender = Gender.unknown
    age: int | None = Field(default=None, ge=0, le=120)
    age_band: str | None = None
    date_of_birth: TypedDate | None = None
    is_child: bool | None = None
    citizenship: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)
    countries_of_origin: list[str] = Field(default_factory=list)
    countries_of_transit: list[str] = Field(default_factory=list)
    countries_of_exploitation: list[str] = Field(default_factory=list)
    forms_of_exploitation: list[str] = Field(default_factory=list)
    means_of_control: list[str] = Field(default_factory=list)
    recruiter_relation: str | None = None
    name: Text = Field(default=None, max_length=300)
    aliases: Text = Field(default=None, max_length=1000)
    contact: Text = Field(default=None, max_length=1000)
    identity_documents: Text = Field(default=None, max_length=2000)
    health_notes: Text = Field(default=None, max_length=5000)

    # Which fields each check applies to comes from the field catalogue (`fields.yaml`).
    _check_countries = field_validator(*profile_names("countries"))(_countries)
    _check_languages = field_validator(*profile_names("languages"))(_languages)
    _check_codes = field_validator(*profile_names("codes"))(_codes)

    @field_validator("age_band")
    @classmethod
    def _age_band(cls, value: str | None) -> str | None:
        if value and value not in AGE_BANDS:
            raise ValueError(_("Unknown value: %(values)s.", values=value))
        return value or None

    @field_validator("recruiter_relation")
    @classmethod
    def _relation(cls, value: str | None) -> str | None:
        if value and value not in RECRUITER_RELATIONS:
            raise ValueError(_("Unknown value: %(values)s.", values=value))
        return value or None

    @field_validator(*profile_names("text"))
    @classmethod
    def _text(cls, value: str | None) -> str | None:
        return value.strip() or None if value else None


def age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def settle_childhood(profile: CaseProfile, today: dt.date) -> bool:
    """Whether the profile is a child's (under 18), after checking that age, age band, date of
    birth and `is_child` agree; raises Invalid naming the field that contradicts the others."""
    age = profile.age
    if profile.date_of_birth is not None:
        if profile.date_of_birth > today:
            raise Invalid("date_of_birth", _("The date of birth is in the future."))
        born_age = age_on(profile.date_of_birth, today)
        if age is not None and abs(age - born_age) > 1:
            raise Invalid("age", _("The age does not match the date of birth."))
        age = born_age if age is None else age
    if profile.age_band and age is not None:
        low, high = AGE_BANDS[profile.age_band]
        if age < low or (high is not None and age > high):
            raise Invalid("age_band", _("The age band does not match the age."))
    child: bool | None = None
    if age is not None:
        child = age < 18
    elif profile.age_band:
        child = profile.age_band in CHILD_AGE_BANDS
    if profile.is_child is not None and child is not None and profile.is_child != child:
        field = "age" if profile.age is not None else "age_band"
        if profile.age is None and profile.age_band is None:
            field = "date_of_birth"
        raise Invalid(field, _("The age contradicts whether the person is a child."))
    return bool(profile.is_child if profile.is_child is not None else child)


class CaseCreate(CaseProfile):
    """A new case. `agency_code` and `owner_username` are for operators acting for an agency;
    a user's own case goes to their agency, with them as case worker."""

    agency_code: str | None = None
    owner_username: str | None = None


NOTE_LENGTH = 5000  # a note is a page at most; a longer record is a document


class NoteCreate(BaseModel):
    body: str = Field(min_length=1, max_length=NOTE_LENGTH)


class TaskCreate(BaseModel):
    title: str = Field(min_length=2, max_length=300)
    due_on: TypedDate | None = None


class TransitionCreate(BaseModel):
    stage: str = Field(min_length=1, max_length=40)
    reason: str = Field(min_length=1, max_length=2000)
    # Needed to leave the recovery and reflection period before its last day (an override).
    early_end_reason: str = Field(default="", max_length=2000)


class ConsentCreate(BaseModel):
    purpose: ConsentPurpose
    agency_code: str | None = None  # the agency referred to (purpose "referral")
    language: str = Field(min_length=2, max_length=8)
    interpreter_name: Text = Field(default=None, max_length=200)
    witness_name: Text = Field(default=None, max_length=200)
    given_on: TypedDate | None = None

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        code = value.strip().lower()
        if code not in LOCALES and not is_language_code(code):
            raise ValueError(
                _("“%(code)s” is not a known language: choose one from the list.", code=code)
            )
        return code


class GuardianSet(BaseModel):
    name: NameText = Field(min_length=2, max_length=300)
    relation: str = Field(min_length=2, max_length=64)
    agency_code: str | None = None


class BestInterestsSet(BaseModel):
    step: str = Field(pattern=r"^(assessment|determination)$")
    on: TypedDate


class NoteRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    author_username: str
    body: str
    created_at: dt.datetime


class TaskRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    title: str
    due_on: dt.date | None
    done_at: dt.datetime | None
    done_by_username: str | None


class ConsentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    purpose: ConsentPurpose
    agency_id: uuid.UUID | None
    language: str
    interpreter_name: str | None
    witness_name: str | None
    given_at: dt.datetime
    recorded_by_username: str
    withdrawn_at: dt.datetime | None


class EventRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    seq: int
    at: dt.datetime
    actor_username: str
    kind: str
    details: dict[str, object]
    reason: str | None


class CaseSummary(BaseModel):
    id: uuid.UUID
    reference: str
    country: str
    stage: Stage
    opened_at: dt.datetime
    overdue_tasks: int = 0
