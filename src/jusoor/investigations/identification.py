"""The workspace's "Awaiting formal identification" section: the screening domain's queue of
presumed and possible victims, read through a source registered at start-up
(`provide_identification`, wired in `jusoor.investigations.domain.register`). Without a source the
section is not drawn at all, so nobody is shown an empty promise."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session

from jusoor.core.permissions import Action, Actor
from jusoor.screening import labels, queue


@dataclass(frozen=True)
class AwaitingRow:
    """One presumed or possible victim awaiting formal identification, in words."""

    label: str  # the screening's short reference or date
    detail: str  # profile and outcome, in words
    waiting_days: int
    days_left: int  # negative: overdue by that many days
    href: str  # the decision form


@dataclass(frozen=True)
class AwaitingIdentification:
    rows: Sequence[AwaitingRow]
    total: int
    overdue: int
    href: str  # the whole queue
    more: bool = False  # more than `total` are waiting (the queue counts up to a cap)


class IdentificationSource(Protocol):
    """The identification queue of the actor's country, or None when the actor may not decide."""

    def __call__(self, session: Session, *, actor: Actor) -> AwaitingIdentification | None: ...


_IDENTIFICATION: list[IdentificationSource] = []


def provide_identification(source: IdentificationSource | None) -> None:
    """Register (or, with None, remove) where the workspace reads the identification queue."""
    _IDENTIFICATION.clear()
    if source is not None:
        _IDENTIFICATION.append(source)


def awaiting_identification(session: Session, *, actor: Actor) -> AwaitingIdentification | None:
    """The queue as the registered source gives it to `actor`; None without a source."""
    source = _IDENTIFICATION[0] if _IDENTIFICATION else None
    return source(session, actor=actor) if source else None


def screening_queue(session: Session, *, actor: Actor) -> AwaitingIdentification | None:
    """The screening domain's queue (`screening.queue`), its five oldest rows, in words; None for
    whoever does not decide identifications (the section is then not drawn)."""
    if not actor.can(Action.identification_decide):
        return None
    page = queue.identification_queue(session, actor=actor, limit=5)
    rows = [
        AwaitingRow(
            label=row.reference,
            detail=" · ".join(
                (
                    labels.profile_label(row.profile),
                    labels.outcome_label(row.outcome),
                    labels.age_band_label(row.age_band),
                )
            ),
            waiting_days=row.waiting_days,
            days_left=row.days_left,
            href=row.decision_url,
        )
        for row in page.rows
    ]
    return AwaitingIdentification(rows=rows, total=page.total, overdue=page.overdue,
                                  href="/identification", more=page.more)  # fmt: skip
