"""Who may reach which entities and links: the actions, the scope clauses, the owning agency,
and loading one entity the caller may read (not found otherwise, never forbidden).

One rule, in SQL, for every path (lists, pages, search, graph, exports, review):

- A record *tied to a case* — mirrored from a case profile (`source_kind` case, see
  `case_persons`), or naming the case it came from (`case_id`) — is case data: it is seen only by
  whom may read that case (`jusoor.cases.access`: the owning agency's `cases.read`, or a grant),
  and only when the case's fields it shows are theirs to read (`CASE_FIELDS`). The entities scope
  (`entities.read`) gives nothing of it: a prosecutor of the country does not read a victim's file
  (need-to-know, DESIGN.md; OWASP ASVS 4.0.3 V1.4.4 one access control mechanism, V4.1.3 least
  privilege, V4.2.1 no direct object reference past it; GDPR art. 9).
- Any other record (suspects recorded by investigators, reports, imports) keeps the entities
  scope of `permissions.yaml`.
- A link is seen when it is seen by the same rule and both its ends are (`links`).

Who sees a case record has read that case: `case_reads` audits it as such.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, false, not_, or_, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import False_

from jusoor.agencies.models import Agency
from jusoor.cases.access import can_read_case, cases_sharing_clause, visible_case_ids_clause
from jusoor.cases.models import Case
from jusoor.core.errors import Invalid, NotFound
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor, in_scope, scope_clause
from jusoor.entities.models import Entity, Link, SourceKind
from jusoor.entities.schemata import Problem, problem_message

READ = "entities.read"
MANAGE = "entities.manage"

# The case fields (`jusoor.cases.access.SHAREABLE_FIELDS`) a record mirrored from a case profile
# shows (`case_persons.read_profile`): a grant must share all of them. A Person holds the name,
# aliases, birth date and nationality; Phone and Email come from `contact`; IdentityDocument
# from `identity_documents`. Any other schema tied to a case is shown to its owners only.
CASE_FIELDS: dict[str, frozenset[str]] = {
    "Person": frozenset({"name", "aliases", "date_of_birth", "citizenship"}),
    "Phone": frozenset({"contact"}),
    "Email": frozenset({"contact"}),
    "IdentityDocument": frozenset({"identity_documents"}),
}
OWNERS_ONLY = frozenset({"notes"})  # a field no grant shares: the owning agency alone


def tied_to_case(record: Any = Entity) -> ColumnElement[bool]:
    """WHERE clause: the record (Entity, Link or an alias) is case data (see the module)."""
    tied: ColumnElement[bool] = or_(
        record.case_id.is_not(None), record.source_kind == SourceKind.case
    )
    return tied


def _case_readable(actor: Actor, entity: Any) -> ColumnElement[bool]:
    """The entity's case is one whose fields it shows the actor may read. A branch the actor can
    never meet (no case of theirs shares those fields) is left out rather than sent as
    `IN (SELECT ... WHERE false)`, which PostgreSQL cannot see through: an investigator with no
    case of their own then lists their agency's entities from its index, not by scanning every
    entity of the nation (issue 18)."""
    branches = []
    for name, fields in [*CASE_FIELDS.items(), (None, OWNERS_ONLY)]:
        sharing = cases_sharing_clause(actor, fields)
        if isinstance(sharing, False_):
            continue
        schema_rule = (
            entity.schema == name if name is not None else entity.schema.not_in(list(CASE_FIELDS))
        )
        branches.append(and_(schema_rule, entity.case_id.in_(select(Case.id).where(sharing))))
    return or_(false(), *branches)


def visible(actor: Actor, action: str = READ, entity: Any = Entity) -> ColumnElement[bool]:
    """WHERE clause: entities `actor` may reach for `action` (`entity` may be an alias).

    Case data is read only (writes to it go through the case, `case_persons.index_case`); a
    case record without a case cannot be checked, so nobody but the node itself reaches it."""
    if actor.via == "system":
        return true()
    own_rule = scope_clause(actor, action, agency_col=entity.agency_id, country_col=entity.country)
    from_case = (
        and_(entity.case_id.is_not(None), _case_readable(actor, entity))
        if action == READ
        else false()
    )
    return or_(and_(not_(tied_to_case(entity)), own_rule), and_(tied_to_case(entity), from_case))


def visible_link(actor: Actor) -> ColumnElement[bool]:
    """WHERE clause: links `actor` may read by the same rule (their ends are checked apart)."""
    if actor.via == "system":
        return true()
    own_rule = scope_clause(actor, READ, agency_col=Link.agency_id, country_col=Link.country)
    case_ids = select(Case.id).where(visible_case_ids_clause(actor))
    from_case = and_(Link.case_id.is_not(None), Link.case_id.in_(case_ids))
    return or_(and_(not_(tied_to_case(Link)), own_rule), and_(tied_to_case(Link), from_case))


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


def check_case(
    session: Session, actor: Actor, case_id: uuid.UUID | None, source_kind: SourceKind
) -> None:
    """A record may name the case it came from, if the recorder may read that case: naming it
    makes the record case data, seen only by the case's readers. A case the recorder may not
    read is "no such case", like one that does not exist (its existence is not revealed).
    A record from a case must name it, or nobody could be checked against it."""
    if case_id is None:
        if source_kind is SourceKind.case:
            raise Invalid("case_id", _("A record from a case must name the case."))
        return
    case = session.get(Case, case_id)
    if case is None or not (actor.via == "system" or can_read_case(session, actor, case)):
        raise Invalid("case_id", _("No such case."))
