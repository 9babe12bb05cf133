"""Slowing password and code guessing without locking people out (OWASP ASVS 4.0.3 V2.2.1).

Three counters of failed attempts (passwords and second-factor codes alike), each giving a delay
that starts at one minute and doubles with every further failure, up to a cap of minutes, never
a lasting lock:

- per (username, address): `login_max_failures` failures since the pair's last completed sign-in
  (so an attacker on `admin` from address A slows only that pair; admin at B is not affected);
- per username, across addresses: `ACCOUNT_FAILURE_FACTOR` times as many, within a day, so that
  guessing one account from many addresses is still slowed;
- per address, across usernames: `ADDRESS_FAILURE_FACTOR` times as many, within the login
  window, capped at `ADDRESS_DELAY_CAP`, so that spraying one password over many accounts is slowed
  while an office behind one address waits at most that short delay.

A username that has completed a sign-in from this address within `KNOWN_ADDRESS_DAYS` (a "known
address", the address-level analogue of OWASP's device cookie) is exempt from the account and
address counters: an attacker elsewhere, or colleagues mistyping at the same office, do not stop
it. It is never exempt from its own pair counter. A wrong password on an exempt username is
answered like any throttled one, and a throttled answer costs a password hash like a real check, so
neither the message nor the timing says which accounts exist or sign in from where (OWASP
Authentication Cheat Sheet, "Authentication Responses").

A wrong current password on the profile page counts too (auth.credentials.change_own_password).
The counters read `login_attempts`; the middleware's per-minute request limit (web.ratelimit) is
a separate, coarser guard.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from jusoor.auth.models import LoginAttempt
from jusoor.core.config import Settings
from jusoor.core.db import utcnow

ACCOUNT_FAILURE_FACTOR = 4
ADDRESS_FAILURE_FACTOR = 4
FIRST_DELAY = dt.timedelta(minutes=1)
ADDRESS_DELAY_CAP = dt.timedelta(minutes=2)
MEMORY = dt.timedelta(days=1)  # how long a failure counts (prune() drops older ones)
KNOWN_ADDRESS_DAYS = 30  # how long a completed sign-in makes its address known for the username


@dataclass(frozen=True)
class Throttle:
    """When the next attempt is allowed, and whether a correct password may still pass now."""

    until: dt.datetime | None
    # Throttled only by the account or address counter, for a username known at this address:
    # the password is checked; a correct one signs in, a wrong one gets the throttled answer.
    known_exempt: bool = False

    @property
    def refused(self) -> bool:
        return self.until is not None and not self.known_exempt

    def minutes(self, now: dt.datetime | None = None) -> int:
        """Whole minutes to wait, rounded up, at least one."""
        if self.until is None:
            return 0
        seconds = (self.until - (now or utcnow())).total_seconds()
        return max(1, int(-(-seconds // 60)))


def _delay(failures: int, threshold: int, cap: dt.timedelta) -> dt.timedelta | None:
    if failures < threshold:
        return None
    doublings = min(failures - threshold, 16)  # 2**16 minutes is far past any cap
    delay: dt.timedelta = FIRST_DELAY * (2**doublings)
    return min(delay, cap)


def _failures(
    session: Session, since: dt.datetime, **where: str | None
) -> tuple[int, dt.datetime | None]:
    """How many failures match `where` since `since`, and when the latest was."""
    stmt = select(func.count(), func.max(LoginAttempt.at)).where(
        LoginAttempt.succeeded.is_(False), LoginAttempt.at >= since
    )
    for column, value in where.items():
        stmt = stmt.where(getattr(LoginAttempt, column) == value)
    count, latest = session.execute(stmt).one()
    return int(count or 0), latest


def _last_success(session: Session, username: str, client_addr: str | None) -> dt.datetime | None:
    stmt = select(func.max(LoginAttempt.at)).where(
        LoginAttempt.succeeded.is_(True),
        LoginAttempt.username == username,
        LoginAttempt.client_addr == client_addr,
    )
    return session.scalar(stmt)


def _later(a: dt.datetime | None, b: dt.datetime | None) -> dt.datetime | None:
    return b if a is None else a if b is None else max(a, b)


def check(
    session: Session, *, username: str, client_addr: str | None, settings: Settings
) -> Throttle:
    """The throttle on one more attempt by `username` from `client_addr`, now."""
    now = utcnow()
    lockout_cap = dt.timedelta(minutes=settings.login_lockout_minutes)
    threshold = settings.login_max_failures
    last_success = _last_success(session, username, client_addr) if client_addr else None
    known = last_success is not None and last_success >= now - dt.timedelta(days=KNOWN_ADDRESS_DAYS)

    def until(
        count: int, latest: dt.datetime | None, limit: int, cap: dt.timedelta
    ) -> dt.datetime | None:
        delay = _delay(count, limit, cap)
        if delay is None or latest is None or latest + delay <= now:
            return None
        return latest + delay

    # The pair: failures since its last completed sign-in, within the memory.
    since = _later(now - MEMORY, last_success)
    assert since is not None
    pair = until(
        *_failures(session, since, username=username, client_addr=client_addr),
        threshold,
        lockout_cap,
    )
    if pair is not None:
        return Throttle(pair)
    broad = until(
        *_failures(session, now - MEMORY, username=username),
        threshold * ACCOUNT_FAILURE_FACTOR,
        lockout_cap,
    )
    if client_addr:
        window = now - dt.timedelta(minutes=settings.login_window_minutes)
        broad = _later(
            broad,
            until(
                *_failures(session, window, client_addr=client_addr),
                threshold * ADDRESS_FAILURE_FACTOR,
                ADDRESS_DELAY_CAP,
            ),
        )
    return Throttle(broad, known_exempt=broad is not None and known)


def record(session: Session, *, username: str, client_addr: str | None, succeeded: bool) -> None:
    """Count one attempt. A success here means a completed sign-in (both factors when needed)."""
    session.add(LoginAttempt(username=username, client_addr=client_addr, succeeded=succeeded))


def clear_failures(session: Session, *, username: str) -> int:
    """Forget the username's failures from every address (an administrator's unlock)."""
    result = session.execute(
        delete(LoginAttempt).where(
            LoginAttempt.username == username, LoginAttempt.succeeded.is_(False)
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


def prune(session: Session, now: dt.datetime) -> list[int]:
    """Drop failures older than the memory and successes older than the known-address time."""
    counts = []
    for stmt in (
        delete(LoginAttempt).where(
            LoginAttempt.succeeded.is_(False), LoginAttempt.at < now - MEMORY
        ),
        delete(LoginAttempt).where(LoginAttempt.at < now - dt.timedelta(days=KNOWN_ADDRESS_DAYS)),
    ):
        counts.append(int(getattr(session.execute(stmt), "rowcount", 0) or 0))
    return counts
