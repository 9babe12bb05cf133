"""The workspace's "Awaiting formal identification" section: the screening domain's queue of
presumed and possible victims, read through a source registered at start-up
(`provide_identification`, wired in `jusoor.investigations.domain.register`). Without a source the
section is not drawn at all, so nobody is shown an empty promise."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session

from jusoor.core.permissions import Actor


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
