"""Links between entities: the vocabulary decides which kinds may be linked (`schemata.yaml`);
a link is seen only by those who may see it and both its ends."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from jusoor.agencies.models import Agency
from jusoor.audit import service as audit
from jusoor.core.db import utcnow
from jusoor.core.errors import Invalid
from jusoor.core.i18n import gettext as _
from jusoor.core.ids import uuid7
from jusoor.core.permissions import Actor
from jusoor.entities.models import Entity, Link
from jusoor.entities.schemas import LinkCreate
from jusoor.entities.schemata import Problem, clean, clean_value, link_rule, problem_message
from jusoor.entities.scope import (
    MANAGE,
    READ,
    check_case,
    owning_agency,
    raise_first,
    readable,
    visible,
    visible_link,
)


def visible_links(
    session: Session, *, actor: Actor, entity_ids: Sequence[uuid.UUID] | None = None
) -> list[Link]:
    """Links the caller may see whose two ends they may also see; only those touching
    `entity_ids` when given. Not audited: callers audit what they show."""
    actor.require(READ)
    source, target = aliased(Entity), aliased(Entity)
    stmt = (
        select(Link)
        .join(source, source.id == Link.source_entity_id)
        .join(target, target.id == Link.target_entity_id)
        .where(
            visible_link(actor),
            visible(actor, entity=source),
            visible(actor, entity=target),
        )
    )
    if entity_ids is not None:
        ids = list(entity_ids)
        stmt = stmt.where(or_(Link.source_entity_id.in_(ids), Link.target_entity_id.in_(ids)))
    return list(session.scalars(stmt.order_by(Link.created_at, Link.id)))


def _clean_date(field: str, raw: str | None) -> str | None:
    if raw is None:
        return None
    value = clean_value("date", raw, None)
    if isinstance(value, Problem):
        raise Invalid(field, problem_message(Problem(field, value.kind)))
    return value


def add_link(
    session: Session,
    *,
    actor: Actor,
    agency: Agency,
    link_in: LinkCreate,
    source: Entity,
    target: Entity,
) -> Link:
    """Store a link between two loaded entities after checking the vocabulary allows it."""
    rule = link_rule(link_in.type)
    if not rule.allows(source.schema, target.schema):
        raise Invalid(
            "type",
            _(
                "A %(type)s link cannot go from a %(source)s to a %(target)s.",
                type=rule.type,
                source=source.schema,
                target=target.schema,
            ),
        )
    cleaned = clean(rule.properties, link_in.properties, agency.country)
    raise_first(cleaned.problems)
    now = utcnow()
    link = Link(
        id=uuid7(),
        type=rule.type,
        source_entity_id=source.id,
        target_entity_id=target.id,
        start_date=_clean_date("start_date", link_in.start_date),
        end_date=_clean_date("end_date", link_in.end_date),
        source_kind=link_in.source_kind,
        source_ref=link_in.source_ref,
        case_id=link_in.case_id,
        agency_id=agency.id,
        country=agency.country,
        created_by=actor.user_id,
        created_at=now,
        updated_at=now,
    )
    link.properties = cleaned.properties
    session.add(link)
    return link


def create_link(session: Session, *, actor: Actor, link_in: LinkCreate) -> Link:
    """Link two entities the caller may see; the link belongs to the caller's agency (or, for
    the node's operator, to the source entity's)."""
    actor.require(MANAGE)
    source = readable(session, actor, link_in.source_entity_id, None)  # the subject: 404
    target = readable(session, actor, link_in.target_entity_id, "target_entity_id")
    agency = owning_agency(session, actor=actor, agency_id=actor.agency_id or source.agency_id)
    check_case(session, actor, link_in.case_id, link_in.source_kind)
    link = add_link(
        session, actor=actor, agency=agency, link_in=link_in, source=source, target=target
    )
    audit.record(
        session,
        actor=actor,
        action="entity.link",
        object_type="entity_link",
        object_id=link.id,
        details={"type": link.type, "source": str(source.id), "target": str(target.id)},
    )
    return link
