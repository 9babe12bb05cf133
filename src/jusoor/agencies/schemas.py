"""Validated input and output shapes for agencies and users (API and pages share them)."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from zoneinfo import available_timezones

import pycountry
from pydantic import BaseModel, ConfigDict, Field, field_validator

from jusoor.agencies.models import AgencyKind
from jusoor.core.i18n import DIGITS, LOCALES
from jusoor.core.i18n import gettext as _
from jusoor.core.invisible import NameText
from jusoor.core.permissions import ROLES

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}$")


def _country(value: str) -> str:
    code = value.strip().upper()
    if pycountry.countries.get(alpha_2=code) is None:
        raise ValueError(_("This is not a two-letter ISO 3166-1 country code."))
    return code


class AgencyCreate(BaseModel):
    code: str = Field(min_length=2, max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$")
    country: str
    kind: AgencyKind
    name_ar: NameText = Field(min_length=2, max_length=300)
    name_en: NameText = Field(min_length=2, max_length=300)
    name_fr: NameText = Field(min_length=2, max_length=300)

    _check_country = field_validator("country")(_country)


class AgencyUpdate(BaseModel):
    name_ar: NameText | None = Field(default=None, min_length=2, max_length=300)
    name_en: NameText | None = Field(default=None, min_length=2, max_length=300)
    name_fr: NameText | None = Field(default=None, min_length=2, max_length=300)
    active: bool | None = None


class AgencyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    code: str
    country: str
    kind: AgencyKind
    name_ar: str
    name_en: str
    name_fr: str
    active: bool


class UserCreate(BaseModel):
    username: str
    display_name: NameText = Field(min_length=2, max_length=200)
    agency_code: str
    roles: list[str] = Field(min_length=1)
    locale: str = "ar"
    password: str | None = None

    @field_validator("username")
    @classmethod
    def _username(cls, value: str) -> str:
        value = value.strip().lower()
        if not USERNAME_RE.match(value):
            raise ValueError(
                _("Use 2 to 63 lower-case letters, digits, dots, dashes or underscores.")
            )
        return value

    @field_validator("roles")
    @classmethod
    def _roles(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(ROLES))
        if unknown:
            raise ValueError(_("Unknown roles: %(roles)s.", roles=", ".join(unknown)))
        return sorted(set(value))

    @field_validator("locale")
    @classmethod
    def _locale(cls, value: str) -> str:
        if value not in LOCALES:
            raise ValueError(_("Choose one of: %(choices)s.", choices=", ".join(LOCALES)))
        return value


class ProfileUpdate(BaseModel):
    display_name: NameText | None = Field(default=None, min_length=2, max_length=200)
    locale: str | None = None
    digits: str | None = None
    timezone: str | None = None

    @field_validator("locale")
    @classmethod
    def _locale(cls, value: str | None) -> str | None:
        if value is not None and value not in LOCALES:
            raise ValueError(_("Choose one of: %(choices)s.", choices=", ".join(LOCALES)))
        return value

    @field_validator("digits")
    @classmethod
    def _digits(cls, value: str | None) -> str | None:
        if value is not None and value not in DIGITS:
            raise ValueError(_("Choose one of: %(choices)s.", choices=", ".join(DIGITS)))
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str | None) -> str | None:
        if value is not None and value not in available_timezones():
            raise ValueError(_("This time zone is unknown."))
        return value


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    username: str
    display_name: str
    locale: str
    digits: str
    timezone: str
    agency: AgencyRead
    roles: list[str]
    active: bool
    mfa_enabled: bool
    last_login_at: dt.datetime | None

    @field_validator("roles", mode="before")
    @classmethod
    def _sorted(cls, value: object) -> object:
        return sorted(value) if isinstance(value, frozenset | set) else value


class TokenRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    prefix: str
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None


class UserUpdate(BaseModel):
    """What an administrator changes on an account through the API: its roles, its state."""

    model_config = ConfigDict(extra="forbid")

    roles: list[str] | None = Field(default=None, min_length=1)
    active: bool | None = None

    @field_validator("roles")
    @classmethod
    def _roles(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else UserCreate._roles(value)


class UserCreated(BaseModel):
    user: UserRead
    initial_password: str | None = Field(
        description="The generated password, shown this once (null when the caller chose it)."
    )


class PasswordReset(BaseModel):
    password: str = Field(description="The new random password, shown this once.")
    sessions_ended: int = Field(0, description="How many of the user's sessions were ended.")
    tokens_revoked: int = Field(0, description="How many of the user's API tokens were revoked.")
