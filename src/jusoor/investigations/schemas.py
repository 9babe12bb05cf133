"""Validated shapes of the file and its stage moves (pages, API and CLI share them)."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import BaseModel, ConfigDict, Field, field_validator

from jusoor.core.i18n import gettext as _
from jusoor.core.typed_dates import TypedDate
from jusoor.investigations.vocabulary import Origin, Stage


def not_in_future(value: dt.date | None) -> dt.date | None:
    if value is not None and value > dt.date.today():
        raise ValueError(_("This date is in the future."))
    return value


class FileCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=3, max_length=200)
    summary: str = Field(default="", max_length=4000)
    origin: Origin
    reported_on: TypedDate
    court: str | None = Field(default=None, max_length=200)
    # The investigator leading the file (a username of the opening agency); default: the opener.
    lead_username: str | None = Field(default=None, max_length=64)

    _past = field_validator("reported_on")(not_in_future)


class FileUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str | None = Field(default=None, min_length=3, max_length=200)
    summary: str | None = Field(default=None, max_length=4000)
    court: str | None = Field(default=None, max_length=200)
    court_case_number: str | None = Field(default=None, max_length=64)
    prosecutor_username: str | None = Field(default=None, max_length=64)


class FileMove(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    stage: Stage
    reason: str = Field(default="", max_length=2000)


class FileRead(BaseModel):
    """What the API returns of a file to someone who may read it."""

    id: uuid.UUID
    reference: str
    country: str
    year: int
    agency_id: uuid.UUID
    origin: Origin
    title: str
    summary: str
    stage: Stage
    stage_entered_at: dt.datetime
    reported_on: dt.date
    court: str | None
    court_case_number: str | None
    created_at: dt.datetime

    model_config = ConfigDict(from_attributes=True)
