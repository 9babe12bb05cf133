"""API credentials for tests: a bearer token for a demo user, issued the way the CLI issues them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from jusoor.agencies.models import User
from jusoor.auth import service as auth
from jusoor.auth.models import ApiToken
from jusoor.core.db import Database, utcnow
from jusoor.core.permissions import system_actor
from jusoor.core.security import secrets


def issue(db: Database, username: str, *, days: int | None = None) -> str:
    """A new bearer token for `username` (issued by the node operator, as `jusoor users token`).

    Users whose roles need a second factor get theirs as a recorded exception, as
    `jusoor users token USER --without-second-factor --reason TEXT` does.
    """
    with db.unit_of_work() as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        return auth.issue_token(
            session,
            actor=system_actor("test"),
            user=user,
            name="test",
            days=days,
            exception_reason="issued by the test suite",
        )


def bearer(db: Database, username: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue(db, username)}"}


def expire(db: Database, token: str) -> None:
    """Move a token's expiry into the past, as if its time had run out."""
    with db.unit_of_work() as session:
        session.execute(
            update(ApiToken)
            .where(ApiToken.token_digest == secrets.digest(token))
            .values(expires_at=utcnow() - dt.timedelta(seconds=1))
        )


def revoke(db: Database, token: str) -> None:
    with db.unit_of_work() as session:
        row = session.scalars(
            select(ApiToken).where(ApiToken.token_digest == secrets.digest(token))
        ).one()
        auth.revoke_token(session, actor=system_actor("test"), token_id=row.id)
