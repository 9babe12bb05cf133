"""Export entities and links as FollowTheMoney (FtM) entities, JSON lines that open in Aleph and
other FtM tools. `ftm_import` reads them back.

How Jusoor's vocabulary maps onto FtM's (property names are FtM's already):
- Person, Organization, Address, Vehicle, BankAccount: the FtM schemata of the same name.
- IdentityDocument: `Passport` when its type is "passport", else `Identification`; the person
  that holds_document it is the document's `holder` (no link entity).
- Phone and Email: FtM has no such schemata; phones and e-mails are values of a party. A Phone
  linked to a person or organisation by uses_phone is written as a `phone` value of each of them
  (Email likewise, as `email`): no entity of its own, and the link's dates are not kept. A Phone
  or Email linked to nobody is written as an unnamed `LegalEntity` with only that `phone` or
  `email`: "someone using this number". Reading back, each distinct value is one Phone (Email)
  entity linked to every party that has it, so shared phones stay shared.
- Links become FtM interval entities with `startDate`, `endDate` and `description` (our notes):
  family → Family, associate → Associate, member_of → Membership, paid → Payment (payer and
  beneficiary, or payerAccount and beneficiaryAccount for accounts), owns_vehicle and
  holds_account → Ownership, employs → Employment when the employer is an organisation; every
  other type (lives_at, travelled_with, recruited, exploited, same_household, an employing
  person, an associate that is not a person, unknown) → UnknownLink with `role` = our type (or
  the role of an unknown link).
Ids are our UUIDs in hex; another tool's ids are mapped to new ones on import.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.audit import service as audit
from jusoor.core.permissions import Actor
from jusoor.entities import service
from jusoor.entities.case_reads import audit_case_reads
from jusoor.entities.models import Entity, Link, Properties

FtmEntity = dict[str, Any]

PASSPORT = "passport"
# Our link type → (FtM schema, property of the source, property of the target, our property →
# FtM property). UnknownLink covers the rest.
INTERVALS: dict[str, tuple[str, str, str, dict[str, str]]] = {
    "family": ("Family", "person", "relative", {"relationship": "relationship"}),
    "associate": ("Associate", "person", "associate", {"relationship": "relationship"}),
    "member_of": ("Membership", "member", "organization", {"role": "role"}),
    "owns_vehicle": ("Ownership", "owner", "asset", {}),
    "holds_account": ("Ownership", "owner", "asset", {}),
    "employs": ("Employment", "employer", "employee", {}),
    "paid": (
        "Payment",
        "payer",
        "beneficiary",
        {"amount": "amount", "currency": "currency", "purpose": "purpose"},
    ),
}
UNKNOWN_LINK: tuple[str, str, str, dict[str, str]] = ("UnknownLink", "subject", "object", {})
VALUE_LINKS = {
    "uses_phone": ("Phone", "number", "phone"),
    "uses_email": ("Email", "address", "email"),
}


def ftm_id(entity_or_link: Entity | Link) -> str:
    return entity_or_link.id.hex


def _entity_ftm(entity: Entity, values: Properties, holders: list[str]) -> FtmEntity | None:
    props = {k: list(v) for k, v in entity.properties.items() if v}
    schema = entity.schema
    if schema in ("Phone", "Email"):
        if values.get("linked"):
            return None  # written as values of the parties that use it
        prop, key = ("phone", "number") if schema == "Phone" else ("email", "address")
        props = {prop: props.get(key, [])}
        if entity.properties.get("notes"):
            props["notes"] = entity.properties["notes"]
        schema = "LegalEntity"
    elif schema == "IdentityDocument":
        kinds = [t.lower() for t in props.get("type", [])]
        schema = "Passport" if PASSPORT in kinds else "Identification"
        if holders:
            props["holder"] = holders
    elif schema in ("Person", "Organization"):
        for prop in ("phone", "email"):
            if values.get(prop):
                props[prop] = sorted(set(values[prop]))
    return {"id": ftm_id(entity), "schema": schema, "properties": props}


def _link_ftm(link: Link, ends: dict[Any, Entity]) -> FtmEntity:
    source, target = ends[link.source_entity_id], ends[link.target_entity_id]
    name, source_prop, target_prop, renamed = INTERVALS.get(link.type, UNKNOWN_LINK)
    own = link.properties
    props: Properties = {}
    # FtM's ranges: an Employment's employer is an Organization, an Associate's ends are people.
    if (link.type == "employs" and source.schema != "Organization") or (
        link.type == "associate" and {source.schema, target.schema} != {"Person"}
    ):
        name, source_prop, target_prop, renamed = UNKNOWN_LINK
    if name == "Payment":
        if source.schema == "BankAccount":
            source_prop = "payerAccount"
        if target.schema == "BankAccount":
            target_prop = "beneficiaryAccount"
    if name == "UnknownLink":
        props["role"] = own.get("role", [link.type]) if link.type == "unknown" else [link.type]
    props[source_prop] = [ftm_id(source)]
    props[target_prop] = [ftm_id(target)]
    for ours, theirs in renamed.items():
        if own.get(ours):
            props[theirs] = own[ours]
    if own.get("notes"):
        props["description"] = own["notes"]
    if link.start_date:
        props["startDate"] = [link.start_date]
    if link.end_date:
        props["endDate"] = [link.end_date]
    return {"id": ftm_id(link), "schema": name, "properties": props}


def to_ftm(entities: Iterable[Entity], links: Iterable[Link]) -> list[FtmEntity]:
    """The FtM entities standing for these entities and the links between them."""
    by_id = {e.id: e for e in entities}
    links = [lk for lk in links if lk.source_entity_id in by_id and lk.target_entity_id in by_id]
    values: dict[Any, Properties] = defaultdict(lambda: defaultdict(list))
    holders: dict[Any, list[str]] = defaultdict(list)
    for link in links:
        source, target = by_id[link.source_entity_id], by_id[link.target_entity_id]
        if link.type in VALUE_LINKS:
            _schema, key, prop = VALUE_LINKS[link.type]
            values[source.id][prop].extend(target.properties.get(key, []))
            values[target.id]["linked"].append(ftm_id(source))
        elif link.type == "holds_document":
            holders[target.id].append(ftm_id(source))
    out = [
        found
        for e in by_id.values()
        if (found := _entity_ftm(e, values[e.id], sorted(holders[e.id]))) is not None
    ]
    out += [
        _link_ftm(lk, by_id)
        for lk in links
        if lk.type not in VALUE_LINKS and lk.type != "holds_document"
    ]
    return out


def export_ftm(session: Session, *, actor: Actor, out: TextIO) -> Counter[str]:
    """Write every entity and link the caller may read as FtM JSON lines; counts per FtM schema.
    The export is audited with its counts, and as a read of every case whose records it holds."""
    actor.require(service.READ)
    entities = list(
        session.scalars(
            select(Entity).where(service.visible(actor)).order_by(Entity.created_at, Entity.id)
        )
    )
    links = service.visible_links(session, actor=actor)
    counts: Counter[str] = Counter()
    for item in to_ftm(entities, links):
        out.write(json.dumps(item, ensure_ascii=False, sort_keys=True) + "\n")
        counts[item["schema"]] += 1
    audit.record(
        session,
        actor=actor,
        action="entity.export",
        object_type="entity",
        details={
            "format": "ftm",
            "entities": len(entities),
            "links": len(links),
            "schemata": dict(counts),
        },
    )
    audit_case_reads(session, actor=actor, via="entity.export", entities=entities, links=links)
    return counts
