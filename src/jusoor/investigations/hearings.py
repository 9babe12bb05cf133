"""Hearings: the prosecution schedules them (kind, court, date and time) while the file is at
trial or on appeal, and records what happened (held, or adjourned, and the outcome).

`hearings_between` gives the hearings of the files a person may read in a period (the workspace's
"hearings this week"), scoped like every query of files and audited.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.audit.service import record
from jusoor.core.db import utcnow
from jusoor.core.errors import Invalid, NotFound
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.investigations import access, service
from jusoor.investigations.labels import label, stage_label
from jusoor.investigations.models import Hearing, InvestigationFile
from jusoor.investigations.vocabulary import HearingKind, Stage

# The court sits on the file while it is tried and while it is on appeal.
SITTING = (Stage.trial, Stage.appeal)


class HearingIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: HearingKind
    court: str = Field(default="", max_length=200)  # default: the file's court
    scheduled_at: AwareDatetime


class OutcomeIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    held: bool  # False: adjourned
    outcome: str = Field(default="", max_length=2000)


def may_schedule(file: InvestigationFile) -> bool:
    return file.stage in SITTING


def schedule(
    session: Session, *, actor: Actor, file_id: uuid.UUID, hearing_in: HearingIn
) -> Hearing:
    """Schedule a hearing of the file's trial or appeal."""
    file = service.file_for_prosecution(session, actor=actor, file_id=file_id)
    if not may_schedule(file):
        raise Invalid(
            "stage",
            _(
                "Hearings are scheduled while the file is at trial or on appeal; this file is "
                "at: %(stage)s.",
                stage=stage_label(file.stage),
            ),
        )
    if (hearing_in.kind is HearingKind.appeal) != (file.stage is Stage.appeal):
        raise Invalid(
            "kind",
            _("An appeal hearing is held only while the file is on appeal.")
            if hearing_in.kind is HearingKind.appeal
            else _("On appeal, choose an appeal hearing."),
        )
    court = (hearing_in.court or file.court or "").strip()
    if not court:
        raise Invalid("court", _("Name the court that sits."))
    if hearing_in.scheduled_at.date() < file.reported_on:
        raise Invalid("scheduled_at", _("The hearing cannot come before the facts were reported."))
    hearing = Hearing(
        file_id=file.id,
        kind=hearing_in.kind,
        court=court,
        scheduled_at=hearing_in.scheduled_at.astimezone(dt.UTC),
        recorded_by=actor.user_id,
    )
    session.add(hearing)
    session.flush()
    facts: dict[str, object] = {
        "hearing_id": str(hearing.id),
        "kind": hearing.kind.value,
        "at": hearing.scheduled_at.isoformat(),
    }
    service.add_event(session, file, actor=actor, kind="hearing", details=facts)
    record(
        session,
        actor=actor,
        action="investigations.hearing",
        object_type=service.OBJECT,
        object_id=file.id,
        details=facts,
    )
    return hearing


def record_outcome(
    session: Session,
    *,
    actor: Actor,
    file_id: uuid.UUID,
    hearing_id: uuid.UUID,
    outcome_in: OutcomeIn,
) -> Hearing:
    """Record that a hearing was held (and what came of it) or adjourned (and why)."""
    file = service.file_for_prosecution(session, actor=actor, file_id=file_id)
    hearing = session.get(Hearing, hearing_id)
    if hearing is None or hearing.file_id != file.id:
        raise Invalid("hearing_id", _("Choose a hearing of this file."))
    if hearing.held is not None:
        raise Invalid("hearing_id", _("What happened at this hearing is already recorded."))
    if outcome_in.held and hearing.scheduled_at > utcnow():
        raise Invalid("held", _("This hearing has not taken place yet."))
    if not outcome_in.held and not outcome_in.outcome:
        raise Invalid("outcome", _("Say why the hearing was adjourned."))
    hearing.held = outcome_in.held
    hearing.outcome = outcome_in.outcome
    facts: dict[str, object] = {
        "hearing_id": str(hearing.id),
        "kind": hearing.kind.value,
        "held": outcome_in.held,
    }
    service.add_event(
        session, file, actor=actor, kind="hearing_outcome", details=facts,
        reason=outcome_in.outcome or None,
    )  # fmt: skip
    record(
        session,
        actor=actor,
        action="investigations.hearing_outcome",
        object_type=service.OBJECT,
        object_id=file.id,
        details=facts,
    )
    return hearing


def hearings_of(session: Session, file: InvestigationFile) -> Sequence[Hearing]:
    """The hearings of a file the caller has loaded (its read audited), in date order."""
    return session.scalars(
        select(Hearing).where(Hearing.file_id == file.id).order_by(Hearing.scheduled_at, Hearing.id)
    ).all()


def list_hearings(session: Session, *, actor: Actor, file_id: uuid.UUID) -> Sequence[Hearing]:
    file = service.get_file(session, actor=actor, file_id=file_id)
    return hearings_of(session, file)


def get_hearing(
    session: Session, *, actor: Actor, file_id: uuid.UUID, hearing_id: uuid.UUID
) -> Hearing:
    file = service.get_file(session, actor=actor, file_id=file_id)
    hearing = session.get(Hearing, hearing_id)
    if hearing is None or hearing.file_id != file.id:
        raise NotFound(_("No such hearing in this file."))
    return hearing


@dataclass(frozen=True)
class Sitting:
    """A hearing in a list across files: what, where, when, and the file it belongs to."""

    hearing_id: uuid.UUID
    file_id: uuid.UUID
    reference: str
    kind: HearingKind
    court: str
    scheduled_at: dt.datetime
    held: bool | None

    @property
    def kind_label(self) -> str:
        return label(HearingKind, self.kind)


def hearings_between(
    session: Session, *, actor: Actor, start: dt.datetime, end: dt.datetime
) -> list[Sitting]:
    """The hearings from `start` (included) to `end` (excluded) of the files the caller may read,
    soonest first (the listing is audited)."""
    actor.require(access.READ)
    rows = session.execute(
        select(Hearing, InvestigationFile.reference)
        .join(InvestigationFile, InvestigationFile.id == Hearing.file_id)
        .where(
            access.visible(actor),
            Hearing.scheduled_at >= start.astimezone(dt.UTC),
            Hearing.scheduled_at < end.astimezone(dt.UTC),
        )
        .order_by(Hearing.scheduled_at, Hearing.id)
    ).all()
    found = [
        Sitting(h.id, h.file_id, reference, h.kind, h.court, h.scheduled_at, h.held)
        for h, reference in rows
    ]
    record(
        session,
        actor=actor,
        action="investigations.hearings",
        object_type=service.OBJECT,
        details={"count": len(found), "from": start.isoformat(), "to": end.isoformat()},
    )
    return found
