"""Actions offered on a screening's result page by the domains above screening.

Screening sits below investigations in the layer contract (tests/architecture/test_layers.py), so
it cannot name the criminal file. A higher domain registers a source here from its `domain.py`
`register()`; the result page draws every action the sources offer the reader, and none when no
source offers one (a role that may not act sees no button it cannot use)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session

from jusoor.core.permissions import Actor
from jusoor.screening.models import Screening


@dataclass(frozen=True)
class ResultAction:
    """A link drawn on the result page: its heading, a line saying what it does, and where."""

    title: str
    hint: str
    label: str  # the button's words
    href: str
    # What the domain already holds from this screening, as (words, link), e.g. the files opened
    # from it that the reader may open.
    related: tuple[tuple[str, str], ...] = ()
    related_title: str = ""


class ResultActionSource(Protocol):
    """The action a domain offers `actor` on the completed `screening`, or None."""

    def __call__(
        self, session: Session, *, actor: Actor, screening: Screening
    ) -> ResultAction | None: ...


_SOURCES: dict[str, ResultActionSource] = {}


def register_result_action(name: str, source: ResultActionSource | None) -> None:
    """Register (or, with None, remove) the source of the action named `name`."""
    if source is None:
        _SOURCES.pop(name, None)
    else:
        _SOURCES[name] = source


def result_actions(session: Session, *, actor: Actor, screening: Screening) -> list[ResultAction]:
    """The actions offered to `actor` on `screening`, in the order the domains registered them."""
    offered = (source(session, actor=actor, screening=screening) for source in _SOURCES.values())
    return [action for action in offered if action is not None]
