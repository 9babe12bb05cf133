"""The two attacks of the probe, replayed with direct SQL on both engines, and what verify says.

(a) change an event, recompute every later hash (plain SHA-256, or HMAC under a guessed key) and move
`audit_head`: before audit keys this passed as "intact"; now it is `rewritten` at that event.
(b) delete the last events and move `audit_head` back: now `truncated`, from the anchored checkpoint.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable

import pytest
from sqlalchemy import func, select, text

from jusoor.audit import service as audit
from jusoor.audit.chain import GENESIS, _payload, legacy_hash
from jusoor.audit.checkpoints import anchor, write_checkpoint
from jusoor.audit.models import AuditEvent
from jusoor.core.db import Database
from jusoor.core.permissions import system_actor
from tests.conftest import AUDIT_KEY

Hasher = Callable[[str, AuditEvent], tuple[str, str | None]]  # (hash, key_id) for a forged row


def _plain_sha256(prev: str, event: AuditEvent) -> tuple[str, str | None]:
    # The probe's attacker: recompute as the application did before audit keys, keeping the key id.
    return legacy_hash(prev, event), event.key_id


def _posing_as_legacy(prev: str, event: AuditEvent) -> tuple[str, str | None]:
    # Drop the key id so the row claims to be a pre-upgrade, plain SHA-256 event.
    return legacy_hash(prev, event), None


def _guessed_key(prev: str, event: AuditEvent) -> tuple[str, str | None]:
    kid = str(event.key_id)
    guess = hashlib.sha256(b"the attacker's best guess").digest()
    message = f"{kid}\n{prev}\n{_payload(event)}".encode()
    return hmac.new(guess, message, hashlib.sha256).hexdigest(), kid


def _last(db: Database) -> int:
    with db.unit_of_work() as session:
        return int(session.scalar(select(func.max(AuditEvent.seq))) or 0)


def _verify(db: Database) -> audit.Verification:
    with db.unit_of_work() as session:
        return audit.verify(session)


def _rewrite_from(db: Database, seq: int, hasher: Hasher) -> None:
    """Change event `seq`, re-link every later event with `hasher`, move the head: all with SQL."""
    with db.engine.begin() as sql:
        sql.execute(
            text("UPDATE audit_events SET actor_username = 'nobody' WHERE seq = :s"), {"s": seq}
        )
    with db.unit_of_work() as session:  # read the rows as the application would hash them
        before = session.get(AuditEvent, seq - 1)
        prev = before.hash if before else GENESIS
        rows = list(
            session.scalars(
                select(AuditEvent).where(AuditEvent.seq >= seq).order_by(AuditEvent.seq)
            )
        )
        updates = []
        for event in rows:
            event.prev_hash = prev
            new_hash, kid = hasher(prev, event)
            updates.append({"s": event.seq, "p": prev, "h": new_hash, "k": kid})
            prev = new_hash
        session.expunge_all()
    with db.engine.begin() as sql:
        sql.execute(
            text("UPDATE audit_events SET prev_hash = :p, hash = :h, key_id = :k WHERE seq = :s"),
            updates,
        )
        sql.execute(
            text("UPDATE audit_head SET last_seq = :s, last_hash = :h"),
            {"s": updates[-1]["s"], "h": prev},
        )


@pytest.mark.parametrize(
    "hasher", [_plain_sha256, _posing_as_legacy, _guessed_key], ids=["sha256", "legacy", "guessed"]
)
def test_a_changed_event_with_every_later_hash_recomputed_is_rewritten(
    demo_db: Database, hasher: Hasher
) -> None:
    last = _last(demo_db)
    assert _verify(demo_db).ok
    middle = last // 2
    _rewrite_from(demo_db, middle, hasher)
    result = _verify(demo_db)
    assert result.status is audit.Status.rewritten
    assert (result.first_bad_seq, result.events) == (middle, middle - 1)
    assert not result.ok


def test_rewriting_only_the_anchored_tip_is_rewritten(demo_db: Database) -> None:
    last = _last(demo_db)  # the fixture anchored exactly this event
    _rewrite_from(demo_db, last, _plain_sha256)
    result = _verify(demo_db)
    assert result.status is audit.Status.rewritten and result.first_bad_seq == last


def _truncate_to(db: Database, keep: int) -> None:
    """Delete every event after `keep` and move `audit_head` back to it: all with SQL."""
    with db.engine.begin() as sql:
        tip = sql.execute(text("SELECT hash FROM audit_events WHERE seq = :s"), {"s": keep})
        tip_hash = tip.scalar_one()
        sql.execute(text("DELETE FROM audit_events WHERE seq > :s"), {"s": keep})
        sql.execute(
            text("UPDATE audit_head SET last_seq = :s, last_hash = :h"), {"s": keep, "h": tip_hash}
        )


def test_deleting_the_last_events_and_moving_the_head_back_is_truncated(demo_db: Database) -> None:
    operator = system_actor("ops")
    with demo_db.unit_of_work() as session:
        for n in range(5):
            audit.record(session, actor=operator, action="case.read", object_id=str(n))
    done = anchor(demo_db, actor=operator)  # what `jusoor audit verify` or `serve` does
    assert done.written and done.result.ok
    last = _last(demo_db)
    _truncate_to(demo_db, last - 5)
    result = _verify(demo_db)
    assert result.status is audit.Status.truncated
    assert result.first_bad_seq == last - 4 and result.events == last - 5
    assert f"event {last} was anchored" in (result.reason or "")
    assert not anchor(demo_db, actor=None).written  # a cut log is never anchored


def test_events_after_the_last_checkpoint_verify_and_are_then_anchored(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        audit.record(session, actor=system_actor("ops"), action="case.read")
    result = _verify(demo_db)
    assert result.ok and result.checkpoints == 1 and result.events == _last(demo_db)
    assert write_checkpoint(result)
    assert not write_checkpoint(result)  # the head has not moved: no second line
    assert _verify(demo_db).checkpoints == 2


def test_the_test_audit_key_is_not_what_a_forger_guessed() -> None:
    # Guards the "guessed key" case above against being vacuous.
    key = base64.b64decode(AUDIT_KEY.split(":", 1)[1])
    assert key != hashlib.sha256(b"the attacker's best guess").digest()
