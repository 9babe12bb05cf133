"""Legal instruments of a file: warrants, court orders, preservation and production requests,
freezing orders, travel bans; who issues them, when, until when, and where each stands.

Status: requested → issued or refused; issued → executed or expired. The dates follow it
(issued on or after the request, expiring on or after the issue), and `deadlines` lists what
expires soon or has expired without being marked, for the workspaces: an instrument that lapses
unnoticed (a preservation request past its 90 days, a warrant out of time) loses the evidence.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.audit.service import record
from jusoor.core.errors import Invalid, NotFound
from jusoor.core.i18n import N_, format_date
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.core.typed_dates import TypedDate
from jusoor.investigations import access, service
from jusoor.investigations.assets import file_for_follow_up, may_add, may_follow_up
from jusoor.investigations.labels import choices, label
from jusoor.investigations.models import FileEvent, Instrument, InvestigationFile
from jusoor.investigations.vocabulary import InstrumentKind, InstrumentStatus

# Where a status may go next; refused, executed and expired are final (no entry).
MOVES: dict[InstrumentStatus, frozenset[InstrumentStatus]] = {
    InstrumentStatus.requested: frozenset({InstrumentStatus.issued, InstrumentStatus.refused}),
    InstrumentStatus.issued: frozenset({InstrumentStatus.executed, InstrumentStatus.expired}),
}


class InstrumentIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: InstrumentKind
    authority: str = Field(min_length=2, max_length=200)
    reference: str | None = Field(default=None, max_length=64)
    requested_on: TypedDate
    note: str = Field(default="", max_length=2000)


class InstrumentMove(BaseModel):
    """A new status, the day it happened, and (when issued) the day the instrument lapses."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    status: InstrumentStatus
    on: TypedDate
    expires_on: TypedDate | None = None
    reference: str | None = Field(default=None, max_length=64)


def _date_error(field: str, message: str, on: dt.date) -> Invalid:
    return Invalid(field, _(message, date=format_date(on)))


def add_instrument(
    session: Session, *, actor: Actor, file_id: uuid.UUID, instrument_in: InstrumentIn
) -> Instrument:
    """Record an instrument requested for the file."""
    file = service.file_for_update(session, actor=actor, file_id=file_id)
    if instrument_in.requested_on > dt.date.today():
        raise Invalid("requested_on", _("This date is in the future."))
    if instrument_in.requested_on < file.reported_on:
        raise _date_error(
            "requested_on",
            N_("This date is before the file was reported (%(date)s)."),
            file.reported_on,
        )
    instrument = Instrument(
        file_id=file.id,
        kind=instrument_in.kind,
        authority=instrument_in.authority,
        reference=instrument_in.reference or None,
        requested_on=instrument_in.requested_on,
        status=InstrumentStatus.requested,
        note=instrument_in.note,
        recorded_by=actor.user_id,
    )
    session.add(instrument)
    session.flush()
    _event(session, file, actor, instrument, instrument_in.requested_on, "instrument")
    record(
        session,
        actor=actor,
        action="investigations.instrument.add",
        object_type=service.OBJECT,
        object_id=file.id,
        details={"instrument": str(instrument.id), "kind": instrument.kind.value},
    )
    return instrument


def _check_move(instrument: Instrument, move: InstrumentMove) -> None:
    if move.status not in MOVES.get(instrument.status, frozenset()):
        raise Invalid(
            "status",
            _(
                "An instrument that is %(before)s cannot become %(after)s.",
                before=label(InstrumentStatus, instrument.status).lower(),
                after=label(InstrumentStatus, move.status).lower(),
            ),
        )
    if move.on > dt.date.today():
        raise Invalid("on", _("This date is in the future."))
    since = instrument.issued_on or instrument.requested_on
    if move.on < since:
        message = (
            N_("This date is before the instrument was issued (%(date)s).")
            if instrument.issued_on
            else N_("This date is before the instrument was requested (%(date)s).")
        )
        raise _date_error("on", message, since)
    if move.expires_on is not None:
        if move.status is not InstrumentStatus.issued:
            raise Invalid("expires_on", _("An expiry date is given only when issued."))
        if move.expires_on < move.on:
            raise _date_error(
                "expires_on", N_("The instrument cannot expire before it is issued (%(date)s)."),
                move.on,
            )  # fmt: skip
    lapses = instrument.expires_on
    if move.status is InstrumentStatus.expired and lapses and move.on < lapses:
        raise _date_error("on", N_("The instrument is valid until %(date)s."), lapses)


def move_instrument(
    session: Session,
    *,
    actor: Actor,
    file_id: uuid.UUID,
    instrument_id: uuid.UUID,
    move: InstrumentMove,
) -> Instrument:
    """Mark an instrument issued, refused, executed or expired, on the day it happened (also in
    a final or closed file: an instrument still lapses)."""
    file = file_for_follow_up(session, actor=actor, file_id=file_id)
    instrument = session.get(Instrument, instrument_id, with_for_update=True)
    if instrument is None or instrument.file_id != file.id:
        raise NotFound(_("No such instrument in this file."))
    _check_move(instrument, move)
    before = instrument.status
    instrument.status = move.status
    if move.status is InstrumentStatus.issued:
        instrument.issued_on = move.on
        instrument.expires_on = move.expires_on
        instrument.reference = move.reference or instrument.reference
    elif move.status is InstrumentStatus.expired and instrument.expires_on is None:
        instrument.expires_on = move.on
    _event(session, file, actor, instrument, move.on, "instrument_status")
    record(
        session,
        actor=actor,
        action="investigations.instrument.move",
        object_type=service.OBJECT,
        object_id=file.id,
        details={"instrument": str(instrument.id), "from": before.value, "to": move.status.value},
    )
    return instrument


def _event(
    session: Session,
    file: InvestigationFile,
    actor: Actor,
    instrument: Instrument,
    on: dt.date,
    kind: str,
) -> None:
    details: dict[str, object] = {
        "kind": instrument.kind.value,
        "status": instrument.status.value,
        "on": on.isoformat(),
    }
    service.add_event(session, file, actor=actor, kind=kind, details=details)


def instruments_of(session: Session, file: InvestigationFile) -> Sequence[Instrument]:
    """The instruments of a loaded (and audited) file, in the order they were requested."""
    return session.scalars(
        select(Instrument)
        .where(Instrument.file_id == file.id)
        .order_by(Instrument.requested_on, Instrument.id)
    ).all()


@dataclass(frozen=True)
class Deadline:
    instrument: Instrument
    file_id: uuid.UUID
    file_reference: str
    days_left: int  # negative: expired days ago and not yet marked

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def deadlines(session: Session, *, actor: Actor, within_days: int = 14) -> list[Deadline]:
    """Issued instruments of the files `actor` may read that expire within `within_days` days,
    or have expired and are not yet marked so; soonest first. The listing is audited."""
    actor.require(access.READ)
    today = dt.date.today()
    rows = session.execute(
        select(Instrument, InvestigationFile.reference)
        .join(InvestigationFile, InvestigationFile.id == Instrument.file_id)
        .where(
            access.visible(actor),
            Instrument.status == InstrumentStatus.issued,
            Instrument.expires_on.is_not(None),
            Instrument.expires_on <= today + dt.timedelta(days=max(0, within_days)),
        )
        .order_by(Instrument.expires_on, Instrument.id)
    ).all()
    found = [
        Deadline(i, i.file_id, reference, ((i.expires_on or today) - today).days)
        for i, reference in rows
    ]
    record(
        session,
        actor=actor,
        action="investigations.instrument.deadlines",
        object_type=service.OBJECT,
        details={"count": len(found), "within_days": within_days},
    )
    return found


def panel(session: Session, *, actor: Actor, file: InvestigationFile) -> dict[str, Any]:
    """The instruments section of the file page."""
    found = instruments_of(session, file)
    return {
        "visible": True,
        "title": _("Legal instruments"),
        "count": len(found),
        "instruments": found,
        "moves": {
            i.id: [s for s in InstrumentStatus if s in MOVES.get(i.status, ())] for i in found
        },
        "today": dt.date.today(),
        "kinds": choices(InstrumentKind),
        "may_update": may_add(actor, file),
        "may_follow_up": may_follow_up(actor, file),
    }


def _word(event: FileEvent) -> str:
    details = event.details or {}
    return _(
        "%(kind)s — %(status)s",
        kind=label(InstrumentKind, str(details.get("kind", ""))),
        status=label(InstrumentStatus, str(details.get("status", ""))),
    )


TIMELINE_KINDS = {
    "instrument": N_("Legal instrument requested"),
    "instrument_status": N_("Legal instrument's status changed"),
}
TIMELINE_DETAILS = {"instrument": _word, "instrument_status": _word}
