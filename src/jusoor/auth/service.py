"""Who is this? Passwords with throttling, server-side sessions, the second factor, API tokens.

Follows OWASP ASVS level 2, chapters 2 (authentication) and 3 (session management).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import CursorResult, delete, func, select, update
from sqlalchemy.orm import Session

from jusoor.agencies.models import User
from jusoor.agencies.service import get_user_by_username
from jusoor.audit import service as audit
from jusoor.auth.models import ApiToken, LoginAttempt, WebSession
from jusoor.core.config import Settings, get_settings
from jusoor.core.db import utcnow
from jusoor.core.errors import Forbidden, Invalid, NotFound
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor, in_scope
from jusoor.core.security import passwords, secrets, totp

TOKEN_PREFIX = "jsr_"  # noqa: S105 - a name, not a secret
# Per-address limit, higher than the per-username one: slows password spraying across accounts.
ADDRESS_FAILURE_FACTOR = 4


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    error: str | None = None
    locked_minutes: int | None = None


def _failures_since(session: Session, since: dt.datetime, **where: str | None) -> list[dt.datetime]:
    stmt = select(LoginAttempt.at).where(
        LoginAttempt.succeeded.is_(False), LoginAttempt.at >= since
    )
    for column, value in where.items():
        stmt = stmt.where(getattr(LoginAttempt, column) == value)
    return list(session.scalars(stmt.order_by(LoginAttempt.at.desc())))


def locked_until(
    session: Session, *, username: str, client_addr: str | None, settings: Settings
) -> dt.datetime | None:
    """When the username (or the client address) may try again, if it is locked out now."""
    now = utcnow()
    window = now - dt.timedelta(
        minutes=max(settings.login_window_minutes, settings.login_lockout_minutes)
    )
    lockout = dt.timedelta(minutes=settings.login_lockout_minutes)
    limits = [({"username": username}, settings.login_max_failures)]
    if client_addr:
        limits.append(
            ({"client_addr": client_addr}, settings.login_max_failures * ADDRESS_FAILURE_FACTOR)
        )
    until: dt.datetime | None = None
    for where, limit in limits:
        failures = _failures_since(session, window, **where)
        if len(failures) >= limit:
            candidate = failures[limit - 1] + lockout
            if candidate > now and (until is None or candidate > until):
                until = candidate
    return until


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
    until = locked_until(session, username=username, client_addr=client_addr, settings=settings)
    if until is not None:
        minutes = max(1, int((until - utcnow()).total_seconds() // 60) + 1)
        audit.record(
            session,
            actor=anonymous,
            action="auth.login",
            outcome="denied",
            details={"reason": "locked_out"},
        )
        return LoginResult(
            None,
            _("Too many failed attempts. Try again in %(minutes)s minutes.", minutes=minutes),
            minutes,
        )
    user = get_user_by_username(session, username) if username else None
    ok = passwords_ok = False
    if user is not None:
        passwords_ok = passwords.verify_password(user.password_hash, password)
        ok = passwords_ok and user.active and user.agency.active
        if passwords_ok and user.password_hash and passwords.needs_rehash(user.password_hash):
            user.password_hash = passwords.hash_password(password)
    else:
        passwords.verify_password(None, password)  # same cost as a real check
    session.add(LoginAttempt(username=username, client_addr=client_addr, succeeded=ok))
    if not ok:
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
        return LoginResult(None, _("Wrong username or password."))
    assert user is not None
    user.last_login_at = utcnow()
    audit.record(
        session,
        actor=_actor(user, client_addr, request_id),
        action="auth.login",
        object_type="user",
        object_id=user.id,
    )
    return LoginResult(user)


def _actor(
    user: User, client_addr: str | None, request_id: str | None, via: str = "session"
) -> Actor:
    from jusoor.agencies.service import actor_for

    return actor_for(user, via=via, client_addr=client_addr, request_id=request_id)


# Sessions ------------------------------------------------------------------------------------


def mfa_required(user: User, settings: Settings | None = None) -> bool:
    settings = settings or get_settings()
    return user.mfa_enabled or bool(user.roles & set(settings.mfa_required_roles))


def start_session(
    session: Session, *, user: User, client_addr: str | None, user_agent: str | None
) -> tuple[str, WebSession]:
    """A new session (a fresh id at every login: no fixation, ASVS 3.2.1); returns the cookie value."""
    settings = get_settings()
    token = secrets.new_token()
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
        web.last_seen_at = now
    return web, user


def rotate_session(session: Session, web: WebSession) -> str:
    """Give a session a new id after a privilege change (second factor passed)."""
    token = secrets.new_token()
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


def end_all_sessions(session: Session, *, user_id: uuid.UUID) -> None:
    session.execute(delete(WebSession).where(WebSession.user_id == user_id))


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
    session.add(
        LoginAttempt(
            username=user.username, client_addr=actor.client_addr, succeeded=step is not None
        )
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
    user.totp_last_step = step
    web.mfa_passed = True
    audit.record(session, actor=actor, action="auth.mfa", object_type="user", object_id=user.id)
    return True


# API tokens ----------------------------------------------------------------------------------


def issue_token(
    session: Session, *, actor: Actor, user: User, name: str, days: int | None = None
) -> str:
    """A new bearer token for `user`; only its digest is stored, so it is shown once."""
    return create_token(session, actor=actor, user=user, name=name, days=days)[0]


def create_token(
    session: Session, *, actor: Actor, user: User, name: str, days: int | None = None
) -> tuple[str, ApiToken]:
    """A new bearer token for `user`: the secret (to show once) and the stored record.

    Users with `tokens.manage_own` issue their own; `users.manage` issues for others. A token
    cannot mint tokens, so a leaked one cannot outlive its own expiry or revocation.
    """
    if actor.via == "token":
        raise Forbidden(_("You are not allowed to do this."))
    if actor.user_id is not None and actor.user_id == user.id:
        actor.require("tokens.manage_own")
    elif not in_scope(actor, "users.manage", agency_id=user.agency_id, country=user.agency.country):
        raise Forbidden(_("You are not allowed to do this."))
    days = days or get_settings().token_default_days
    if not 1 <= days <= 366:
        raise Invalid("days", _("A token must expire within 1 to 366 days."))
    token = TOKEN_PREFIX + secrets.new_token()
    row = ApiToken(
        user_id=user.id,
        name=(name.strip() or "token")[:100],
        token_digest=secrets.digest(token),
        prefix=token[: len(TOKEN_PREFIX) + 6],
        expires_at=utcnow() + dt.timedelta(days=days),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="token.issue",
        object_type="api_token",
        object_id=row.id,
        details={"user": user.username, "name": row.name, "days": days},
    )
    return token, row


def resolve_token(session: Session, token: str) -> User | None:
    if not token.startswith(TOKEN_PREFIX):
        return None
    row = session.scalars(
        select(ApiToken).where(ApiToken.token_digest == secrets.digest(token))
    ).first()
    now = utcnow()
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active or not user.agency.active:
        return None
    if row.last_used_at is None or now - row.last_used_at > dt.timedelta(minutes=5):
        row.last_used_at = now
    return user


def list_tokens(session: Session, *, user_id: uuid.UUID) -> Sequence[ApiToken]:
    return session.scalars(
        select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.created_at.desc())
    ).all()


def revoke_token(
    session: Session, *, actor: Actor, token_id: uuid.UUID, own_only: bool = False
) -> None:
    """Revoke a token: one's own, or (with `users.manage`, unless `own_only`) anyone's."""
    row = session.get(ApiToken, token_id)
    if row is None or (
        row.user_id != actor.user_id and (own_only or not actor.can("users.manage"))
    ):
        raise NotFound(_("No such token."))
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        audit.record(
            session, actor=actor, action="token.revoke", object_type="api_token", object_id=row.id
        )


def revoke_all_tokens(session: Session, *, user_id: uuid.UUID) -> None:
    session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def prune(session: Session) -> int:
    """Drop expired sessions and login attempts older than a day; returns rows removed."""
    now = utcnow()
    old = now - dt.timedelta(days=1)
    n = 0
    for stmt in (
        delete(WebSession).where(WebSession.expires_at <= now),
        delete(LoginAttempt).where(LoginAttempt.at < old),
    ):
        result = session.execute(stmt)
        n += result.rowcount if isinstance(result, CursorResult) else 0
    return n


def count_active_sessions(session: Session) -> int:
    return int(
        session.scalar(
            select(func.count()).select_from(WebSession).where(WebSession.expires_at > utcnow())
        )
        or 0
    )
