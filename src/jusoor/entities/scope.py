"""Who may reach which entities and links: the actions, the scope clauses, the owning agency,
and loading one entity the caller may read (not found otherwise, never forbidden)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from jusoor.agencies.models import Agency
from jusoor.cases.models import Case
from jusoor.core.errors import Invalid, NotFound
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor, in_scope, scope_clause
from jusoor.entities.models import Entity, Link
from jusoor.entities.vocabulary import Problem, problem_message

READ = "entities.read"
MANAGE = "entities.manage"


def visible(actor: Actor, action: str = READ) -> ColumnElement[bool]:
    """WHERE clause: entities `actor` may reach for `action`."""
    return scope_clause(actor, action, agency_col=Entity.agency_id, country_col=Entity.country)


def visible_link(actor: Actor) -> ColumnElement[bool]:
    """WHERE clause: links `actor` may read (their ends are checked apart)."""
    return scope_clause(actor, READ, agency_col=Link.agency_id, country_col=Link.country)


def owning_agency(session: Session, *, actor: Actor, agency_id: uuid.UUID | None) -> Agency:
    """The agency a new record belongs to: the one named, else the actor's; must be in scope."""
    actor.require(MANAGE)
    agency = (
        session.get(Agency, agency_id or actor.agency_id)
        if (agency_id or actor.agency_id)
        else None
    )
    if agency is None or not in_scope(actor, MANAGE, agency_id=agency.id, country=agency.country):
        raise Invalid("agency_id", _("No such agency."))
    return agency


def raise_first(problems: Sequence[Problem]) -> None:
    """Invalid naming the property of the first problem, if any."""
    if problems:
        raise Invalid(problems[0].prop, problem_message(problems[0]))


def readable(session: Session, actor: Actor, entity_id: uuid.UUID, field: str | None) -> Entity:
    """The entity if the actor may read it; else NotFound, or Invalid(field) for a body field."""
    actor.require(READ)
    entity = session.scalars(select(Entity).where(Entity.id == entity_id, visible(actor))).first()
    if entity is None:
        if field is None:
            raise NotFound(_("No such entity."))
        raise Invalid(field, _("No such entity."))
    return entity


def check_case(session: Session, case_id: uuid.UUID | None) -> None:
    """A record may name the case it came from; the case must exist (ids are not guessable)."""
    if case_id is not None and session.get(Case, case_id) is None:
        raise Invalid("case_id", _("No such case."))
