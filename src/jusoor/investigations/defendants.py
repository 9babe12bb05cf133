"""Defendants: the suspects and accused persons of a criminal file.

A defendant is an entity record (a Person of `jusoor.entities`), so that the people of a file
take part in networks and entity resolution like any other record: either one the user may
already read, or a new Person recorded here through the entities service (`source_kind=report`,
`source_ref` = the file's reference) with the phone and document given, each linked to the
person. The defendants of one file are linked to each other (`associate`, `source_ref` = the
file's reference, once per pair), so they appear together in networks.

The file keeps what GLOTIP counts of each person (role, sex, age, citizenship, when brought into
formal contact); the name stays in the entity, encrypted, and never goes into the timeline.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from jusoor.agencies.models import Agency
from jusoor.audit.service import record
from jusoor.cases.vocabulary import is_country_code
from jusoor.core.errors import DomainError, Invalid, NotFound
from jusoor.core.i18n import N_
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.core.typed_dates import TypedDate
from jusoor.entities import service as entities
from jusoor.entities.models import Entity, Link, SourceKind
from jusoor.entities.schemas import EntityCreate, LinkCreate
from jusoor.entities.scope import readable
from jusoor.investigations import service
from jusoor.investigations.labels import label
from jusoor.investigations.models import Charge, Defendant, FileEvent, InvestigationFile
from jusoor.investigations.schemas import not_in_future
from jusoor.investigations.vocabulary import DefendantRole, Sex

OBJECT = "investigation_defendant"
ASSOCIATE = "associate"  # schemata.yaml: party -> party, the link for accomplices
PERSON = "Person"


class DefendantCreate(BaseModel):
    """A defendant: an entity the user may read (`entity_id`), or a new person (`name`…)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    entity_id: uuid.UUID | None = None
    name: str | None = Field(default=None, max_length=200)
    birth_date: str | None = Field(default=None, max_length=40)
    phone: str | None = Field(default=None, max_length=40)
    document_number: str | None = Field(default=None, max_length=64)
    role: DefendantRole
    sex: Sex = Sex.unknown
    age: int | None = Field(default=None, ge=0, le=120)
    citizenship: str | None = Field(default=None, max_length=2)
    formal_contact_on: TypedDate | None = None

    _past = field_validator("formal_contact_on")(not_in_future)

    @field_validator("citizenship")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        if not value:
            return None
        if not is_country_code(value.upper()):
            raise ValueError(_("Choose a country from the list."))
        return value.upper()


def _entity_error(exc: Invalid) -> Invalid:
    """An entities-service error moved to the defendant form's field it is about."""
    fields = {"name": "name", "birthDate": "birth_date", "number": "phone"}
    return Invalid(fields.get(exc.field or "", "name"), str(exc))


def _new_person(
    session: Session, *, actor: Actor, file: InvestigationFile, data: DefendantCreate
) -> Entity:
    """A new Person entity (with its phone and document, linked) recorded from the file."""
    if not data.name:
        raise Invalid("name", _("Choose a person from the records, or give the person's name."))
    if not actor.can(entities.MANAGE):
        raise Invalid("name", _("Only the police record new persons: choose one from the records."))
    properties = {"name": [data.name]}
    if data.birth_date:
        properties["birthDate"] = [data.birth_date]
    if data.citizenship:
        properties["nationality"] = [data.citizenship]
    ref = {"source_kind": SourceKind.report, "source_ref": file.reference}
    try:
        person = entities.create_entity(
            session,
            actor=actor,
            entity_in=EntityCreate.model_validate(
                {"schema": PERSON, "properties": properties, **ref}
            ),
        )
        extra = [("Phone", "number", data.phone, "uses_phone"),
                 ("IdentityDocument", "number", data.document_number, "holds_document")]  # fmt: skip
        for schema, prop, value, link_type in extra:
            if not value:
                continue
            try:
                other = entities.create_entity(
                    session,
                    actor=actor,
                    entity_in=EntityCreate.model_validate(
                        {"schema": schema, "properties": {prop: [value]}, **ref}
                    ),
                )
            except Invalid as exc:
                field = "phone" if schema == "Phone" else "document_number"
                raise Invalid(field, str(exc)) from exc
            session.flush()
            entities.create_link(
                session,
                actor=actor,
                link_in=LinkCreate(
                    type=link_type,
                    source_entity_id=person.id,
                    target_entity_id=other.id,
                    **ref,
                ),
            )
    except Invalid as exc:
        if exc.field in ("phone", "document_number"):
            raise
        raise _entity_error(exc) from exc
    session.flush()
    return person


def _chosen_person(session: Session, actor: Actor, entity_id: uuid.UUID) -> Entity:
    entity = readable(session, actor, entity_id, "entity_id")
    if entity.schema != PERSON:
        raise Invalid("entity_id", _("Choose a person."))
    return entity


def _link_to_codefendants(
    session: Session, *, actor: Actor, file: InvestigationFile, entity: Entity
) -> int:
    """Link `entity` to every other defendant of the file (once per pair, both directions
    counted); the links belong to the agency holding the file. Returns how many were added."""
    others = [d.entity_id for d in file.defendants if d.entity_id != entity.id]
    if not others:
        return 0
    agency = session.get(Agency, file.agency_id)
    if agency is None:  # the file's agency is a foreign key: it exists
        raise NotFound(_("No such agency."))
    existing = session.execute(
        select(Link.source_entity_id, Link.target_entity_id).where(
            Link.type == ASSOCIATE,
            Link.source_ref == file.reference,
            or_(
                and_(Link.source_entity_id == entity.id, Link.target_entity_id.in_(others)),
                and_(Link.target_entity_id == entity.id, Link.source_entity_id.in_(others)),
            ),
        )
    ).all()
    linked = {x for pair in existing for x in pair} - {entity.id}
    added = 0
    for other_id in others:
        other = session.get(Entity, other_id)
        if other_id in linked or other is None:
            continue
        link = entities.add_link(
            session,
            actor=actor,
            agency=agency,
            link_in=LinkCreate(
                type=ASSOCIATE,
                source_entity_id=other.id,
                target_entity_id=entity.id,
                properties={"relationship": ["co-defendant"]},
                source_kind=SourceKind.report,
                source_ref=file.reference,
            ),
            source=other,
            target=entity,
        )
        session.flush()
        record(session, actor=actor, action="entity.link", object_type="entity_link",
               object_id=link.id, details={"type": ASSOCIATE, "source_ref": file.reference})  # fmt: skip
        added += 1
    return added


def add_defendant(
    session: Session, *, actor: Actor, file_id: uuid.UUID, defendant_in: DefendantCreate
) -> Defendant:
    """Put a person on the file as a defendant (a new Person entity or one already recorded)."""
    file = service.file_for_update(session, actor=actor, file_id=file_id)
    data = defendant_in
    if data.formal_contact_on is not None and data.formal_contact_on < file.reported_on:
        raise Invalid(
            "formal_contact_on",
            _("The date of formal contact is before the file's report date."),
        )
    if data.entity_id is not None:
        entity = _chosen_person(session, actor, data.entity_id)
        if any(d.entity_id == entity.id for d in file.defendants):
            raise Invalid("entity_id", _("This person is already a defendant in this file."))
    else:
        entity = _new_person(session, actor=actor, file=file, data=data)
    defendant = Defendant(
        file_id=file.id,
        entity_id=entity.id,
        role=data.role,
        sex=data.sex,
        age=data.age,
        citizenship=data.citizenship,
        formal_contact_on=data.formal_contact_on,
    )
    file.defendants.append(defendant)
    session.flush()
    links = _link_to_codefendants(session, actor=actor, file=file, entity=entity)
    details: dict[str, object] = {"role": data.role.value, "defendant_id": str(defendant.id)}
    service.add_event(session, file, actor=actor, kind="defendant_added", details=details)
    record(session, actor=actor, action="investigations.defendant_add", object_type=OBJECT,
           object_id=defendant.id, details={**details, "file": file.reference,
                                            "new_person": data.entity_id is None,
                                            "links": links})  # fmt: skip
    return defendant


def remove_defendant(
    session: Session, *, actor: Actor, file_id: uuid.UUID, defendant_id: uuid.UUID
) -> None:
    """Take a defendant off the file, while no charge was brought against them. The person's
    entity and its links stay: they are intelligence records of their own."""
    file = service.file_for_update(session, actor=actor, file_id=file_id)
    defendant = session.get(Defendant, defendant_id)
    if defendant is None or defendant.file_id != file.id:
        raise Invalid("defendant_id", _("No such defendant in this file."))
    charged = session.scalar(select(Charge.id).where(Charge.defendant_id == defendant.id).limit(1))
    if charged is not None:
        raise Invalid(
            "defendant_id",
            _("This defendant has been charged: withdraw the charges instead of removing them."),
        )
    details: dict[str, object] = {"role": defendant.role.value, "defendant_id": str(defendant.id)}
    file.defendants.remove(defendant)
    session.flush()
    service.add_event(session, file, actor=actor, kind="defendant_removed", details=details)
    record(session, actor=actor, action="investigations.defendant_remove", object_type=OBJECT,
           object_id=defendant_id, details={**details, "file": file.reference})  # fmt: skip


@dataclass(frozen=True)
class DefendantView:
    defendant: Defendant
    name: str | None  # None: the entity is outside the reader's entity scope
    charged: bool


def defendants_of(
    session: Session, *, actor: Actor, file: InvestigationFile
) -> list[DefendantView]:
    """The defendants of a file the caller has loaded (and whose read was audited), with the
    names of the entities the caller may read; the names shown are audited as an entity list."""
    rows: Sequence[Defendant] = file.defendants
    if not rows:
        return []
    names: dict[uuid.UUID, str] = {}
    if actor.can(entities.READ):
        ids = [d.entity_id for d in rows]
        for entity in session.scalars(
            select(Entity).where(Entity.id.in_(ids), entities.visible(actor))
        ):
            names[entity.id] = entity.caption or _("Unnamed")
        record(session, actor=actor, action="entity.list", object_type="entity",
               details={"via": "investigations.defendants", "count": len(names)})  # fmt: skip
    charged = set(
        session.scalars(select(Charge.defendant_id).where(Charge.file_id == file.id).distinct())
    )
    return [DefendantView(d, names.get(d.entity_id), d.id in charged) for d in rows]


def find_people(session: Session, *, actor: Actor, text: str, limit: int = 20) -> list[Entity]:
    """Persons the caller may read matching `text` (a name in Arabic or Latin script, a phone or
    a document number), best first; the search is audited by the entities service."""
    if not text.strip() or not actor.can(entities.READ):
        return []
    try:
        return entities.list_entities(
            session, actor=actor, schema_name=PERSON, text=text[:200], limit=limit
        )
    except DomainError:
        return []


def _role_detail(event: FileEvent) -> str:
    return label(DefendantRole, str((event.details or {}).get("role", "")))


# The file timeline's words for the events written here (registered from people_pages).
EVENT_KINDS = {
    "defendant_added": N_("Defendant added"),
    "defendant_removed": N_("Defendant removed"),
}
EVENT_DETAILS: dict[str, Callable[[FileEvent], str]] = {
    "defendant_added": _role_detail,
    "defendant_removed": _role_detail,
}
