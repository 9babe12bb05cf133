"""A victim's case in Egypt and one in Morocco, mirrored into the entity store from their
profiles, next to a suspect recorded by the Egyptian police and linked by the node's operator to
the Egyptian victim: the data every need-to-know test looks for in what it gets back."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.audit.models import AuditEvent
from jusoor.core.permissions import system_actor
from jusoor.entities import service
from jusoor.entities.models import Entity
from jusoor.entities.schemas import EntityCreate, LinkCreate
from tests.cases.support import actor, open_case

# Every role of the matrix, as demo users of two countries (admin is Egypt's).
PREFIXES = (
    "coordinator",
    "screener",
    "caseworker",
    "provider",
    "investigator",
    "prosecutor",
    "liaison",
    "analyst",
    "auditor",
)
USERS = ("admin", *(f"{p}.{cc}" for p in PREFIXES for cc in ("eg", "ma")))
SUSPECT = "Karim Haddad Smuggler"


@dataclass(frozen=True)
class Victim:
    case_id: uuid.UUID
    reference: str
    person: uuid.UUID
    records: dict[str, uuid.UUID]  # schema → entity id (Person, Phone, Email, IdentityDocument)
    secrets: tuple[str, ...]  # strings that identify the person, as the records hold them

    def identifying(self) -> tuple[str, ...]:
        """Everything that must not reach someone who may not read the case."""
        ids = tuple(str(i) for i in self.records.values())
        return (*self.secrets, self.reference, str(self.case_id), *ids)


@dataclass(frozen=True)
class World:
    eg: Victim
    ma: Victim
    suspect: uuid.UUID  # recorded by investigator.eg
    suspect_phone: uuid.UUID


def _victim(session: Session, username: str, name: str, alias: str, phone: str, doc: str) -> Victim:
    email = f"{alias.lower()}@example.org"
    case = open_case(
        session,
        username,
        name=name,
        aliases=alias,
        age=None,
        date_of_birth=dt.date(1999, 2, 3),
        contact=f"{phone}, {email}",
        identity_documents=f"Passport {doc}",
    )
    rows = session.scalars(select(Entity).where(Entity.case_id == case.id)).all()
    records = {e.schema: e.id for e in rows}
    assert set(records) == {"Person", "Phone", "Email", "IdentityDocument"}
    number = next(e.caption for e in rows if e.schema == "Phone")
    return Victim(
        case.id, case.reference, records["Person"], records, (name, alias, number, email, doc)
    )


def build(session: Session) -> World:
    eg = _victim(
        session, "caseworker.eg", "Amal Zeinab Victimova", "Amoula", "+20 100 555 7788", "QX7654321"
    )
    ma = _victim(
        session,
        "caseworker.ma",
        "Salma Idrissi Victimova",
        "Sousou",
        "+212 661 234 567",
        "MZ1122334",
    )
    police = actor(session, "investigator.eg")
    body = EntityCreate.model_validate({"schema": "Person", "properties": {"name": [SUSPECT]}})
    suspect = service.create_entity(session, actor=police, entity_in=body)
    phone_in = EntityCreate.model_validate(
        {"schema": "Phone", "properties": {"number": ["+20 122 000 1111"]}}
    )
    phone = service.create_entity(session, actor=police, entity_in=phone_in)
    service.create_link(
        session,
        actor=police,
        link_in=LinkCreate(
            type="uses_phone", source_entity_id=suspect.id, target_entity_id=phone.id
        ),
    )
    # The operator records that the suspect recruited the victim: a link of the police's own
    # agency whose far end is case data. Whoever may not read the case must not see it.
    recruited = service.create_link(
        session,
        actor=system_actor("operator"),
        link_in=LinkCreate(
            type="recruited", source_entity_id=suspect.id, target_entity_id=eg.person
        ),
    )
    recruited.agency_id, recruited.country = suspect.agency_id, suspect.country
    session.flush()
    return World(eg, ma, suspect.id, phone.id)


def case_reads(session: Session, case_id: uuid.UUID) -> list[dict[str, Any]]:
    """The details of every `case.read` of this case, oldest first."""
    stmt = select(AuditEvent).where(
        AuditEvent.action == "case.read", AuditEvent.object_id == str(case_id)
    )
    return [
        {"username": e.actor_username, **json.loads(e.details or "{}")}
        for e in session.scalars(stmt.order_by(AuditEvent.seq))
    ]


def leaked(text: str, victim: Victim) -> list[str]:
    """The identifying strings of `victim` found in `text`."""
    return [s for s in victim.identifying() if s.lower() in text.lower()]
