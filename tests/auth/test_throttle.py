"""Slowing guessing without locking people out (ASVS 2.2.1): a pair of username and address slows
down exponentially; an attacker elsewhere, or an office's neighbours, do not stop a person; one
account guessed from many addresses is still slowed; never longer than minutes; an administrator
can lift it; the answers are translated, say when to retry, and say nothing about the account."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from jusoor.audit.models import AuditEvent
from jusoor.auth import service as auth
from jusoor.auth import throttle
from jusoor.auth.models import LoginAttempt
from jusoor.core.config import get_settings
from jusoor.core.db import Database, utcnow
from jusoor.core.i18n import use_locale
from tests.conftest import DEMO_PASSWORD
from tests.support.web import translated

OFFICE = "203.0.113.7"
ELSEWHERE = "198.51.100.1"
LOCKED = "Too many failed attempts. Try again in %(minutes)s minutes."


def _login(db: Database, username: str, password: str, addr: str | None) -> auth.LoginResult:
    with db.unit_of_work() as session:
        return auth.login(
            session, username=username, password=password, client_addr=addr, request_id=None
        )


def _fail(db: Database, username: str, addr: str, times: int = 1) -> None:
    for _ in range(times):
        result = _login(db, username, "not the password", addr)
        assert result.user is None


def _failures_at(db: Database, rows: list[tuple[str, str]], ago: dt.timedelta) -> None:
    """Failed attempts (username, address) recorded `ago`, as if made then."""
    with db.unit_of_work() as session:
        for username, addr in rows:
            session.add(
                LoginAttempt(
                    username=username, client_addr=addr, succeeded=False, at=utcnow() - ago
                )
            )


def _age(db: Database, by: dt.timedelta) -> None:
    """Move every recorded attempt `by` into the past, as if that time had gone by."""
    with db.unit_of_work() as session:
        for attempt in session.scalars(select(LoginAttempt)):
            attempt.at = attempt.at - by


def _wait_minutes(db: Database, username: str, addr: str) -> int:
    with db.unit_of_work() as session:
        return throttle.check(
            session, username=username, client_addr=addr, settings=get_settings()
        ).minutes()


def test_the_pair_waits_one_minute_after_five_failures_then_doubles_up_to_a_cap(
    demo_db: Database,
) -> None:
    cap = get_settings().login_lockout_minutes
    assert cap == 15
    waits = []
    for _ in range(12):
        _failures_at(demo_db, [("caseworker.eg", OFFICE)], dt.timedelta(seconds=1))
        waits.append(_wait_minutes(demo_db, "caseworker.eg", OFFICE))
    assert waits == [0, 0, 0, 0, 1, 2, 4, 8, 15, 15, 15, 15]
    # Never a lasting lock: once the wait has passed, the right password signs in.
    _age(demo_db, dt.timedelta(minutes=cap, seconds=1))
    assert _login(demo_db, "caseworker.eg", DEMO_PASSWORD, OFFICE).user is not None


def test_an_attempt_while_slowed_counts_and_the_answer_says_the_whole_wait(
    demo_db: Database,
) -> None:
    _fail(demo_db, "caseworker.eg", OFFICE, 5)
    refused = _login(demo_db, "caseworker.eg", DEMO_PASSWORD, OFFICE)  # the sixth attempt
    assert refused.user is None and refused.locked_minutes == 2
    assert refused.error == LOCKED % {"minutes": 2}
    _age(demo_db, dt.timedelta(minutes=2, seconds=1))  # waiting as told is enough
    assert _login(demo_db, "caseworker.eg", DEMO_PASSWORD, OFFICE).user is not None


def test_a_completed_sign_in_resets_the_pair(demo_db: Database) -> None:
    _fail(demo_db, "caseworker.eg", OFFICE, 4)
    assert _login(demo_db, "caseworker.eg", DEMO_PASSWORD, OFFICE).user is not None
    _fail(demo_db, "caseworker.eg", OFFICE, 4)  # four more: not five since the sign-in
    assert _login(demo_db, "caseworker.eg", DEMO_PASSWORD, OFFICE).user is not None


def test_a_attacker_on_admin_from_one_address_does_not_stop_admin_elsewhere(
    demo_db: Database,
) -> None:
    _fail(demo_db, "admin", OFFICE, 5)
    assert _login(demo_db, "admin", DEMO_PASSWORD, OFFICE).locked_minutes
    # The password step passes from another address (the second factor follows).
    assert _login(demo_db, "admin", DEMO_PASSWORD, ELSEWHERE).user is not None


def test_b_failures_on_many_usernames_from_an_office_do_not_stop_its_people(
    demo_db: Database,
) -> None:
    assert _login(demo_db, "screener.eg", DEMO_PASSWORD, OFFICE).user is not None  # a regular
    per_address = get_settings().login_max_failures * throttle.ADDRESS_FAILURE_FACTOR
    for i in range(per_address):
        _fail(demo_db, f"typo{i}", OFFICE)
    # Someone who signs in from this office: no delay at all.
    assert _login(demo_db, "screener.eg", DEMO_PASSWORD, OFFICE).user is not None
    # Someone new at this office: a short, bounded delay, then in.
    newcomer = _login(demo_db, "analyst.eg", DEMO_PASSWORD, OFFICE)
    cap = int(throttle.ADDRESS_DELAY_CAP.total_seconds() // 60)
    assert newcomer.user is None and newcomer.locked_minutes and newcomer.locked_minutes <= cap
    assert _login(demo_db, "analyst.eg", DEMO_PASSWORD, ELSEWHERE).user is not None
    _age(demo_db, throttle.ADDRESS_DELAY_CAP + dt.timedelta(seconds=1))
    assert _login(demo_db, "analyst.eg", DEMO_PASSWORD, OFFICE).user is not None


def test_c_one_account_guessed_from_many_addresses_is_still_slowed(demo_db: Database) -> None:
    assert _login(demo_db, "caseworker.tn", DEMO_PASSWORD, OFFICE).user is not None
    per_account = get_settings().login_max_failures * throttle.ACCOUNT_FAILURE_FACTOR
    botnet = [f"192.0.2.{i}" for i in range(per_account)]
    for addr in botnet:  # one failure per address: no pair reaches its limit
        _fail(demo_db, "caseworker.tn", addr)
    fresh = _login(demo_db, "caseworker.tn", DEMO_PASSWORD, "192.0.2.250")
    assert fresh.user is None and fresh.locked_minutes
    assert fresh.locked_minutes <= get_settings().login_lockout_minutes
    # The owner, from where they usually sign in, is not stopped.
    assert _login(demo_db, "caseworker.tn", DEMO_PASSWORD, OFFICE).user is not None
    # It lifts within minutes.
    _age(demo_db, dt.timedelta(minutes=get_settings().login_lockout_minutes, seconds=1))
    assert _login(demo_db, "caseworker.tn", DEMO_PASSWORD, "192.0.2.250").user is not None


def test_a_known_address_with_a_wrong_password_gets_the_throttled_answer(
    demo_db: Database,
) -> None:
    """No enumeration: under the address limit, a username known here and one never seen get the
    same answer to a wrong password."""
    assert _login(demo_db, "screener.eg", DEMO_PASSWORD, OFFICE).user is not None
    per_address = get_settings().login_max_failures * throttle.ADDRESS_FAILURE_FACTOR
    for i in range(per_address):
        _fail(demo_db, f"spray{i}", OFFICE)
    before = _failure_count(demo_db)
    known = _login(demo_db, "screener.eg", "Spring2026!", OFFICE)
    assert _failure_count(demo_db) == before + 1
    unknown = _login(demo_db, "nobody.here", "Spring2026!", OFFICE)
    assert _failure_count(demo_db) == before + 2
    for result in (known, unknown):
        assert result.user is None and result.locked_minutes
        assert result.error == LOCKED % {"minutes": result.locked_minutes}


def _failure_count(db: Database) -> int:
    with db.unit_of_work() as session:
        return len(session.scalars(select(LoginAttempt).where(~LoginAttempt.succeeded)).all())


def test_a_second_factor_user_is_not_reset_by_the_password_alone(demo_db: Database) -> None:
    """The password step of a user who needs a second factor does not complete a sign-in, so
    it does not reset the count of failures (wrong codes count as failures too)."""
    _fail(demo_db, "admin", OFFICE, 4)
    assert _login(demo_db, "admin", DEMO_PASSWORD, OFFICE).user is not None  # password step
    _fail(demo_db, "admin", OFFICE)
    assert _login(demo_db, "admin", DEMO_PASSWORD, OFFICE).locked_minutes


def test_the_throttled_answer_is_translated(demo_db: Database) -> None:
    _fail(demo_db, "caseworker.eg", OFFICE, 5)
    for locale in ("ar", "fr"):
        with use_locale(locale):
            result = _login(demo_db, "caseworker.eg", DEMO_PASSWORD, OFFICE)
        assert result.error == translated(LOCKED, locale, minutes=result.locked_minutes)


def test_refusals_are_audited_without_naming_the_account(demo_db: Database) -> None:
    _fail(demo_db, "caseworker.eg", OFFICE, 5)
    _login(demo_db, "caseworker.eg", DEMO_PASSWORD, OFFICE)
    with demo_db.unit_of_work() as session:
        event = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "auth.login")
            .order_by(AuditEvent.seq.desc())
        ).first()
        assert event is not None
        assert (event.outcome, event.details, event.object_id) == (
            "denied",
            '{"reason":"locked_out"}',
            None,
        )
