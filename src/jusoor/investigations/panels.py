"""The file page's sections, one per kind of object the file holds (defendants, victims, charges
and judgments, evidence, requests...). Each module that owns a kind registers its panel here from
`investigations/domain.py`: a function giving its template the values it needs, the template, and
its order on the page. The file page asks them in order, only for a reader of the file; a panel
that must not show to this reader returns `{"visible": False}` and its template draws nothing.

A panel whose values give `"title"` (translated) and `"count"` (how many objects it holds) is
folded by the file page into a `<details>` whose summary shows both, so the page stays short on a
phone; its template is then given `folded` and draws no frame or heading of its own
(`investigations/_panel.html`). A folded panel is open when it was registered `opened` (the
defendants and the charges: what the file is about), or when the page is drawn for it: its own
form failed (the error must be seen) or was just saved (the new line must be seen)."""

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
    opened: bool = False


@dataclass(frozen=True)
class DrawnPanel:
    """One panel as the file page draws it: its values, and whether its fold starts open."""

    name: str
    template: str
    values: dict[str, Any]
    opened: bool


_PANELS: dict[str, Panel] = {}


def register_panel(
    name: str, build: FilePanel, *, template: str, order: int, opened: bool = False
) -> None:
    """Add (or replace) the panel `name`, drawn by `template`; lower `order` comes first;
    `opened`: its fold starts open on every drawing of the page."""
    _PANELS[name] = Panel(name, build, template, order, opened)


def panels() -> list[Panel]:
    return sorted(_PANELS.values(), key=lambda p: (p.order, p.name))


def render_panels(
    session: Session, *, actor: Actor, file: InvestigationFile, focus: str | None = None
) -> list[DrawnPanel]:
    """Every panel, in page order; `focus` names the panel the page is drawn for (its form
    failed or was just saved), which starts open with those registered `opened`."""
    return [
        DrawnPanel(
            p.name,
            p.template,
            p.build(session, actor=actor, file=file),
            p.opened or p.name == focus,
        )
        for p in panels()
    ]
