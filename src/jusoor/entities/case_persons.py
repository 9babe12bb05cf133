"""A case's person in the entity store, so that other cases can find them through the blind index.

When a case is opened or its profile saved, `index_case` keeps one Person entity for it (source
`case`, the case's id and agency, `source_ref` "case-profile") with its name, aliases, birth date
and citizenship, and one Phone, Email or IdentityDocument entity, linked to the person, for each
phone, e-mail and document number found in the profile's contact and documents fields. They
belong to the case's agency and are case data: seen only by whom may read the case and the
fields they hold (`scope.visible`), never through the entities scope alone, and each showing is
audited as a read of the case (`case_reads`); a case shows its suggestions through
`jusoor.entities.matching.suggestions`.

`profile_facts` reads the same fields from a profile form as typed, for suggestions before saving.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, delete, select
from sqlalchemy.orm import Session

from jusoor.agencies.models import Agency
from jusoor.audit import service as audit
from jusoor.cases.models import Case
from jusoor.core.db import utcnow
from jusoor.core.permissions import Actor
from jusoor.entities.matching import matchkeys
from jusoor.entities.matching.evidence import PersonFacts, facts_from_properties, iso_birth_date
from jusoor.entities.models import Entity, EntityKey, Link, Properties, SourceKind
from jusoor.entities.resolution import name_key, normalize_document_number, normalize_phone
from jusoor.entities.resolution.linkage.prepare import phone_stem
from jusoor.entities.schemas import LinkCreate
from jusoor.entities.schemata import caption_of, clean, schema
from jusoor.entities.service import add_entity, add_link, write_keys

PROFILE_REF = "case-profile"
_SEPARATORS = re.compile(r"[,;،؛/|\n]+")
_PHONE = re.compile(r"\+?\d[\d\s().\-]{5,}\d")
_EMAIL = re.compile(r"[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+")
# Identifier entity schema → (property, link type, blind-index kind).
IDENTIFIERS = {
    "Phone": ("number", "uses_phone", "phone"),
    "Email": ("address", "uses_email", "email"),
    "IdentityDocument": ("number", "holds_document", "document"),
}


@dataclass(frozen=True)
class ProfilePerson:
    """What a case profile says about who the person is, normalised."""

    person: Properties
    identifiers: dict[str, list[str]] = field(default_factory=dict)  # schema → values

    def empty(self) -> bool:
        return not self.person.get("name") and not any(self.identifiers.values())


def _document_numbers(text: str) -> list[str]:
    numbers = []
    for segment in _SEPARATORS.split(text):
        words = segment.split()
        kept = [
            w
            for i, w in enumerate(words)
            if any(c.isdigit() for c in w)
            or (len(w) <= 3 and i + 1 < len(words) and any(c.isdigit() for c in words[i + 1]))
        ]
        number = normalize_document_number(" ".join(kept)) if kept else None
        if number and len(number) >= 4:
            numbers.append(number)
    return list(dict.fromkeys(numbers))


def read_profile(values: dict[str, str], region: str | None) -> ProfilePerson:
    """The person of a profile given as text fields (`name`, `aliases`, `date_of_birth`,
    `citizenship`, `contact`, `identity_documents`); unreadable parts are left out."""
    person: Properties = {}
    if (values.get("name") or "").strip():
        person["name"] = [values["name"].strip()]
    aliases = [a.strip() for a in _SEPARATORS.split(values.get("aliases") or "") if a.strip()]
    if aliases:
        person["alias"] = aliases
    birth = iso_birth_date(values.get("date_of_birth"))
    if birth:
        person["birthDate"] = [birth]
    codes = [c for c in (values.get("citizenship") or "").replace(",", " ").split() if c]
    if codes:
        person["nationality"] = codes
    contact = values.get("contact") or ""
    phones = [p for p in (normalize_phone(m, region) for m in _PHONE.findall(contact)) if p]
    emails = [m.lower() for m in _EMAIL.findall(contact)]
    documents = _document_numbers(values.get("identity_documents") or "")
    identifiers = {
        "Phone": list(dict.fromkeys(phones)),
        "Email": list(dict.fromkeys(emails)),
        "IdentityDocument": documents,
    }
    return ProfilePerson(person, identifiers)


def case_values(case: Case) -> dict[str, str]:
    return {
        "name": case.name or "",
        "aliases": case.aliases or "",
        "date_of_birth": case.date_of_birth or "",
        "citizenship": " ".join(case.citizenship or []),
        "contact": case.contact or "",
        "identity_documents": case.identity_documents or "",
    }


def profile_facts(profile: ProfilePerson) -> PersonFacts:
    """The facts a suggestion compares, for a profile not (yet) stored."""
    digests = {
        (kind, matchkeys.digest(kind, value))
        for name, (_prop, _link, kind) in IDENTIFIERS.items()
        for value in profile.identifiers.get(name, [])
    }
    stems = filter(None, map(phone_stem, profile.identifiers.get("Phone", [])))
    digests |= {("phone_stem", matchkeys.digest("phone_stem", stem)) for stem in stems}
    person_schema = schema("Person")
    cleaned = clean(person_schema.properties, profile.person, None).properties
    return facts_from_properties(None, cleaned, digests)


def case_ids_named(text: str, region: str | None) -> Select[Any] | None:
    """A `SELECT case_id` of the cases whose person has `text` as a whole name or alias, in any
    script (the `name` key of the blind index); None when `text` holds no name."""
    words = " ".join(w for w in text.split() if any(ch.isalpha() for ch in w))
    whole = name_key(words) if words else ""
    if not whole:
        return None
    return (
        select(Entity.case_id)
        .join(EntityKey, EntityKey.entity_id == Entity.id)
        .where(
            EntityKey.kind == "name",
            EntityKey.digest == matchkeys.digest("name", whole),
            Entity.source_kind == SourceKind.case,
            Entity.source_ref == PROFILE_REF,
            Entity.schema == "Person",
        )
    )


def person_of_case(session: Session, case_id: object) -> Entity | None:
    stmt = select(Entity).where(
        Entity.case_id == case_id,
        Entity.source_kind == SourceKind.case,
        Entity.source_ref == PROFILE_REF,
        Entity.schema == "Person",
    )
    return session.scalars(stmt).first()


def _update(session: Session, entity: Entity, properties: Properties, region: str) -> None:
    entity_schema = schema(entity.schema)
    cleaned = clean(entity_schema.properties, properties, region).properties
    entity.properties = cleaned
    entity.caption = caption_of(entity_schema, cleaned)
    entity.updated_at = utcnow()
    write_keys(session, entity, cleaned)


def _identifier_entities(session: Session, case: Case) -> list[Entity]:
    stmt = select(Entity).where(
        Entity.case_id == case.id,
        Entity.source_ref == PROFILE_REF,
        Entity.schema.in_(tuple(IDENTIFIERS)),
    )
    return list(session.scalars(stmt))


def _drop(session: Session, entity: Entity) -> None:
    ids = [entity.id]
    session.execute(delete(Link).where(Link.target_entity_id.in_(ids)))
    session.execute(delete(EntityKey).where(EntityKey.entity_id.in_(ids)))
    session.execute(delete(Entity).where(Entity.id.in_(ids)))


def index_case(session: Session, *, actor: Actor, case: Case) -> Entity | None:
    """Bring the case's Person entity (and its identifiers) in line with the profile; audited.

    A case whose profile names no one and holds no identifier gets no entity."""
    profile = read_profile(case_values(case), case.country)
    person = person_of_case(session, case.id)
    if person is None and profile.empty():
        return None
    agency = session.get(Agency, case.agency_id)
    assert agency is not None  # a case's agency is a foreign key
    if person is None:
        person, _problems = add_entity(
            session,
            actor=actor,
            agency=agency,
            schema_name="Person",
            properties=profile.person,
            source_kind=SourceKind.case,
            source_ref=PROFILE_REF,
            case_id=case.id,
        )
        session.flush()
    else:
        _update(session, person, profile.person, case.country)
    kept: dict[tuple[str, str], Entity] = {}
    for entity in _identifier_entities(session, case):
        wanted = profile.identifiers.get(entity.schema, [])
        if entity.caption in wanted and (entity.schema, entity.caption) not in kept:
            kept[(entity.schema, entity.caption)] = entity
        else:
            _drop(session, entity)
    for name, values in profile.identifiers.items():
        prop, link_type, _kind = IDENTIFIERS[name]
        for value in values:
            if (name, value) in kept:
                continue
            entity, _problems = add_entity(
                session,
                actor=actor,
                agency=agency,
                schema_name=name,
                properties={prop: [value]},
                source_kind=SourceKind.case,
                source_ref=PROFILE_REF,
                case_id=case.id,
            )
            session.flush()
            link = LinkCreate(
                type=link_type,
                source_entity_id=person.id,
                target_entity_id=entity.id,
                source_kind=SourceKind.case,
                source_ref=PROFILE_REF,
                case_id=case.id,
            )
            add_link(
                session, actor=actor, agency=agency, link_in=link, source=person, target=entity
            )
    audit.record(
        session,
        actor=actor,
        action="entity.index_case",
        object_type="entity",
        object_id=person.id,
        details={
            "reference": case.reference,
            "identifiers": sum(map(len, profile.identifiers.values())),
        },
    )
    return person
