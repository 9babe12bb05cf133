"""The file's timeline in words: who did what, when, from the file's events (never a code)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.agencies.models import User
from jusoor.core.i18n import N_
from jusoor.core.i18n import gettext as _
from jusoor.investigations.labels import stage_label
from jusoor.investigations.models import FileEvent, InvestigationFile

# The label of each event kind; modules that add kinds add them here with their msgid.
KINDS: dict[str, str] = {
    "opened": N_("File opened"),
    "edited": N_("File details edited"),
    "stage": N_("Stage changed"),
}


# How to word an event's details (codes and references only) for a kind; none: no detail.
DETAILS: dict[str, Callable[[FileEvent], str]] = {}


def register_kinds(
    kinds: Mapping[str, str], details: Mapping[str, Callable[[FileEvent], str]] | None = None
) -> None:
    """Word the event kinds another module of the file writes (kind -> label msgid), and their
    details (kind -> a function of the event giving a translated line)."""
    KINDS.update(kinds)
    DETAILS.update(details or {})


@dataclass(frozen=True)
class Line:
    at: dt.datetime
    what: str
    by: str
    detail: str
    reason: str | None


def _detail(event: FileEvent) -> str:
    if event.kind == "stage" and event.from_stage and event.to_stage:
        return _(
            "%(before)s → %(after)s",
            before=stage_label(event.from_stage),
            after=stage_label(event.to_stage),
        )
    word = DETAILS.get(event.kind)
    return word(event) if word else ""


def timeline(session: Session, file: InvestigationFile) -> list[Line]:
    """The file's events, newest first, each worded and signed with the person's name."""
    events = session.scalars(
        select(FileEvent)
        .where(FileEvent.file_id == file.id)
        .order_by(FileEvent.at.desc(), FileEvent.id.desc())
    ).all()
    ids = {e.by_id for e in events if e.by_id}
    names = (
        {u.id: u.display_name for u in session.scalars(select(User).where(User.id.in_(ids)))}
        if ids
        else {}
    )
    return [worded(e, names) for e in events]


def worded(event: FileEvent, names: Mapping[uuid.UUID, str]) -> Line:
    """One event in words, signed with its author's name from `names` (user id -> name)."""
    return Line(
        at=event.at,
        what=_(KINDS[event.kind]) if event.kind in KINDS else event.kind,
        by=names.get(event.by_id, "—") if event.by_id else "—",
        detail=_detail(event),
        reason=event.reason,
    )
