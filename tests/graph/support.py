"""A small network in two countries, made through the entities store's own service functions.

Morocco (investigator.ma's agency): Amine and Brahim share a phone; Brahim recruited Chaima and
paid Driss; Driss holds a passport. Tunisia (investigator.tn's agency): Tarek uses his phone.
The node's operator also links Tarek to Amine (a Tunisian link to a Moroccan entity): nobody in
one country may see it from the other.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.agencies.models import User
from jusoor.agencies.service import actor_for
from jusoor.core.permissions import Actor, system_actor
from jusoor.entities import service
from jusoor.entities.schemas import EntityCreate, LinkCreate


def actor(session: Session, username: str) -> Actor:
    user = session.scalars(select(User).where(User.username == username)).one()
    return actor_for(user, via="session")


def entity(session: Session, who: Actor, schema: str, **props: str) -> uuid.UUID:
    body = EntityCreate.model_validate(
        {"schema": schema, "properties": {k: [v] for k, v in props.items()}, "source_ref": "R-1"}
    )
    return service.create_entity(session, actor=who, entity_in=body).id


def link(
    session: Session, who: Actor, kind: str, source: uuid.UUID, target: uuid.UUID
) -> uuid.UUID:
    body = LinkCreate(type=kind, source_entity_id=source, target_entity_id=target)
    return service.create_link(session, actor=who, link_in=body).id


@dataclass(frozen=True)
class TwoCountries:
    amine: uuid.UUID
    brahim: uuid.UUID
    chaima: uuid.UUID
    driss: uuid.UUID
    phone: uuid.UUID
    passport: uuid.UUID
    tarek: uuid.UUID
    tarek_phone: uuid.UUID
    across: uuid.UUID  # the Tunisian link from Tarek to Amine

    @property
    def moroccan(self) -> set[uuid.UUID]:
        return {self.amine, self.brahim, self.chaima, self.driss, self.phone, self.passport}

    @property
    def tunisian(self) -> set[uuid.UUID]:
        return {self.tarek, self.tarek_phone}


def two_countries(session: Session) -> TwoCountries:
    ma, tn = actor(session, "investigator.ma"), actor(session, "investigator.tn")
    amine = entity(session, ma, "Person", name="Mohamed Amine Ould Akik")
    brahim = entity(session, ma, "Person", name="Brahim El Fassi")
    chaima = entity(session, ma, "Person", name="Chaima B.")
    driss = entity(session, ma, "Person", name="Driss Tazi")
    phone = entity(session, ma, "Phone", number="+212 612 345 678")
    passport = entity(session, ma, "IdentityDocument", number="MA1234567", type="passport")
    link(session, ma, "uses_phone", amine, phone)
    link(session, ma, "uses_phone", brahim, phone)
    link(session, ma, "recruited", brahim, chaima)
    link(session, ma, "paid", brahim, driss)
    link(session, ma, "holds_document", driss, passport)
    tarek = entity(session, tn, "Person", name="Tarek Ben Salah")
    tarek_phone = entity(session, tn, "Phone", number="+216 20 123 456")
    link(session, tn, "uses_phone", tarek, tarek_phone)
    operator = system_actor("operator")
    body = LinkCreate(type="associate", source_entity_id=tarek, target_entity_id=amine)
    across = service.create_link(session, actor=operator, link_in=body)
    across.agency_id, across.country = _agency_of(session, tarek)
    session.flush()
    return TwoCountries(
        amine, brahim, chaima, driss, phone, passport, tarek, tarek_phone, across.id
    )


def _agency_of(session: Session, entity_id: uuid.UUID) -> tuple[uuid.UUID, str]:
    found = service.get_entity(session, actor=system_actor("operator"), entity_id=entity_id)
    return found.agency_id, found.country
