"""Ending credentials when trust in them ends, and lifting a sign-in throttle.

A password change or reset, and a restored backup, each say that credentials issued before may be
in the wrong hands: sessions end and API tokens are revoked in the same transaction as the change,
with one audit event that says how many (OWASP ASVS 4.0.3 V3.3.3, V3.3.1, V7.1.3). Disabling an
account and an administrator's password reset live here too, not in `agencies.service`: they end
sessions and tokens, and auth may use agencies, never the reverse (DESIGN.md "Layers").
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import CursorResult, delete
from sqlalchemy.orm import Session

from jusoor.agencies import service as agencies
from jusoor.agencies.models import User
from jusoor.audit import service as audit
from jusoor.auth import throttle
from jusoor.auth.models import WebSession
from jusoor.auth.service import end_all_sessions, throttled_message
from jusoor.auth.tokens import revoke_all_tokens
from jusoor.core.config import get_settings
from jusoor.core.db import utcnow
from jusoor.core.errors import Forbidden, Invalid
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor, in_scope
from jusoor.core.security import passwords


@dataclass(frozen=True)
class Ended:
    """How many sessions ended and how many API tokens were revoked."""

    sessions: int
    tokens: int


def set_active(session: Session, *, actor: Actor, user_id: uuid.UUID, active: bool) -> User:
    """Disable (or re-enable) an account; disabling also ends its sessions and tokens."""
    actor.require("users.manage")
    user = agencies.get_user(session, actor=actor, user_id=user_id, action="users.manage")
    if not active and user.id == actor.user_id:
        raise Invalid("username", _("You cannot disable your own account."))
    user.active = active
    if not active:
        end_all_sessions(session, user_id=user.id)
        revoke_all_tokens(session, user_id=user.id)
    audit.record(
        session,
        actor=actor,
        action="user.enable" if active else "user.disable",
        object_type="user",
        object_id=user.id,
        details={"username": user.username},
    )
    return user


@dataclass(frozen=True)
class CredentialsReset:
    """A new password (to hand over out of band) and the credentials the reset ended."""

    password: str
    sessions_ended: int
    tokens_revoked: int

    def notice(self) -> str:
        """What the administrator is told (the page and the CLI say the same)."""
        return _(
            "Sessions ended: %(sessions)s. API tokens revoked: %(tokens)s. The user must issue "
            "new tokens for any program that used them.",
            sessions=self.sessions_ended,
            tokens=self.tokens_revoked,
        )


def reset_password(session: Session, *, actor: Actor, user_id: uuid.UUID) -> CredentialsReset:
    """Give the user a new random password; end all their sessions and revoke all their API
    tokens in the same transaction (a reset often follows a compromise; ASVS V3.3.3)."""
    actor.require("users.manage")
    user = agencies.get_user(session, actor=actor, user_id=user_id, action="users.manage")
    password = agencies.generate_password()
    user.password_hash = passwords.hash_password(password)
    user.password_changed_at = utcnow()
    sessions = end_all_sessions(session, user_id=user.id)
    tokens = revoke_all_tokens(session, user_id=user.id)
    audit.record(
        session,
        actor=actor,
        action="user.reset_password",
        object_type="user",
        object_id=user.id,
        details={"username": user.username, "sessions": sessions, "tokens": tokens},
    )
    return CredentialsReset(password, sessions, tokens)


def change_own_password(
    session: Session, *, actor: Actor, current: str, new: str, keep: WebSession | None
) -> Ended:
    """Change the actor's own password (agencies.change_password checks the current one and the
    policy), then end their other sessions and revoke their tokens, in the same transaction.

    A wrong current password counts toward the sign-in throttle, so that a stolen session cannot
    be used to guess the password and take the account over (ASVS V2.2.1).
    """
    settings = get_settings()
    username = actor.username or ""
    limit = throttle.check(
        session, username=username, client_addr=actor.client_addr, settings=settings
    )
    if limit.refused:
        raise Invalid("current_password", throttled_message(limit.minutes()))
    try:
        user = agencies.change_password(session, actor=actor, current=current, new=new)
    except Invalid as exc:
        if exc.field == "current_password":  # the caller answers normally, so this is kept
            throttle.record(
                session, username=username, client_addr=actor.client_addr, succeeded=False
            )
        raise
    return after_password_change(session, actor=actor, user=user, keep=keep)


def after_password_change(
    session: Session, *, actor: Actor, user: User, keep: WebSession | None
) -> Ended:
    """End every session of `user` but `keep` (the one that changed the password; the caller
    rotates its id) and revoke all their API tokens (ASVS V3.3.3: "terminate all other sessions
    after a successful change of password")."""
    ended = Ended(
        end_all_sessions(session, user_id=user.id, keep=keep.id if keep else None),
        revoke_all_tokens(session, user_id=user.id),
    )
    audit.record(
        session,
        actor=actor,
        action="auth.credentials_ended",
        object_type="user",
        object_id=user.id,
        details={"reason": "password_change", "sessions": ended.sessions, "tokens": ended.tokens},
    )
    return ended


def after_restore(session: Session, *, actor: Actor, backup_id: str) -> Ended:
    """End every session and revoke every API token of the node after a restore.

    A backup cannot know what was revoked after it was made, so no credential it holds is
    trusted: everyone signs in again and programs get new tokens (ASVS V3.3.1).
    """
    sessions = session.execute(delete(WebSession))
    ended = Ended(
        sessions.rowcount if isinstance(sessions, CursorResult) else 0,
        revoke_all_tokens(session, user_id=None),
    )
    audit.record(
        session,
        actor=actor,
        action="auth.credentials_ended",
        object_type="backup",
        object_id=backup_id,
        details={"reason": "restore", "sessions": ended.sessions, "tokens": ended.tokens},
    )
    return ended


def unlock(session: Session, *, actor: Actor, user: User) -> int:
    """Forget the user's failed sign-in attempts, lifting every throttle on their name; returns
    how many were forgotten. The failures stay in the audit trail."""
    if not in_scope(actor, "users.manage", agency_id=user.agency_id, country=user.agency.country):
        raise Forbidden(_("You are not allowed to do this."))
    forgotten = throttle.clear_failures(session, username=user.username)
    audit.record(
        session,
        actor=actor,
        action="user.unlock",
        object_type="user",
        object_id=user.id,
        details={"username": user.username, "failures": forgotten},
    )
    return forgotten
