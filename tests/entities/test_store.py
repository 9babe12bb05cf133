"""Investigation entities in the database: scope, encryption, the blind index, match candidates,
link rules, the vocabulary loader and the audit trail."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from jusoor.agencies import service as agencies
from jusoor.audit.models import AuditEvent
from jusoor.core.db import Database
from jusoor.core.errors import Forbidden, Invalid, NotFound
from jusoor.core.permissions import Actor, system_actor
from jusoor.entities import service
from jusoor.entities.matching import matchkeys
from jusoor.entities.models import Entity, EntityKey
from jusoor.entities.schemas import EntityCreate, LinkCreate
from jusoor.entities.schemata import parse_vocabulary
from jusoor.synth.networks import load_if_empty

MAURITANIAN_NAME = "محمد الأمين ولد أكيك"
PHONE = "+222 22 45 67 89"


def actor(session: Session, username: str) -> Actor:
    user = agencies.get_user_by_username(session, username)
    assert user is not None, username
    return agencies.actor_for(user, via="session")


def person(session: Session, who: Actor, name: str, **props: list[str]) -> Entity:
    return service.create_entity(
        session,
        actor=who,
        entity_in=EntityCreate(schema="Person", properties={"name": [name], **props}),
    )


def test_values_are_encrypted_and_the_index_holds_no_plaintext(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        inv = actor(session, "investigator.mr")
        phone = service.create_entity(
            session,
            actor=inv,
            entity_in=EntityCreate(schema="Phone", properties={"number": [PHONE]}),
        )
        person(session, inv, MAURITANIAN_NAME, birthDate=["12/03/1985"])
        assert phone.properties == {"number": ["+22222456789"]}
    with demo_db.engine.connect() as conn:
        stored = conn.execute(text("SELECT caption, properties FROM entities")).all()
        keys = conn.execute(text("SELECT kind, digest FROM entity_keys")).all()
    dump = repr(stored) + repr(keys)
    for secret in ("22456789", "+22222456789", "محمد", "akik", "1985"):
        assert secret not in dump
    assert ("phone", matchkeys.digest("phone", "+22222456789")) in {tuple(k) for k in keys}


def test_an_investigator_cannot_see_another_agencys_entities(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        egyptian = person(session, actor(session, "investigator.eg"), "Ahmed Samir Hassan")
        moroccan = actor(session, "investigator.ma")
        with pytest.raises(NotFound):
            service.get_entity(session, actor=moroccan, entity_id=egyptian.id)
        assert service.list_entities(session, actor=moroccan) == []
        assert (
            service.candidates(
                session, actor=moroccan, schema_name="Person", properties={"name": ["Ahmed Samir"]}
            )
            == []
        )
        # The prosecution reads across its country, but records nothing itself.
        prosecutor = actor(session, "prosecutor.eg")
        assert (
            service.get_entity(session, actor=prosecutor, entity_id=egyptian.id).id == egyptian.id
        )
        with pytest.raises(Forbidden):
            person(session, prosecutor, "Someone Else")
        with pytest.raises(Forbidden):
            service.list_entities(session, actor=actor(session, "analyst.eg"))


def test_candidates_share_a_key_across_scripts(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        inv = actor(session, "investigator.mr")
        arabic = person(session, inv, MAURITANIAN_NAME)
        person(session, inv, "Fatimetou Mint Sidi")
        found = service.candidates(
            session,
            actor=inv,
            schema_name="Person",
            properties={"name": ["OULD AKIK Mohamed Lamine"]},
        )
        assert [e.id for e in found] == [arabic.id]
        phone = service.create_entity(
            session,
            actor=inv,
            entity_in=EntityCreate(schema="Phone", properties={"number": [PHONE]}),
        )
        same = service.candidates(
            session, actor=inv, schema_name="Phone", properties={"number": ["0022222456789"]}
        )
        assert [e.id for e in same] == [phone.id]
        assert [e.id for e in service.list_entities(session, actor=inv, text="Akeik")] == [
            arabic.id
        ]


def test_a_shared_given_name_alone_is_not_a_candidate(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        inv = actor(session, "investigator.ma")
        person(session, inv, "Mohamed Bennani", birthDate=["1990"])
        assert not service.candidates(
            session, actor=inv, schema_name="Person", properties={"name": ["Mohamed Tazi"]}
        )
        # The same given name and year of birth: two weak keys agree.
        assert service.candidates(
            session,
            actor=inv,
            schema_name="Person",
            properties={"name": ["Mohamed Tazi"], "birthDate": ["1990-05-02"]},
        )


def test_links_follow_the_vocabulary_and_values_are_checked(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        inv = actor(session, "investigator.ma")
        someone = person(session, inv, "Youssef El Amrani")
        phone = service.create_entity(
            session,
            actor=inv,
            entity_in=EntityCreate(schema="Phone", properties={"number": ["0612345678"]}),
        )
        assert phone.caption == "+212612345678"  # read in the agency's country
        link = service.create_link(
            session,
            actor=inv,
            link_in=LinkCreate(
                type="uses_phone",
                source_entity_id=someone.id,
                target_entity_id=phone.id,
                start_date="03/2024",
            ),
        )
        assert link.start_date == "2024-03"
        with pytest.raises(Invalid) as wrong_way:
            service.create_link(
                session,
                actor=inv,
                link_in=LinkCreate(
                    type="uses_phone", source_entity_id=phone.id, target_entity_id=someone.id
                ),
            )
        assert wrong_way.value.field == "type"
        with pytest.raises(Invalid) as bad_date:
            person(session, inv, "Karim Idrissi", birthDate=["31/31/1990"])
        assert bad_date.value.field == "birthDate"
        detail = service.entity_detail(session, actor=inv, entity_id=someone.id)
        assert [lk.id for lk in detail.links] == [link.id]
        assert [e.id for e in detail.neighbours] == [phone.id]


def test_reads_and_writes_are_audited(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        inv = actor(session, "investigator.ma")
        entity = person(session, inv, "Hamza Ouali")
        service.get_entity(session, actor=inv, entity_id=entity.id)
        service.list_entities(session, actor=inv)
        service.candidates(session, actor=inv, schema_name="Person", properties={"name": ["X"]})
    with demo_db.unit_of_work() as session:
        actions = set(
            session.scalars(
                select(AuditEvent.action).where(AuditEvent.actor_username == "investigator.ma")
            )
        )
    assert {"entity.create", "entity.read", "entity.list"} <= actions


def test_reindex_rebuilds_the_same_digests(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        inv = actor(session, "investigator.ma")
        person(session, inv, "Hamza Ouali", birthDate=["1988"])
        before = {tuple(r) for r in session.execute(select(EntityKey.kind, EntityKey.digest))}
        assert service.reindex(session, actor=inv) == 1
        session.flush()
        after = {tuple(r) for r in session.execute(select(EntityKey.kind, EntityKey.digest))}
        assert after == before


def test_the_vocabulary_loader_rejects_unknown_names() -> None:
    good = {"schemata": {"Person": {"caption": ["name"], "properties": {"name": "name"}}}}
    with pytest.raises(ValueError, match="unknown type"):
        parse_vocabulary(
            {"schemata": {"X": {"caption": ["a"], "properties": {"a": "colour"}}}, "links": {}}
        )
    with pytest.raises(ValueError, match="unknown schema"):
        parse_vocabulary({**good, "links": {"owns": {"source": ["Person"], "target": ["Boat"]}}})
    with pytest.raises(ValueError, match="caption"):
        parse_vocabulary(
            {"schemata": {"X": {"caption": ["b"], "properties": {"a": "text"}}}, "links": {}}
        )


def test_the_synthetic_networks_share_phones_across_countries_but_not_their_records(
    demo_db: Database,
) -> None:
    with demo_db.unit_of_work() as session:
        counts = load_if_empty(session, actor=system_actor("test"), seed=5)
        assert counts["Person"] > 40
        assert not load_if_empty(session, actor=system_actor("test"))  # the demo loads it once
        assert counts["links"] > 60
        shared = session.execute(
            select(EntityKey.digest)
            .join(Entity, Entity.id == EntityKey.entity_id)
            .where(EntityKey.kind == "phone")
            .group_by(EntityKey.digest)
            .having(func.count(func.distinct(Entity.country)) > 1)
        ).all()
        assert len(shared) == 3  # each ring's recruiter phone, in its origin and transit files
        moroccan = actor(session, "investigator.ma")
        seen = service.list_entities(session, actor=moroccan, limit=500)
        assert seen and {e.country for e in seen} == {"MA"}
        links = service.visible_links(session, actor=moroccan)
        ids = {e.id for e in seen}
        assert links and all(
            lk.source_entity_id in ids and lk.target_entity_id in ids for lk in links
        )
