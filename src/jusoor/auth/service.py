"""Who is this? Passwords with throttling, server-side sessions, the second factor, API tokens.

Follows OWASP ASVS level 2, chapters 2 (authentication) and 3 (session management).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import CursorResult, delete, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Update

from jusoor.agencies.models import User
from jusoor.agencies.service import get_user_by_username
from jusoor.audit import service as audit
from jusoor.auth import throttle
from jusoor.auth.models import WebSession
from jusoor.auth.one_time import claim_totp_step
from jusoor.auth.tokens import (  # token functions live there; callers also find them here
    TOKEN_PREFIX,
    create_token,
    issue_token,
    list_tokens,
    mfa_required,
    resolve_token,
    revoke_all_tokens,
    revoke_token,
)
from jusoor.core import reading
from jusoor.core.config import Settings, get_settings
from jusoor.core.db import utcnow
from jusoor.core.errors import Invalid
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.core.security import issued, passwords, secrets, totp

__all__ = [
    "TOKEN_PREFIX",
    "LoginResult",
    "begin_enrolment",
    "check_second_factor",
    "confirm_enrolment",
    "count_active_sessions",
    "create_token",
    "end_all_sessions",
    "end_session",
    "issue_token",
    "list_tokens",
    "login",
    "mfa_required",
    "prune",
    "resolve_session",
    "resolve_token",
    "revoke_all_tokens",
    "revoke_token",
    "rotate_session",
    "start_session",
    "throttled_message",
]


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    error: str | None = None
    locked_minutes: int | None = None


def throttled_message(minutes: int) -> str:
    """The answer to a throttled attempt: when to retry, and nothing about the account."""
    return _("Too many failed attempts. Try again in %(minutes)s minutes.", minutes=minutes)


def login(
    session: Session,
    *,
    username: str,
    password: str,
    client_addr: str | None,
    request_id: str | None,
) -> LoginResult:
    """Check a username and password. The caller commits either way: failures are recorded too.

    The same message answers an unknown user, a wrong password and a disabled account, so the
    form does not reveal which accounts exist (ASVS 2.2.3 / 3.2).
    """
    settings = get_settings()
    username = username.strip().lower()[:64]
    anonymous = Actor(
        user_id=None,
        username=username or "anonymous",
        agency_id=None,
        country=None,
        via="session",
        client_addr=client_addr,
        request_id=request_id,
    )
    limit = throttle.check(session, username=username, client_addr=client_addr, settings=settings)
    if limit.refused:
        passwords.verify_password(None, password)  # the same cost as a real check
        audit.record(
            session,
            actor=anonymous,
            action="auth.login",
            outcome="denied",
            details={"reason": "locked_out"},
        )
        return _throttled(session, username, client_addr, settings)
    user = get_user_by_username(session, username) if username else None
    ok = passwords_ok = False
    if user is not None:
        passwords_ok = passwords.verify_password(user.password_hash, password)
        ok = passwords_ok and user.active and user.agency.active
        if passwords_ok and user.password_hash and passwords.needs_rehash(user.password_hash):
            user.password_hash = passwords.hash_password(password)
    else:
        passwords.verify_password(None, password)  # same cost as a real check
    if not ok:
        throttle.record(session, username=username, client_addr=client_addr, succeeded=False)
        reason = (
            "unknown_user" if user is None else ("disabled" if passwords_ok else "bad_password")
        )
        audit.record(
            session,
            actor=anonymous,
            action="auth.login",
            outcome="failure",
            object_type="user",
            object_id=user.id if user else None,
            details={"reason": reason},
        )
        if limit.until is not None:  # a known address let through: answer like any throttled one
            return _throttled(session, username, client_addr, settings, record=False)
        return LoginResult(None, _("Wrong username or password."))
    assert user is not None
    if not mfa_required(user, settings):  # else the sign-in completes at the second factor
        throttle.record(session, username=username, client_addr=client_addr, succeeded=True)
    user.last_login_at = utcnow()
    audit.record(
        session,
        actor=_actor(user, client_addr, request_id),
        action="auth.login",
        object_type="user",
        object_id=user.id,
    )
    return LoginResult(user)


def _throttled(
    session: Session,
    username: str,
    client_addr: str | None,
    settings: Settings,
    *,
    record: bool = True,
) -> LoginResult:
    """The answer to an attempt while slowed. Every such attempt counts as a failure, whatever
    the password: counting only wrong ones would tell a guesser which one was right, and counting
    a known address's wrong password but not a refusal would tell which usernames sign in here.
    The wait is computed after counting, so waiting as told is enough."""
    if record:
        throttle.record(session, username=username, client_addr=client_addr, succeeded=False)
    limit = throttle.check(session, username=username, client_addr=client_addr, settings=settings)
    minutes = max(1, limit.minutes())
    return LoginResult(None, throttled_message(minutes), minutes)


def _actor(
    user: User, client_addr: str | None, request_id: str | None, via: str = "session"
) -> Actor:
    from jusoor.agencies.service import actor_for

    return actor_for(user, via=via, client_addr=client_addr, request_id=request_id)


# Sessions ------------------------------------------------------------------------------------


def start_session(
    session: Session, *, user: User, client_addr: str | None, user_agent: str | None
) -> tuple[str, WebSession]:
    """A new session (a fresh id at every login: no fixation, ASVS 3.2.1); returns the cookie value."""
    settings = get_settings()
    token = issued.new_credential()
    now = utcnow()
    web = WebSession(
        token_digest=secrets.digest(token),
        user_id=user.id,
        mfa_passed=not mfa_required(user, settings),
        created_at=now,
        last_seen_at=now,
        expires_at=now + dt.timedelta(minutes=settings.session_absolute_minutes),
        client_addr=client_addr,
        user_agent=(user_agent or "")[:300],
    )
    session.add(web)
    session.flush()
    return token, web


def resolve_session(session: Session, token: str) -> tuple[WebSession, User] | None:
    """The live session behind a cookie value, enforcing idle and absolute time-outs."""
    settings = get_settings()
    web = session.scalars(
        select(WebSession).where(WebSession.token_digest == secrets.digest(token))
    ).first()
    if web is None:
        return None
    now = utcnow()
    idle = dt.timedelta(minutes=settings.session_idle_minutes)
    user = session.get(User, web.user_id)
    expired = web.expires_at <= now or web.last_seen_at + idle <= now
    if expired or user is None or not user.active or not user.agency.active:
        session.delete(web)
        return None
    if now - web.last_seen_at > dt.timedelta(seconds=60):  # avoid a write on every request
        # On SQLite a page's reading unit stamps just before its commit (`core.reading.write_late`):
        # a changed row here would take the writer's lock at the page's first query and hold it
        # while the page counts and renders.
        stamp = update(WebSession).where(WebSession.id == web.id).values(last_seen_at=now)
        if not reading.write_late(session, lambda s: _stamp(s, stamp)):
            web.last_seen_at = now
    return web, user


def _stamp(session: Session, stamp: Update) -> None:
    session.execute(stamp.execution_options(synchronize_session=False))


def rotate_session(session: Session, web: WebSession) -> str:
    """Give a session a new id after a privilege change (second factor passed)."""
    token = issued.new_credential()
    web.token_digest = secrets.digest(token)
    return token


def end_session(session: Session, *, token: str, actor: Actor | None) -> None:
    web = session.scalars(
        select(WebSession).where(WebSession.token_digest == secrets.digest(token))
    ).first()
    if web is not None:
        session.delete(web)
        audit.record(
            session, actor=actor, action="auth.logout", object_type="user", object_id=web.user_id
        )


def end_all_sessions(session: Session, *, user_id: uuid.UUID, keep: uuid.UUID | None = None) -> int:
    """End the user's sessions (all but `keep`, when given); returns how many ended."""
    stmt = delete(WebSession).where(WebSession.user_id == user_id)
    if keep is not None:
        stmt = stmt.where(WebSession.id != keep)
    result = session.execute(stmt)
    return result.rowcount if isinstance(result, CursorResult) else 0


# Second factor -------------------------------------------------------------------------------


def begin_enrolment(session: Session, *, user: User) -> str:
    """A new pending TOTP secret (kept until confirmed with a valid code)."""
    if user.totp_pending_secret is None:
        user.totp_pending_secret = totp.new_secret()
    return user.totp_pending_secret


def confirm_enrolment(
    session: Session, *, user: User, web: WebSession, code: str, actor: Actor
) -> None:
    secret = user.totp_pending_secret
    step = totp.verify(secret, code, last_used_step=None) if secret else None
    if secret is None or step is None:
        audit.record(
            session,
            actor=actor,
            action="auth.mfa_enrol",
            outcome="failure",
            object_type="user",
            object_id=user.id,
        )
        raise Invalid(
            "code", _("This code is not valid. Check the time on your phone and try again.")
        )
    user.totp_secret, user.totp_pending_secret, user.totp_last_step = secret, None, step
    web.mfa_passed = True
    throttle.record(session, username=user.username, client_addr=actor.client_addr, succeeded=True)
    audit.record(
        session, actor=actor, action="auth.mfa_enrol", object_type="user", object_id=user.id
    )


def check_second_factor(
    session: Session, *, user: User, web: WebSession, code: str, actor: Actor
) -> bool:
    """Verify a TOTP code; failures count toward the same lock-out as passwords."""
    step = (
        totp.verify(user.totp_secret, code, last_used_step=user.totp_last_step)
        if user.totp_secret
        else None
    )
    if step is not None and not claim_totp_step(session, user, step):
        step = None  # the same code, used by another request a moment ago
    throttle.record(
        session, username=user.username, client_addr=actor.client_addr, succeeded=step is not None
    )
    if step is None:
        audit.record(
            session,
            actor=actor,
            action="auth.mfa",
            outcome="failure",
            object_type="user",
            object_id=user.id,
        )
        return False
    web.mfa_passed = True
    audit.record(session, actor=actor, action="auth.mfa", object_type="user", object_id=user.id)
    return True


def prune(session: Session) -> int:
    """Drop expired sessions and login attempts past their use (see `throttle.prune`)."""
    now = utcnow()
    result = session.execute(delete(WebSession).where(WebSession.expires_at <= now))
    n = result.rowcount if isinstance(result, CursorResult) else 0
    return n + sum(throttle.prune(session, now))


def count_active_sessions(session: Session) -> int:
    return int(
        session.scalar(
            select(func.count()).select_from(WebSession).where(WebSession.expires_at > utcnow())
        )
        or 0
    )
