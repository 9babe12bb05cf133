"""`jusoor demo load --cases N` (jusoor.synth.scale): a small caseload on both engines, read back
through the normal services, with a chain that verifies, and nothing kept when a load fails."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jusoor.agencies.models import User
from jusoor.agencies.service import actor_for
from jusoor.audit.checkpoints import anchor
from jusoor.audit.models import AuditEvent, AuditHead
from jusoor.cases import service as cases
from jusoor.cases.models import Case, CaseEvent, CaseTask, Consent
from jusoor.cases.schemas import CaseCreate
from jusoor.core.db import Database
from jusoor.core.permissions import system_actor
from jusoor.entities.case_persons import case_values, read_profile
from jusoor.entities.matching import matchkeys
from jusoor.entities.models import Entity, EntityKey, Link
from jusoor.entities.schemata import clean, schema
from jusoor.referrals.models import Transition, TransitionMove
from jusoor.screening.identification import FINAL
from jusoor.screening.models import Identification, Screening
from jusoor.synth.scale import tables
from jusoor.synth.scale.loader import load
from tests.conftest import DEMO_PASSWORD

CASES = 200


def _load(db: Database, **options: object) -> None:
    load(
        db,
        actor=system_actor("test"),
        password=DEMO_PASSWORD,
        cases=int(options.pop("cases", CASES)),  # type: ignore[call-overload]
        seed=5,
        audit_events=300,
        batch=64,  # several batches
    )


def _count(session: Session, model: type) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_scale_load_writes_a_caseload_the_services_read(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        events_before = _count(session, AuditEvent)
    _load(demo_db)
    with demo_db.unit_of_work() as session:
        assert _count(session, Case) == CASES
        opened = session.scalar(
            select(func.count()).select_from(CaseEvent).where(CaseEvent.kind == "opened")
        )
        assert opened == CASES
        assert _count(session, Screening) > CASES // 4
        assert _count(session, Identification) > 0
        # A screening with a final decision is out of the identification queue's index, as
        # `identification.decide` leaves it; one without stays in.
        final = set(
            session.scalars(
                select(Identification.screening_id).where(Identification.status.in_(FINAL))
            )
        )
        flags = dict(session.execute(select(Screening.id, Screening.decided_final)).all())
        assert final and all(flags[s] for s in final)
        assert not any(flag for sid, flag in flags.items() if sid not in final)
        assert _count(session, Consent) >= CASES
        assert _count(session, Transition) > 0
        assert _count(session, TransitionMove) >= _count(session, Transition)
        assert _count(session, CaseTask) > 0
        assert _count(session, AuditEvent) >= events_before + 300
        # Every referral, task and event hangs on a loaded case.
        ids = set(session.scalars(select(Case.id)))
        assert set(session.scalars(select(Transition.case_id))) <= ids
        assert set(session.scalars(select(CaseEvent.case_id))) <= ids
        # Cases are spread over countries, years, agencies and owners; references are unique.
        assert len(set(session.scalars(select(Case.country)))) >= 5
        assert len(set(session.scalars(select(Case.owner_id)))) >= 10
        assert len({r[3:7] for r in session.scalars(select(Case.reference))}) >= 3
        # A working node: open referrals past their deadline, tasks overdue.
        statuses = set(session.scalars(select(Transition.status)))
        assert {"requested", "completed"} <= statuses

        case = session.scalars(
            select(Case).where(Case.aliases.is_not(None)).order_by(Case.reference)
        ).first()
        assert case is not None
        owner = session.get(User, case.owner_id)
        assert owner is not None and "case_worker" in owner.roles
        actor = actor_for(owner, via="test")
        file = cases.get_case(session, actor=actor, case_id=case.id)
        assert file.whole and file.case.name  # decrypted with the node's data key
        records = cases.records_of(session, file)
        assert records.timeline[0].kind == "opened"
        # Its person is in the entity store with the keys the app computes for that profile.
        person = session.scalars(
            select(Entity).where(Entity.case_id == case.id, Entity.schema == "Person")
        ).one()
        profile = read_profile(case_values(case), case.country)
        cleaned = clean(schema("Person").properties, profile.person, person.country).properties
        assert person.properties == cleaned
        stored = set(
            session.execute(
                select(EntityKey.kind, EntityKey.digest).where(EntityKey.entity_id == person.id)
            )
        )
        assert stored == matchkeys.digests("Person", cleaned, person.country)
        # A search by alias meets that person (the blind index of the case's person).
        alias = case.aliases.split(",")[0]
        wanted = matchkeys.query_keys(alias, case.country)
        found = set(
            session.scalars(
                select(Entity.case_id)
                .join(EntityKey, EntityKey.entity_id == Entity.id)
                .where(EntityKey.digest.in_([d for _k, d in wanted]))
            )
        )
        assert case.id in found
        # Identifiers (phones, documents) are linked to the person as index_case links them.
        for link in session.scalars(select(Link).where(Link.case_id == case.id)):
            assert link.source_entity_id == person.id
        # The next case opened through the service gets a fresh reference.
        new = cases.open_case(
            session,
            actor=actor,
            case_in=CaseCreate(gender="feminine", name="Test", agency_code=owner.agency.code),
        )
        assert new.reference not in set(
            session.scalars(select(Case.reference).where(Case.id != new.id))
        )
    anchored = anchor(demo_db, actor=None)
    assert anchored.result.ok, anchored.result


def test_scale_load_keeps_nothing_when_it_fails(
    demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with demo_db.unit_of_work() as session:
        before = {m.__name__: _count(session, m) for m in (Case, User, AuditEvent, Entity)}
        head = session.get(AuditHead, 1)
        head_before = (head.last_seq, head.last_hash) if head else None
    calls = {"n": 0}

    def failing(self: object, table: object, rows: object) -> None:
        if getattr(table, "name", "") == "case_events":
            calls["n"] += 1
            if calls["n"] == 2:  # half way: cases of the first batch are already written
                raise RuntimeError("disk full")
        real[type(self)](self, table, rows)  # type: ignore[arg-type]

    real = {tables.CoreWriter: tables.CoreWriter.write, tables.CopyWriter: tables.CopyWriter.write}
    monkeypatch.setattr(tables.CoreWriter, "write", failing)
    monkeypatch.setattr(tables.CopyWriter, "write", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        _load(demo_db)
    assert calls["n"] == 2
    with demo_db.unit_of_work() as session:
        after = {m.__name__: _count(session, m) for m in (Case, User, AuditEvent, Entity)}
        head = session.get(AuditHead, 1)
        assert ((head.last_seq, head.last_hash) if head else None) == head_before
    assert after == before
