"""Validated shapes of services and referrals (the API, the pages and the CLI share them)."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

import phonenumbers
import pycountry
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from jusoor.core.i18n import gettext as _
from jusoor.core.typed_dates import TypedDate
from jusoor.referrals.models import ServiceKind, TransitionKind

LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")  # BCP 47, the common subset
EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
MAX_CAPACITY = 100_000  # places of one service; far above any shelter, far below the column limit


def _country(value: str) -> str:
    code = value.strip().upper()
    if pycountry.countries.get(alpha_2=code) is None:
        raise ValueError(_("This is not a two-letter ISO 3166-1 country code."))
    return code


def e164(value: str, region: str | None) -> str:
    """`value` as a valid E.164 number, read as national in `region` when it has no prefix."""
    try:
        number = phonenumbers.parse(value.strip(), region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValueError(_("This is not a valid phone number; write it as +212 537 123 456."))
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


class ServiceFields(BaseModel):
    """What describes a service; shared by creation and update."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: ServiceKind
    name: str = Field(min_length=2, max_length=200)
    country: str
    areas: list[str] = Field(default_factory=list, max_length=50)
    languages: list[str] = Field(min_length=1, max_length=20)
    capacity_total: int | None = Field(default=None, ge=0, le=MAX_CAPACITY)
    capacity_free: int | None = Field(default=None, ge=0, le=MAX_CAPACITY)
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=254)
    hours: str = Field(default="", max_length=300)
    notes: str = Field(default="", max_length=2000)
    active: bool = True

    _check_country = field_validator("country")(_country)

    @field_validator("areas")
    @classmethod
    def _areas(cls, value: list[str]) -> list[str]:
        areas = [a.strip() for a in value if a.strip()]
        if any(len(a) > 100 for a in areas):
            raise ValueError(_("Each area has at most 100 characters."))
        return list(dict.fromkeys(areas))

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: list[str]) -> list[str]:
        codes = [v.strip() for v in value if v.strip()]
        bad = [c for c in codes if not LANGUAGE_RE.match(c)]
        if bad:
            raise ValueError(
                _(
                    "Not languages of the list: %(codes)s. Choose from the list.",
                    codes=", ".join(bad),
                )
            )
        if not codes:
            raise ValueError(_("Choose at least one language."))
        return sorted(set(codes))

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if not value:
            return None
        if not EMAIL_RE.match(value):
            raise ValueError(_("This is not an e-mail address."))
        return value.lower()

    @field_validator("capacity_free")
    @classmethod
    def _free(cls, value: int | None, info: ValidationInfo) -> int | None:
        total = info.data.get("capacity_total")
        if value is not None and total is not None and value > total:
            raise ValueError(_("There cannot be more free places than places."))
        return value

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None, info: ValidationInfo) -> str | None:
        return e164(value, info.data.get("country")) if value else None


class ServiceCreate(ServiceFields):
    agency_id: uuid.UUID


class ServiceUpdate(ServiceFields):
    pass


class CapacityUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    capacity_free: int = Field(ge=0, le=MAX_CAPACITY)


class ServiceRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    agency_id: uuid.UUID
    kind: ServiceKind
    name: str
    country: str
    areas: list[str]
    languages: list[str]
    capacity_total: int | None
    capacity_free: int | None
    capacity_updated_at: dt.datetime | None
    phone: str | None
    email: str | None
    hours: str
    notes: str
    active: bool


# Referrals ----------------------------------------------------------------------------------


class ReferralCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    case_id: uuid.UUID
    agency_id: uuid.UUID = Field(description="The agency referred to.")
    kind: ServiceKind = Field(
        description="The kind of service asked for; the agency must offer it."
    )
    service_id: uuid.UUID | None = Field(
        default=None, description="One of the agency's services of that kind (default: the first)."
    )
    shared_fields: list[str] = Field(min_length=1, max_length=60)
    deadline: dt.datetime | None = Field(
        default=None, description="When an answer is due; by default after the kind's usual delay."
    )
    note: str = Field(default="", max_length=2000)
    consent_override_reason: str | None = Field(default=None, max_length=1000)

    @field_validator("deadline")
    @classmethod
    def _aware(cls, value: dt.datetime | None) -> dt.datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value


class ReferralMove(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    action: str = Field(description="accept, decline, start, complete or revoke.")
    reason: str | None = Field(default=None, max_length=1000)


class DeliveryCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    what: str = Field(min_length=2, max_length=300)
    delivered_on: TypedDate
    delivered_by: str = Field(min_length=2, max_length=200)
    notes: str = Field(default="", max_length=2000)

    @field_validator("delivered_on")
    @classmethod
    def _not_future(cls, value: dt.date) -> dt.date:
        if value > dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1):
            raise ValueError(_("A service cannot be recorded before it is given."))
        return value


class MoveRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    action: str
    from_status: str | None
    to_status: str
    by_username: str
    reason: str | None
    at: dt.datetime


class DeliveryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    what: str
    delivered_on: dt.date
    delivered_by: str
    notes: str | None
    recorded_at: dt.datetime


class ReferralRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: TransitionKind
    case_id: uuid.UUID
    service_id: uuid.UUID
    service_kind: ServiceKind
    case_reference: str
    from_agency_id: uuid.UUID
    to_agency_id: uuid.UUID
    status: str
    shared_fields: list[str]
    note: str | None
    deadline: dt.datetime
    overdue: bool
    responded_at: dt.datetime | None
    created_at: dt.datetime
    moves: list[MoveRead]
    deliveries: list[DeliveryRead]
    case: dict[str, Any] | None = Field(
        default=None,
        description="The case fields the referral shares (on the one referral's read only).",
    )
