"""The audit trail is a hash chain: logins and administrative actions land in it, and any change,
removal or insertion made behind the application's back is found and named (both engines)."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from jusoor.agencies import service as agencies
from jusoor.agencies.models import AgencyKind
from jusoor.agencies.schemas import AgencyCreate, AgencyUpdate, UserCreate
from jusoor.audit import service as audit
from jusoor.audit.chain import keyed_hash, legacy_hash
from jusoor.audit.keys import audit_keyring
from jusoor.audit.models import AuditEvent
from jusoor.auth import credentials
from jusoor.auth import service as auth
from jusoor.core.db import Database, utcnow
from jusoor.core.permissions import system_actor
from tests.conftest import DEMO_PASSWORD


def _events(session: Session, after: int = 0) -> list[AuditEvent]:
    return list(
        session.scalars(select(AuditEvent).where(AuditEvent.seq > after).order_by(AuditEvent.seq))
    )


def _last_seq(db: Database) -> int:
    with db.unit_of_work() as session:
        return int(session.scalar(select(func.max(AuditEvent.seq))) or 0)


def _verify(db: Database) -> audit.Verification:
    with db.unit_of_work() as session:
        return audit.verify(session)


def test_login_success_and_failure_are_chained_events(demo_db: Database) -> None:
    start = _last_seq(demo_db)
    with demo_db.unit_of_work() as session:
        bad = auth.login(
            session,
            username="screener.eg",
            password="wrong",
            client_addr="10.0.0.1",
            request_id="r1",
        )
        nobody = auth.login(
            session, username="no.such.user", password="x", client_addr="10.0.0.1", request_id="r2"
        )
        good = auth.login(
            session,
            username="screener.eg",
            password=DEMO_PASSWORD,
            client_addr="10.0.0.1",
            request_id="r3",
        )
    assert bad.user is None and nobody.user is None and good.user is not None
    with demo_db.unit_of_work() as session:
        events = _events(session, start)
        assert [(e.action, e.outcome, e.request_id) for e in events] == [
            ("auth.login", "failure", "r1"),
            ("auth.login", "failure", "r2"),
            ("auth.login", "success", "r3"),
        ]
        assert audit.details_of(events[0]) == {"reason": "bad_password"}
        assert audit.details_of(events[1]) == {"reason": "unknown_user"}
        assert events[2].actor_username == "screener.eg" and events[2].country == "EG"
        for previous, event in itertools.pairwise(events):
            assert event.prev_hash == previous.hash
            assert event.seq == previous.seq + 1
        keys = audit_keyring()
        assert all(e.key_id == keys.primary_kid for e in events)
        assert all(e.hash == keyed_hash(keys, keys.primary_kid, e.prev_hash, e) for e in events)
    assert _verify(demo_db).ok


def test_administrative_actions_are_audited(demo_db: Database) -> None:
    start = _last_seq(demo_db)
    operator = system_actor("ops")
    with demo_db.unit_of_work() as session:
        agency = agencies.create_agency(
            session,
            actor=operator,
            agency_in=AgencyCreate(
                code="eg-audit-test",
                country="EG",
                kind=AgencyKind.ngo,
                name_ar="منظمة الاختبار",
                name_en="Test NGO",
                name_fr="ONG de test",
            ),
        )
        agencies.update_agency(
            session, actor=operator, agency_id=agency.id, agency_in=AgencyUpdate(name_en="NGO")
        )
        user, _ = agencies.create_user(
            session,
            actor=operator,
            user_in=UserCreate(
                username="audited.user",
                display_name="Audited User",
                agency_code="eg-audit-test",
                roles=["analyst"],
            ),
        )
        agencies.set_roles(session, actor=operator, user_id=user.id, roles=["analyst", "auditor"])
        credentials.reset_password(session, actor=operator, user_id=user.id)
        _, token = auth.create_token(session, actor=operator, user=user, name="t")
        auth.revoke_token(session, actor=operator, token_id=token.id)
        credentials.set_active(session, actor=operator, user_id=user.id, active=False)
    with demo_db.unit_of_work() as session:
        actions = [e.action for e in _events(session, start)]
    assert actions == [
        "agency.create",
        "agency.update",
        "user.create",
        "user.roles",
        "user.reset_password",
        "token.issue",
        "token.revoke",
        "user.disable",
    ]
    assert _verify(demo_db).ok


# Tampering -----------------------------------------------------------------------------------


def _sql(db: Database, statement: str, **params: object) -> None:
    with db.engine.begin() as connection:
        connection.execute(text(statement), params)


def _alter_details(db: Database, seq: int) -> None:
    _sql(db, "UPDATE audit_events SET details = :d WHERE seq = :s", d='{"forged":true}', s=seq)


def _alter_actor(db: Database, seq: int) -> None:
    _sql(db, "UPDATE audit_events SET actor_username = 'someone' WHERE seq = :s", s=seq)


def _delete(db: Database, seq: int) -> None:
    _sql(db, "DELETE FROM audit_events WHERE seq = :s", s=seq)


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [(_alter_details, "content"), (_alter_actor, "content"), (_delete, "missing")],
    ids=["details", "actor", "delete"],
)
def test_changing_or_removing_a_middle_event_is_named(
    demo_db: Database, tamper: Callable[[Database, int], None], reason: str
) -> None:
    last = _last_seq(demo_db)
    assert last > 10 and _verify(demo_db).ok
    middle = last // 2
    tamper(demo_db, middle)
    result = _verify(demo_db)
    assert not result.ok
    assert result.first_bad_seq == middle
    assert reason in (result.reason or "")
    assert result.events == middle - 1


def test_removing_the_last_event_is_found(demo_db: Database) -> None:
    last = _last_seq(demo_db)
    _delete(demo_db, last)
    result = _verify(demo_db)
    assert result.status is audit.Status.truncated
    assert result.first_bad_seq == last
    assert "cut from the end" in (result.reason or "")


def _forge(session: Session, seq: int, prev_hash: str) -> AuditEvent:
    forged = AuditEvent(
        seq=seq,
        id=uuid.uuid4(),
        at=utcnow(),
        actor_id=None,
        actor_username="admin",
        agency_id=None,
        country=None,
        action="user.create",
        object_type="user",
        object_id=str(uuid.uuid4()),
        outcome="success",
        client_addr=None,
        request_id=None,
        details="{}",
        prev_hash=prev_hash,
    )
    # A careful forger computes the hash as the application did before audit keys.
    forged.hash = legacy_hash(prev_hash, forged)
    return forged


def test_a_forged_event_appended_outside_the_app_is_named(demo_db: Database) -> None:
    last = _last_seq(demo_db)
    with demo_db.unit_of_work() as session:
        tip = session.get(AuditEvent, last)
        assert tip is not None
        session.add(_forge(session, last + 1, tip.hash))
    result = _verify(demo_db)
    assert not result.ok
    assert result.first_bad_seq == last + 1


def test_a_forged_event_slipped_into_a_gap_is_named(demo_db: Database) -> None:
    last = _last_seq(demo_db)
    middle = last // 2
    _delete(demo_db, middle)
    with demo_db.unit_of_work() as session:
        before = session.get(AuditEvent, middle - 1)
        assert before is not None
        session.add(_forge(session, middle, before.hash))
    result = _verify(demo_db)
    # The forged event chains onto its predecessor, but it carries no audit key (a forger has none).
    assert result.status is audit.Status.rewritten
    assert result.first_bad_seq == middle


def test_rewriting_the_last_event_with_a_fresh_hash_is_named(demo_db: Database) -> None:
    last = _last_seq(demo_db)
    with demo_db.unit_of_work() as session:
        tip = session.get(AuditEvent, last)
        assert tip is not None
        tip.details = '{"rewritten":true}'
        tip.hash = legacy_hash(tip.prev_hash, tip)
    result = _verify(demo_db)
    assert not result.ok
    assert result.first_bad_seq == last


def test_the_chain_of_an_empty_database_verifies(database: Database) -> None:
    result = _verify(database)
    assert result.ok and result.events == 0


def test_verifying_for_a_user_needs_audit_read_and_is_audited(demo_db: Database) -> None:
    from jusoor.agencies.service import actor_for, get_user_by_username
    from jusoor.core.errors import Forbidden

    with demo_db.unit_of_work() as session:
        screener = get_user_by_username(session, "screener.ma")
        auditor = get_user_by_username(session, "auditor.ma")
        assert screener is not None and auditor is not None
        with pytest.raises(Forbidden):
            audit.verify(session, actor=actor_for(screener, via="session"))
        before = _events(session)[-1].seq
        assert audit.verify(session, actor=actor_for(auditor, via="session")).ok
        event = _events(session, before)[0]
        assert (event.action, event.actor_username, event.outcome) == (
            "audit.verify",
            "auditor.ma",
            "success",
        )
