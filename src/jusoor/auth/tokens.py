"""API bearer tokens for programs: issued (with the holder's second factor when their roles need
one), resolved, listed and revoked. Only digests are stored.

Follows OWASP ASVS 4.0.3 level 2: V2.8 (one-time codes, each used once), V3.5 (token-based
sessions), V7.1.3 (issues and refusals audited).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from jusoor.agencies.models import User
from jusoor.audit import service as audit
from jusoor.auth.models import ApiToken
from jusoor.auth.one_time import claim_totp_step
from jusoor.core.config import Settings, get_settings
from jusoor.core.db import utcnow
from jusoor.core.errors import Forbidden, Invalid, NotFound
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor, in_scope
from jusoor.core.security import issued, secrets, totp

TOKEN_PREFIX = "jsr_"  # noqa: S105 - a name, not a secret


def mfa_required(user: User, settings: Settings | None = None) -> bool:
    settings = settings or get_settings()
    return user.mfa_enabled or bool(user.roles & set(settings.mfa_required_roles))


def issue_token(
    session: Session,
    *,
    actor: Actor,
    user: User,
    name: str,
    days: int | None = None,
    code: str | None = None,
    exception_reason: str | None = None,
) -> str:
    """A new bearer token for `user`; only its digest is stored, so it is shown once."""
    return create_token(
        session,
        actor=actor,
        user=user,
        name=name,
        days=days,
        code=code,
        exception_reason=exception_reason,
    )[0]


def create_token(
    session: Session,
    *,
    actor: Actor,
    user: User,
    name: str,
    days: int | None = None,
    code: str | None = None,
    exception_reason: str | None = None,
) -> tuple[str, ApiToken]:
    """A new bearer token for `user`: the secret (to show once) and the stored record.

    Users with `tokens.manage_own` issue their own; `users.manage` issues for others. A token
    cannot mint tokens, so a leaked one cannot outlive its own expiry or revocation. A token of a
    user who must use a second factor needs that factor at issue (see `_second_factor_at_issue`).
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
    issued_with, reason = _second_factor_at_issue(
        session, actor=actor, user=user, code=code, exception_reason=exception_reason
    )
    token = issued.new_credential(TOKEN_PREFIX)
    row = ApiToken(
        user_id=user.id,
        name=(name.strip() or "token")[:100],
        token_digest=secrets.digest(token),
        prefix=token[: len(TOKEN_PREFIX) + 6],
        expires_at=utcnow() + dt.timedelta(days=days),
        issued_with=issued_with,
        exception_reason=reason,
    )
    session.add(row)
    session.flush()
    details: dict[str, object] = {
        "user": user.username,
        "name": row.name,
        "days": days,
        "second_factor": issued_with,
    }
    if reason:
        details["exception_reason"] = reason
    audit.record(
        session,
        actor=actor,
        action="token.issue",
        object_type="api_token",
        object_id=row.id,
        details=details,
    )
    return token, row


def _second_factor_at_issue(
    session: Session,
    *,
    actor: Actor,
    user: User,
    code: str | None,
    exception_reason: str | None,
) -> tuple[str, str | None]:
    """How the holder's second factor is met for a new token, or Invalid (ASVS V2.8.4).

    A token outlives the session that made it, so a user whose roles require a second factor
    gets one only by proving it: from their own session (which passed the factor: the web only
    makes an actor of a session that did, and an enrolled user always must), with a current code
    from their authenticator (the console issuing for them), or by an explicit exception whose
    reason is kept on the token and in the audit trail.
    """
    if not mfa_required(user):
        return "not_required", None
    if actor.via == "session" and actor.user_id == user.id and user.mfa_enabled:
        return "session", None
    if code is not None and code.strip():
        step = (
            totp.verify(user.totp_secret, code.strip(), last_used_step=user.totp_last_step)
            if user.totp_secret
            else None
        )
        if step is None or not claim_totp_step(session, user, step):  # a code is used once
            # the caller audits the refusal in its own transaction
            raise Invalid("code", _("This code is not valid for this user's second factor."))
        return "code", None
    reason = " ".join((exception_reason or "").split())[:300]
    if reason:
        return "exception", reason
    raise Invalid(
        "code",
        _(
            "This user must use a second factor: a token for them needs a current code from it, "
            "or an exception with its reason."
        ),
    )


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


def revoke_all_tokens(session: Session, *, user_id: uuid.UUID | None) -> int:
    """Revoke the user's live tokens (every user's, when `user_id` is None); returns how many."""
    now = utcnow()
    stmt = (
        update(ApiToken)
        .where(ApiToken.revoked_at.is_(None), ApiToken.expires_at > now)
        .values(revoked_at=now)
    )
    if user_id is not None:
        stmt = stmt.where(ApiToken.user_id == user_id)
    result = session.execute(stmt)
    return result.rowcount if isinstance(result, CursorResult) else 0
