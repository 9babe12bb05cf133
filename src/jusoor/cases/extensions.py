"""Extension points of the case file for the domains built on cases (DESIGN.md "Layers").

cases sits below referrals, entities and exchange, so it never imports them. They register here,
explicitly, from one place at the top (`jusoor.domains.register_all`, called by the app factory,
the CLI and the test fixtures), never by an import side effect:

- a *case panel* `(session, actor=, case=) -> dict` adds what its part of the case page needs
  (referrals, cases abroad, possible matches) and names the template that draws it, and where
  (`PanelPlace`); panels are asked in registration order, only for a reader who sees the whole
  file, so the case page includes no other domain's template by name;
- *case events* are the timeline codes another domain writes (`referral`, `referral_abroad`),
  with their labels; cases stores and shows them without knowing who writes them;
- a *profile fragment* is a template drawn inside the profile form (`#case-matches`), fed by the
  registering domain's own route (entities: the likely matches of the person as typed), so the
  profile page includes no other domain's template by name either;
- an *on-saved hook* `(session, actor=, case=) -> None` runs in the same transaction each time
  a case is opened or its profile edited (entities index the person, so other cases find it);
- a *case search* `(text, region) -> Select | None` gives a `SELECT case_id` of the cases whose
  person bears `text` as a whole name or alias (entities: through the blind index), so the case
  list finds a victim by name without decrypting anything; the list adds the reader's scope.

Saving a case before the hooks are registered raises instead of skipping them: a case saved
without its hooks would silently miss the person index, so the omission must be loud.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from sqlalchemy import Select
from sqlalchemy.orm import Session

from jusoor.cases.models import Case
from jusoor.core.permissions import Actor


class CasePanel(Protocol):
    def __call__(self, session: Session, *, actor: Actor, case: Case) -> dict[str, Any]: ...


class CaseSearch(Protocol):
    def __call__(self, text: str, region: str | None) -> Select[Any] | None: ...


class CaseSavedHook(Protocol):
    def __call__(self, session: Session, *, actor: Actor, case: Case) -> object: ...


# Where on the case page a panel is drawn: under the profile, or under the consents.
PanelPlace = Literal["after_profile", "after_consents"]


@dataclass(frozen=True)
class PanelTemplate:
    template: str  # the registering domain's own template, included with the page's context
    place: PanelPlace


_PANELS: dict[str, CasePanel] = {}
_PANEL_TEMPLATES: dict[str, PanelTemplate] = {}
_PROFILE_FRAGMENTS: dict[str, str] = {}
_SAVED_HOOKS: dict[str, CaseSavedHook] = {}
_SEARCHES: dict[str, CaseSearch] = {}
_EVENTS: dict[str, dict[str, str]] = {}
_registered = False


def register_case_panel(
    name: str, panel: CasePanel, *, template: str, place: PanelPlace = "after_consents"
) -> None:
    """Add `panel` to the case page, drawn by `template` at `place`; the same name replaces it."""
    _PANELS[name] = panel
    _PANEL_TEMPLATES[name] = PanelTemplate(template, place)


def register_case_events(domain: str, codes: Mapping[str, str]) -> None:
    """Let `domain` write the timeline events `codes` (code -> label msgid); again replaces them."""
    taken = {code for other, own in _EVENTS.items() if other != domain for code in own}
    clash = sorted(set(codes) & taken)
    if clash:
        raise ValueError(f"case events {clash} are already registered by another domain")
    _EVENTS[domain] = dict(codes)


def case_events() -> dict[str, str]:
    """Every registered event code of the other domains -> its label msgid."""
    return {code: label for own in _EVENTS.values() for code, label in own.items()}


def panel_templates() -> list[PanelTemplate]:
    """The registered panels' templates, in registration order (the case page includes them)."""
    return list(_PANEL_TEMPLATES.values())


def register_profile_fragment(name: str, *, template: str) -> None:
    """Draw `template` inside the profile form; the same name replaces it. The template gets the
    page's context and must draw nothing when its own data is absent (the plain edit form)."""
    _PROFILE_FRAGMENTS[name] = template


def profile_fragments() -> list[str]:
    """The registered profile fragments' templates, in registration order."""
    return list(_PROFILE_FRAGMENTS.values())


def register_on_case_saved(name: str, hook: CaseSavedHook) -> None:
    """Run `hook` whenever a case is saved; registering the same name again replaces it."""
    _SAVED_HOOKS[name] = hook


def register_case_search(name: str, search: CaseSearch) -> None:
    """Let the case list find cases by name or alias through `search`; the name replaces it."""
    _SEARCHES[name] = search


def case_ids_named(text: str, region: str | None) -> Select[Any] | None:
    """The union of every registered search's cases for `text` (None: none can answer)."""
    found = [s for s in (search(text, region) for search in _SEARCHES.values()) if s is not None]
    if not found:
        return None
    return found[0] if len(found) == 1 else found[0].union(*found[1:])  # type: ignore[return-value]


def mark_registered() -> None:
    """Called once the top has registered every domain: saving a case is allowed from then on."""
    global _registered
    _registered = True


def panels(session: Session, *, actor: Actor, case: Case) -> dict[str, Any]:
    """What every registered panel adds to the case page."""
    values: dict[str, Any] = {}
    for panel in _PANELS.values():
        values.update(panel(session, actor=actor, case=case))
    return values


def case_saved(session: Session, *, actor: Actor, case: Case) -> None:
    """Run every on-saved hook, in registration order."""
    if not _registered:
        raise RuntimeError(
            "Case extensions are not registered: call jusoor.domains.register_all()."
        )
    for hook in _SAVED_HOOKS.values():
        hook(session, actor=actor, case=case)
