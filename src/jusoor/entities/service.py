"""Investigation entities and links: create, read, search, find match candidates.

Every function takes the session and the acting user, checks `entities.read` / `entities.manage`
and the record scope (agency for investigators, country for prosecutors), writes the audit trail
in the caller's transaction and never commits. A record outside the caller's scope is reported
as not found, never as forbidden, so that its existence is not revealed.

Public functions (other domains and pages call these):
    create_entity(session, *, actor, entity_in) -> Entity
    get_entity(session, *, actor, entity_id) -> Entity
    list_entities(session, *, actor, schema=None, text=None, limit=50, offset=0) -> list[Entity]
    entity_page(session, *, actor, schema=None, text=None, after=None, limit=50) -> KeysetPage
    entity_detail(session, *, actor, entity_id) -> Detail      (the entity, its links, neighbours)
    create_link(session, *, actor, link_in) -> Link
    visible_links(session, *, actor, entity_ids=None) -> list[Link]  (both ends visible too)
    candidates(session, *, actor, schema, properties, ...) -> list[Entity]
    reindex(session, *, actor) -> int                           (after JUSOOR_SECRET_KEY changes)
    visible(actor) -> WHERE clause of the entities in the caller's scope
Bulk writers (`tabular`, `ftm_import`, `synth.networks`) use `add_entity` / `add_link`, which
check and clean but leave the audit to the caller's one event per batch. Links live in `links`,
scope rules in `scope`; both are re-exported here.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, case, delete, func, or_, select
from sqlalchemy.orm import Session, aliased

from jusoor.agencies.models import Agency
from jusoor.audit import service as audit
from jusoor.core import keyset
from jusoor.core.db import utcnow
from jusoor.core.errors import Invalid
from jusoor.core.i18n import gettext as _
from jusoor.core.ids import uuid7
from jusoor.core.keyset import KeysetPage
from jusoor.core.permissions import Actor
from jusoor.entities.case_reads import audit_case_reads
from jusoor.entities.links import add_link, create_link, visible_links
from jusoor.entities.matching import matchkeys
from jusoor.entities.models import Entity, EntityKey, Link, Properties, SourceKind
from jusoor.entities.schemas import EntityCreate
from jusoor.entities.schemata import Problem, caption_of, clean, schema
from jusoor.entities.scope import (
    MANAGE,
    READ,
    check_case,
    owning_agency,
    raise_first,
    readable,
    visible,
)

# Re-exported: the public surface of the domain is this module (see the docstring).
__all__ = [
    "MANAGE",
    "READ",
    "Detail",
    "add_entity",
    "add_link",
    "candidates",
    "create_entity",
    "create_link",
    "entity_detail",
    "entity_page",
    "get_entity",
    "list_entities",
    "owning_agency",
    "reindex",
    "visible",
    "visible_links",
    "write_keys",
]

MAX_CANDIDATES = 200
MAX_PAGE_SIZE = 500


def _add_keys(session: Session, entity: Entity, properties: Properties) -> None:
    session.add_all(
        EntityKey(entity_id=entity.id, kind=kind, digest=value)
        for kind, value in matchkeys.digests(entity.schema, properties, entity.country)
    )


def write_keys(session: Session, entity: Entity, properties: Properties) -> None:
    """Replace the blind-index rows of `entity` with those of `properties`."""
    session.execute(delete(EntityKey).where(EntityKey.entity_id == entity.id))
    _add_keys(session, entity, properties)


def add_entity(
    session: Session,
    *,
    actor: Actor,
    agency: Agency,
    schema_name: str,
    properties: Properties,
    source_kind: SourceKind,
    source_ref: str | None = None,
    case_id: uuid.UUID | None = None,
    region: str | None = None,
) -> tuple[Entity, list[Problem]]:
    """Store an entity with the values that could be read; the others come back as Problems.

    National phone numbers are read in `region`, by default the agency's country. The caller
    has checked `owning_agency` and writes the audit event."""
    entity_schema = schema(schema_name)
    cleaned = clean(entity_schema.properties, properties, region or agency.country)
    now = utcnow()
    entity = Entity(
        id=uuid7(),
        schema=entity_schema.name,
        caption=caption_of(entity_schema, cleaned.properties),
        source_kind=source_kind,
        source_ref=source_ref,
        case_id=case_id,
        agency_id=agency.id,
        country=agency.country,
        created_by=actor.user_id,
        created_at=now,
        updated_at=now,
    )
    entity.properties = cleaned.properties
    session.add(entity)
    _add_keys(session, entity, cleaned.properties)
    return entity, cleaned.problems


def create_entity(session: Session, *, actor: Actor, entity_in: EntityCreate) -> Entity:
    """A new entity owned by the caller's agency (or the one named, when in scope); any value
    that cannot be read is an error naming its property."""
    agency = owning_agency(session, actor=actor, agency_id=entity_in.agency_id)
    entity_schema = schema(entity_in.schema_)
    check_case(session, actor, entity_in.case_id, entity_in.source_kind)
    raise_first(clean(entity_schema.properties, entity_in.properties, agency.country).problems)
    entity, _problems = add_entity(
        session,
        actor=actor,
        agency=agency,
        schema_name=entity_schema.name,
        properties=entity_in.properties,
        source_kind=entity_in.source_kind,
        source_ref=entity_in.source_ref,
        case_id=entity_in.case_id,
    )
    audit.record(
        session,
        actor=actor,
        action="entity.create",
        object_type="entity",
        object_id=entity.id,
        details={"schema": entity.schema, "source": entity.source_kind.value},
    )
    return entity


def get_entity(session: Session, *, actor: Actor, entity_id: uuid.UUID) -> Entity:
    """One entity in the caller's scope (NotFound otherwise); the read is audited, and as a read
    of its case when it is tied to one."""
    entity = readable(session, actor, entity_id, None)
    audit.record(
        session, actor=actor, action="entity.read", object_type="entity", object_id=entity.id
    )
    audit_case_reads(session, actor=actor, via="entity.read", entities=[entity])
    return entity


def _count_kinds(kinds: Iterable[str]) -> Any:
    return func.sum(case((EntityKey.kind.in_(list(kinds)), 1), else_=0))


def _scores(digests: Iterable[str], *, leads_only: bool, actor: Actor | None = None) -> Any:
    """Per entity sharing any of `digests`: how many strong keys and how many keys in all it
    shares. With `leads_only`, only entities sharing a strong key, or a name word and the birth
    year — a shared given name alone is no lead. Given `actor`, only the entities in their
    scope are counted (a common name shared nationally is not summed for every agency)."""
    strong = _count_kinds(matchkeys.STRONG_KINDS)
    stmt = (
        select(
            EntityKey.entity_id.label("entity_id"),
            strong.label("strong"),
            func.count(EntityKey.digest).label("shared"),
        )
        .where(EntityKey.digest.in_(list(digests)))
        .group_by(EntityKey.entity_id)
    )
    if actor is not None:
        owner = aliased(Entity)
        stmt = stmt.join(owner, owner.id == EntityKey.entity_id).where(visible(actor, READ, owner))
    if leads_only:
        weak_pair = and_(_count_kinds(["name_part"]) >= 1, _count_kinds(["birth_year"]) >= 1)
        stmt = stmt.having(or_(strong >= 1, weak_pair))
    return stmt.subquery()


def _search(
    actor: Actor, schema_name: str | None, text: str | None
) -> tuple[Select[Any], tuple[Any, ...], bool]:
    """The entities in scope matching, their sort key (newest first; with `text`, those sharing
    the most keys first) and whether the rows carry the key's scores beside the entity."""
    stmt: Select[Any] = select(Entity).where(visible(actor))
    if schema_name:
        stmt = stmt.where(Entity.schema == schema(schema_name).name)
    if not (text and text.strip()):
        return stmt, (Entity.created_at, Entity.id), False
    digests = [d for _k, d in matchkeys.query_keys(text, actor.country)]
    scores = _scores(digests, leads_only=False, actor=actor)
    stmt = stmt.add_columns(scores.c.strong, scores.c.shared).join(
        scores, scores.c.entity_id == Entity.id
    )
    return stmt, (scores.c.strong, scores.c.shared, Entity.created_at, Entity.id), True


def _audit_list(
    session: Session, actor: Actor, schema_name: str | None, text: str | None, rows: list[Entity]
) -> None:
    audit.record(
        session,
        actor=actor,
        action="entity.list",
        object_type="entity",
        details={"schema": schema_name, "searched": bool(text), "count": len(rows)},
    )
    audit_case_reads(session, actor=actor, via="entity.list", entities=rows)


def list_entities(
    session: Session,
    *,
    actor: Actor,
    schema_name: str | None = None,
    text: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[Entity]:
    """Entities in scope, newest first; `text` finds them by phone, e-mail, number or name in
    any script, those sharing the most keys with it first (the values are encrypted, so the
    search goes through the blind index: whole words, not substrings). Pages deep in a
    national list go through `entity_page`, which does not read the rows it skips."""
    actor.require(READ)
    stmt, columns, scored = _search(actor, schema_name, text)
    ordered = stmt.order_by(*(c.desc() for c in columns)).limit(limit).offset(offset)
    rows = [r[0] for r in session.execute(ordered)] if scored else list(session.scalars(ordered))
    _audit_list(session, actor, schema_name, text, rows)
    return rows


def entity_page(
    session: Session,
    *,
    actor: Actor,
    schema_name: str | None = None,
    text: str | None = None,
    after: str | None = None,
    limit: int = 50,
) -> KeysetPage[Entity]:
    """One keyset page of `list_entities` (same scope, same order, same audit): `limit` rows
    after the cursor `after`, and the next page's cursor."""
    actor.require(READ)
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise Invalid(
            "limit", _("Ask for between 1 and %(most)s rows at a time.", most=MAX_PAGE_SIZE)
        )
    stmt, columns, scored = _search(actor, schema_name, text)
    if scored:
        found = keyset.fetch(
            session,
            stmt,
            columns,
            tag="entities-search",
            after=after or None,
            limit=limit,
            scalars=False,
            key_of=lambda row: (row.strong, row.shared, row[0].created_at, row[0].id),
        )
        found = KeysetPage([r[0] for r in found.rows], found.next_cursor, found.first)
    else:
        found = keyset.fetch(
            session, stmt, columns, tag="entities", after=after or None, limit=limit
        )
    _audit_list(session, actor, schema_name, text, found.rows)
    return found


@dataclass(frozen=True)
class Detail:
    entity: Entity
    links: list[Link]
    neighbours: list[Entity]


def entity_detail(session: Session, *, actor: Actor, entity_id: uuid.UUID) -> Detail:
    """One entity, the links to and from it the caller may see, and the entities at their ends.
    Audited as `entity.read`, and as a read of every case whose records it shows."""
    entity = readable(session, actor, entity_id, None)
    audit.record(
        session, actor=actor, action="entity.read", object_type="entity", object_id=entity.id
    )
    links = visible_links(session, actor=actor, entity_ids=[entity.id])
    other = {
        lk.target_entity_id if lk.source_entity_id == entity.id else lk.source_entity_id
        for lk in links
    }
    neighbours = list(
        session.scalars(
            select(Entity).where(Entity.id.in_(other), visible(actor)).order_by(Entity.id)
        )
    )
    audit_case_reads(
        session, actor=actor, via="entity.read", entities=[entity, *neighbours], links=links
    )
    return Detail(entity, links, neighbours)


def candidates(
    session: Session,
    *,
    actor: Actor,
    schema_name: str,
    properties: Properties,
    region: str | None = None,
    exclude: Sequence[uuid.UUID] = (),
    limit: int = MAX_CANDIDATES,
) -> list[Entity]:
    """Entities of the same schema in the caller's scope that may be the same as one with these
    properties: sharing a strong key (phone, e-mail, document, account, vehicle, the whole name
    or two of its words, in any script and order), or a name word and the birth year. Best first
    by keys shared; ranking them by name similarity is the caller's
    (`jusoor.entities.resolution.similarity`). Audited."""
    actor.require(READ)
    entity_schema = schema(schema_name)
    cleaned = clean(entity_schema.properties, properties, region or actor.country)
    found = matchkeys.digests(entity_schema.name, cleaned.properties, region or actor.country)
    if not found:
        return []
    scores = _scores([d for _k, d in found], leads_only=True)
    stmt = (
        select(Entity)
        .join(scores, scores.c.entity_id == Entity.id)
        .where(and_(visible(actor), Entity.schema == entity_schema.name))
        .order_by(scores.c.strong.desc(), scores.c.shared.desc(), Entity.id)
        .limit(limit)
    )
    if exclude:
        stmt = stmt.where(Entity.id.not_in(list(exclude)))
    rows = list(session.scalars(stmt))
    audit.record(
        session,
        actor=actor,
        action="entity.candidates",
        object_type="entity",
        details={"schema": entity_schema.name, "count": len(rows)},
    )
    audit_case_reads(session, actor=actor, via="entity.candidates", entities=rows)
    return rows


def reindex(session: Session, *, actor: Actor) -> int:
    """Rebuild every blind-index row (after the node secret changed); returns entities done."""
    actor.require(MANAGE)
    done = 0
    for entity in session.scalars(select(Entity).where(visible(actor, MANAGE)).order_by(Entity.id)):
        write_keys(session, entity, entity.properties)
        done += 1
    audit.record(session, actor=actor, action="entity.reindex", details={"entities": done})
    return done
