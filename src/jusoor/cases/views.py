"""A case as one reader may see it: only the fields their access allows (API, CLI and pages)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from jusoor.cases.fields import profile_fields, profile_names
from jusoor.cases.models import Case
from jusoor.cases.schemas import ConsentRead, EventRead, NoteRead, TaskRead
from jusoor.cases.service import CaseFile, records_of
from jusoor.cases.vocabulary import Gender, Stage
from jusoor.cases.workflow import machine


class GuardianRead(BaseModel):
    name: str | None
    relation: str | None
    agency_id: uuid.UUID | None
    best_interests_assessed_on: dt.date | None
    best_interests_determined_on: dt.date | None


class CaseRead(BaseModel):
    """Fields the reader may not see are absent (not null): `fields` lists those present."""

    id: uuid.UUID
    reference: str
    stage: Stage
    fields: list[str] = Field(description="The fields shared with the caller, or ['*'].")
    country: str | None = None
    agency_id: uuid.UUID | None = None
    owner_username: str | None = None
    screening_id: uuid.UUID | None = None
    opened_at: dt.datetime | None = None
    stage_entered_at: dt.datetime | None = None
    reflection_ends_on: dt.date | None = None
    closed_at: dt.datetime | None = None
    next_stages: list[Stage] | None = None
    gender: Gender | None = None
    age: int | None = None
    age_band: str | None = None
    is_child: bool | None = None
    date_of_birth: dt.date | None = None
    citizenship: list[str] | None = None
    languages: list[str] | None = None
    countries_of_origin: list[str] | None = None
    countries_of_transit: list[str] | None = None
    countries_of_exploitation: list[str] | None = None
    forms_of_exploitation: list[str] | None = None
    means_of_control: list[str] | None = None
    recruiter_relation: str | None = None
    name: str | None = None
    aliases: str | None = None
    contact: str | None = None
    identity_documents: str | None = None
    health_notes: str | None = None
    guardian: GuardianRead | None = None
    notes: list[NoteRead] | None = None
    tasks: list[TaskRead] | None = None
    consents: list[ConsentRead] | None = None
    timeline: list[EventRead] | None = None


# The profile fields shown as stored; dates are stored as ISO text and shown as dates.
_PLAIN = tuple(f.name for f in profile_fields() if f.type != "date")
_DATES = profile_names("date")


def _guardian(case: Case) -> GuardianRead:
    return GuardianRead(
        name=case.guardian_name,
        relation=case.guardian_relation,
        agency_id=case.guardian_agency_id,
        best_interests_assessed_on=case.best_interests_assessed_on,
        best_interests_determined_on=case.best_interests_determined_on,
    )


def case_read(session: Session, file: CaseFile) -> CaseRead:
    """Shape a case already read with `service.get_case` for its reader."""
    case, fields = file.case, file.fields
    values: dict[str, Any] = {
        "id": case.id,
        "reference": case.reference,
        "stage": case.stage,
        "fields": ["*"] if file.whole else sorted(fields),
    }
    values.update({name: getattr(case, name) for name in _PLAIN if name in fields})
    for name in _DATES:
        stored = getattr(case, name) if name in fields else None
        if stored:
            values[name] = dt.date.fromisoformat(stored)
    if "guardian" in fields and case.is_child:
        values["guardian"] = _guardian(case)
    if file.whole:
        records = records_of(session, file)
        values.update(
            country=case.country,
            agency_id=case.agency_id,
            owner_username=case.owner.username,
            screening_id=case.screening_id,
            opened_at=case.opened_at,
            stage_entered_at=case.stage_entered_at,
            reflection_ends_on=case.reflection_ends_on,
            closed_at=case.closed_at,
            next_stages=list(machine().allowed(case.stage)),
            notes=[NoteRead.model_validate(n) for n in records.notes],
            tasks=[TaskRead.model_validate(t) for t in records.tasks],
            consents=[ConsentRead.model_validate(c) for c in records.consents],
            timeline=[EventRead.model_validate(e) for e in records.timeline],
        )
    return CaseRead(**values)
