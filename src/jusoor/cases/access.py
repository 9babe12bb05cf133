"""Need-to-know: who may see which case, and which of its fields (DESIGN.md, "Need-to-know").

A user sees a whole case file when the `cases.read` permission reaches it (the owning agency's case
workers). Anyone else sees a case only when a *grant source* shares it with them, and then only the
fields that grant names. National coordinators and administrators get no `cases.read`: they see
aggregates, not files.

Extension point: another domain (referrals, exchange) is registered with
`register_grant_source(GrantSource(...))` by `jusoor.domains.register_all` (never at import time),
with two functions:

- `fields(session, actor, case_id) -> frozenset[str] | None` – the fields of `SHAREABLE_FIELDS`
  that its grants share with `actor` for this case (None or empty: nothing);
- `case_ids(actor) -> Select | None` – a `SELECT case_id` of every case it shares with `actor`
  (used to build list queries), or None when it shares none;
- optionally `case_ids_sharing(actor, fields) -> Select | None` – the same, narrowed to the
  cases whose grants share every one of `fields` (used by records derived from a case, such as
  the entities mirrored from its profile). A source without it shares no such record.

Sources are consulted in registration order and their fields are united. They must be pure
reads: the caller audits the access.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, false, or_
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import False_

from jusoor.cases.fields import names as field_names
from jusoor.cases.models import Case
from jusoor.core.errors import Forbidden, NotFound
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor, in_scope, scope_clause

# From the field catalogue (`fields.yaml`): the fields a grant may share, one by one; those that
# come with any grant (`reference`, `stage`); and the case file as its owners see it, every field
# with notes, tasks, consents and the timeline.
SHAREABLE_FIELDS: frozenset[str] = frozenset(field_names(shared="grant"))
ALWAYS_SHARED: frozenset[str] = frozenset(field_names(shared="always"))
ALL_FIELDS: frozenset[str] = frozenset(field_names())

FieldsFn = Callable[[Session, Actor, uuid.UUID], frozenset[str] | None]
CaseIdsFn = Callable[[Actor], Select[Any] | None]
CaseIdsSharingFn = Callable[[Actor, frozenset[str]], Select[Any] | None]


@dataclass(frozen=True)
class GrantSource:
    name: str
    fields: FieldsFn
    case_ids: CaseIdsFn
    case_ids_sharing: CaseIdsSharingFn | None = None


_SOURCES: dict[str, GrantSource] = {}


def register_grant_source(source: GrantSource) -> None:
    """Let `source` share cases with users; registering the same name again replaces it."""
    _SOURCES[source.name] = source


def grant_sources() -> tuple[GrantSource, ...]:
    return tuple(_SOURCES.values())


def owns_case(actor: Actor, case: Case, action: str = "cases.read") -> bool:
    """True when `action` reaches `case` through the actor's own scope (not through a grant)."""
    return in_scope(
        actor, action, agency_id=case.agency_id, country=case.country, owner_id=case.owner_id
    )


def can_read_case(session: Session, actor: Actor, case: Case) -> frozenset[str]:
    """The fields of `case` the actor may read: `ALL_FIELDS`, a granted subset, or empty."""
    if owns_case(actor, case):
        return ALL_FIELDS
    shared: set[str] = set()
    for source in _SOURCES.values():
        shared |= source.fields(session, actor, case.id) or frozenset()
    shared &= SHAREABLE_FIELDS
    return frozenset(shared | ALWAYS_SHARED) if shared else frozenset()


def _owned_clause(actor: Actor) -> ColumnElement[bool]:
    """The cases the actor reaches through their own `cases.read` scope (not through a grant)."""
    return scope_clause(
        actor,
        "cases.read",
        agency_col=Case.agency_id,
        country_col=Case.country,
        owner_col=Case.owner_id,
    )


def visible_case_ids_clause(actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause on `Case` for every case the actor may see, owned or shared."""
    clauses: list[ColumnElement[bool]] = [_owned_clause(actor)]
    for source in _SOURCES.values():
        ids = source.case_ids(actor)
        if ids is not None:
            clauses.append(Case.id.in_(ids))
    return _any(clauses)


def _any(clauses: list[ColumnElement[bool]]) -> ColumnElement[bool]:
    """OR of the clauses, and a plain `false()` when none can hold: callers (the entities' scope)
    then leave the branch out instead of sending PostgreSQL `IN (SELECT ... WHERE false)`."""
    kept = [c for c in clauses if not isinstance(c, False_)]
    return or_(*kept) if kept else false()


def cases_sharing_clause(actor: Actor, fields: frozenset[str]) -> ColumnElement[bool]:
    """A WHERE clause on `Case` for every case of which the actor may read all of `fields`: the
    cases they own, and those whose grants share each of `fields` (field-level need-to-know,
    OWASP ASVS 4.0.3 V4.2.1). A grant source that cannot say so per field shares none."""
    clauses: list[ColumnElement[bool]] = [_owned_clause(actor)]
    wanted = frozenset(fields) - ALWAYS_SHARED
    for source in _SOURCES.values():
        if source.case_ids_sharing is None or not wanted <= SHAREABLE_FIELDS:
            continue  # a field no grant may share (notes…) stays with the owners
        ids = source.case_ids_sharing(actor, wanted) if wanted else source.case_ids(actor)
        if ids is not None:
            clauses.append(Case.id.in_(ids))
    return _any(clauses)


def case_for(session: Session, actor: Actor, case_id: uuid.UUID, action: str) -> Case:
    """Load a case the actor may act on with `action` through their own scope.

    A case the actor cannot see at all is NotFound (its existence is not revealed); a case shared
    with them by a grant, on which `action` is not theirs, is Forbidden.
    """
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(_("No such case."))
    if actor.can(action) and owns_case(actor, case, action):
        return case
    if can_read_case(session, actor, case):
        raise Forbidden(_("You are not allowed to do this."))
    raise NotFound(_("No such case."))
