"""The file page's sections, one per kind of object the file holds (defendants, victims, charges
and judgments, evidence, requests...). Each module that owns a kind registers its panel here from
`investigations/domain.py`: a function giving its template the values it needs, the template, and
its order on the page. The file page asks them in order, only for a reader of the file; a panel
that must not show to this reader returns `{"visible": False}` and its template draws nothing.

A panel whose values give `"title"` (translated) and `"count"` (how many objects it holds) is
folded by the file page into a `<details>` whose summary shows both, so the page stays short on a
phone; its own `<section class="card">` frame and first `<h2>` are then not drawn twice."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy.orm import Session

from jusoor.core.permissions import Actor
from jusoor.investigations.models import InvestigationFile


class FilePanel(Protocol):
    def __call__(
        self, session: Session, *, actor: Actor, file: InvestigationFile
    ) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Panel:
    name: str
    build: FilePanel
    template: str
    order: int


_PANELS: dict[str, Panel] = {}


def register_panel(name: str, build: FilePanel, *, template: str, order: int) -> None:
    """Add (or replace) the panel `name`, drawn by `template`; lower `order` comes first."""
    _PANELS[name] = Panel(name, build, template, order)


def panels() -> list[Panel]:
    return sorted(_PANELS.values(), key=lambda p: (p.order, p.name))


def render_panels(
    session: Session, *, actor: Actor, file: InvestigationFile
) -> list[tuple[str, dict[str, Any]]]:
    """(template, values) of every panel, in page order."""
    return [(p.template, p.build(session, actor=actor, file=file)) for p in panels()]
