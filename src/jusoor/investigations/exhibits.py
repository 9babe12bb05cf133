"""Exhibits and their chain of custody: each piece of evidence gets the next label of its file
(EX-001, EX-002…) and, from its seizure on, an unbroken line of who held it, from when to when
and why.

The chain is only ever appended to: a transfer closes the open link at the moment the new holder
takes the exhibit and opens the next one; no link is edited or deleted. A court weighs evidence by
whether every hand it passed through is accounted for (the continuity ISO/IEC 27037 asks of
digital evidence, and UNODC's crime-scene guidance of physical evidence); a chain that could be
rewritten afterwards would prove nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jusoor.agencies.models import User
from jusoor.audit.service import record
from jusoor.core.db import utcnow
from jusoor.core.errors import Invalid, NotFound
from jusoor.core.i18n import N_, format_date, format_datetime
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.core.typed_dates import TypedDate
from jusoor.investigations import service
from jusoor.investigations.assets import file_for_follow_up, may_add, may_follow_up
from jusoor.investigations.labels import choices, label
from jusoor.investigations.models import Custody, Exhibit, FileEvent, InvestigationFile
from jusoor.investigations.vocabulary import ExhibitKind


class CustodyIn(BaseModel):
    """Who takes the exhibit, from when (with its UTC offset; none: UTC) and why."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    holder: str = Field(min_length=2, max_length=200)
    since: dt.datetime
    purpose: str = Field(min_length=2, max_length=1000)


class ExhibitIn(CustodyIn):
    kind: ExhibitKind
    description: str = Field(min_length=2, max_length=2000)
    seized_on: TypedDate
    seized_where: str = Field(default="", max_length=500)


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _not_future(moment: dt.datetime) -> None:
    if moment > utcnow():
        raise Invalid("since", _("This date and time is in the future."))


def _next_label(session: Session, file: InvestigationFile) -> str:
    labels = session.scalars(select(Exhibit.label).where(Exhibit.file_id == file.id)).all()
    numbers = [int(x[3:]) for x in labels if x.startswith("EX-") and x[3:].isdigit()]
    return f"EX-{max(numbers, default=0) + 1:03d}"


def add_exhibit(
    session: Session, *, actor: Actor, file_id: uuid.UUID, exhibit_in: ExhibitIn
) -> Exhibit:
    """Record a seized exhibit under the file's next label, with the first link of its chain."""
    file = service.file_for_update(session, actor=actor, file_id=file_id)
    if exhibit_in.seized_on > dt.date.today():
        raise Invalid("seized_on", _("This date is in the future."))
    if exhibit_in.seized_on < file.reported_on:
        raise Invalid(
            "seized_on",
            _(
                "This date is before the file was reported (%(date)s).",
                date=format_date(file.reported_on),
            ),
        )
    since = _aware(exhibit_in.since)
    _not_future(since)
    # The date as the person wrote it (in their own time zone), against the day of seizure.
    if since.date() < exhibit_in.seized_on:
        raise Invalid("since", _("Custody cannot start before the exhibit was seized."))
    for _attempt in range(5):  # two exhibits added at once take the same label: take the next
        exhibit = Exhibit(
            file_id=file.id,
            label=_next_label(session, file),
            kind=exhibit_in.kind,
            description=exhibit_in.description,
            seized_on=exhibit_in.seized_on,
            seized_where=exhibit_in.seized_where,
            recorded_by=actor.user_id,
        )
        try:
            with session.begin_nested():
                session.add(exhibit)
                session.flush()
            break
        except IntegrityError:
            continue
    else:
        raise Invalid("label", _("Could not number the exhibit; try again."))
    session.add(
        Custody(
            exhibit_id=exhibit.id,
            holder=exhibit_in.holder,
            since=since.astimezone(dt.UTC),
            purpose=exhibit_in.purpose,
            recorded_by=actor.user_id,
        )
    )
    details: dict[str, object] = {"label": exhibit.label, "kind": exhibit.kind.value}
    service.add_event(session, file, actor=actor, kind="exhibit", details=details)
    record(
        session,
        actor=actor,
        action="investigations.exhibit.add",
        object_type=service.OBJECT,
        object_id=file.id,
        details={"exhibit": str(exhibit.id), "label": exhibit.label},
    )
    return exhibit


def chain(session: Session, exhibit: Exhibit) -> Sequence[Custody]:
    """The exhibit's chain of custody, from the seizure to the present holder."""
    return session.scalars(
        select(Custody)
        .where(Custody.exhibit_id == exhibit.id)
        .order_by(Custody.since, Custody.recorded_at, Custody.id)
    ).all()


def transfer(
    session: Session,
    *,
    actor: Actor,
    file_id: uuid.UUID,
    exhibit_id: uuid.UUID,
    custody_in: CustodyIn,
) -> Custody:
    """Hand the exhibit to a new holder: the open link closes when the new one starts (also in
    a final or closed file: exhibits are returned or destroyed after the trial)."""
    file = file_for_follow_up(session, actor=actor, file_id=file_id)
    # Locked: two hand-overs at once would both close the same link and leave two holders.
    exhibit = session.get(Exhibit, exhibit_id, with_for_update=True)
    if exhibit is None or exhibit.file_id != file.id:
        raise NotFound(_("No such exhibit in this file."))
    since = _aware(custody_in.since).astimezone(dt.UTC)
    _not_future(since)
    links = chain(session, exhibit)
    current = next((c for c in reversed(links) if c.until is None), None)
    if current is not None and since < _aware(current.since):
        raise Invalid(
            "since",
            _("The exhibit was handed over before its present holder received it."),
        )
    if current is not None:
        current.until = since
    link = Custody(
        exhibit_id=exhibit.id,
        holder=custody_in.holder,
        since=since,
        purpose=custody_in.purpose,
        recorded_by=actor.user_id,
    )
    session.add(link)
    session.flush()
    details = {"label": exhibit.label, "links": len(links) + 1}
    service.add_event(session, file, actor=actor, kind="custody", details=details)
    record(
        session,
        actor=actor,
        action="investigations.exhibit.transfer",
        object_type=service.OBJECT,
        object_id=file.id,
        details={"exhibit": str(exhibit.id), "custody": str(link.id)},
    )
    return link


@dataclass(frozen=True)
class ExhibitWithChain:
    exhibit: Exhibit
    chain: Sequence[Custody]

    @property
    def holder(self) -> str:
        return self.chain[-1].holder if self.chain else "—"


def exhibits_of(session: Session, file: InvestigationFile) -> list[ExhibitWithChain]:
    """The exhibits of a loaded (and audited) file, by label, each with its chain."""
    found = session.scalars(
        select(Exhibit).where(Exhibit.file_id == file.id).order_by(Exhibit.label)
    ).all()
    return [ExhibitWithChain(e, chain(session, e)) for e in found]


def local_time(session: Session, actor: Actor) -> Callable[[dt.datetime], str]:
    """Moments written in the reader's own time zone: the one custody times are typed in."""
    user = session.get(User, actor.user_id) if actor.user_id else None
    zone = user.timezone if user else "UTC"
    return lambda moment: format_datetime(moment, zone)


def panel(session: Session, *, actor: Actor, file: InvestigationFile) -> dict[str, Any]:
    """The exhibits section of the file page."""
    found = exhibits_of(session, file)
    return {
        "moment": local_time(session, actor),
        "visible": True,
        "title": _("Exhibits and chain of custody"),
        "count": len(found),
        "exhibits": found,
        "kinds": choices(ExhibitKind),
        "may_update": may_add(actor, file),
        "may_follow_up": may_follow_up(actor, file),
    }


def _word_exhibit(event: FileEvent) -> str:
    details = event.details or {}
    return _(
        "%(label)s (%(kind)s)",
        label=str(details.get("label", "")),
        kind=label(ExhibitKind, str(details.get("kind", ""))),
    )


def _word_custody(event: FileEvent) -> str:
    return str((event.details or {}).get("label", ""))


TIMELINE_KINDS = {
    "exhibit": N_("Exhibit seized"),
    "custody": N_("Exhibit handed to a new holder"),
}
TIMELINE_DETAILS = {"exhibit": _word_exhibit, "custody": _word_custody}
