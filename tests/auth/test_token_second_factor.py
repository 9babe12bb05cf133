"""A token outlives the session that made it, so a user whose roles need a second factor gets one
only by proving that factor (ASVS 2.7, 2.8): their own session that passed it, a current code, or
an exception whose reason is kept on the token and in the audit trail."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from jusoor.agencies import service as agencies
from jusoor.agencies.models import User
from jusoor.auth import service as auth
from jusoor.core.db import Database
from jusoor.core.errors import Invalid
from jusoor.core.permissions import system_actor
from jusoor.core.security import totp


def _user(session: object, username: str) -> User:
    from sqlalchemy.orm import Session

    assert isinstance(session, Session)
    return session.scalars(select(User).where(User.username == username)).one()


def test_an_administrator_in_a_session_needs_the_holders_code_for_their_token(
    demo_db: Database,
) -> None:
    with demo_db.unit_of_work() as session:
        admin = agencies.actor_for(_user(session, "admin"), via="session")
        liaison = _user(session, "liaison.tn")
        with pytest.raises(Invalid) as refused:
            auth.create_token(session, actor=admin, user=liaison, name="relay")
        assert refused.value.field == "code"
        assert liaison.totp_secret
        _, row = auth.create_token(
            session,
            actor=admin,
            user=liaison,
            name="relay",
            code=totp.current_code(liaison.totp_secret),
        )
        assert row.issued_with == "code"


def test_a_session_of_a_user_without_a_second_factor_cannot_stand_in_for_one(
    demo_db: Database,
) -> None:
    """A user given a second-factor role after signing in has a live session that never passed a
    factor: it cannot issue their token."""
    with demo_db.unit_of_work() as session:
        analyst = _user(session, "analyst.tn")
        agencies.set_roles(
            session, actor=system_actor(), user_id=analyst.id, roles=["analyst", "admin"]
        )
        assert analyst.totp_secret is None
        own = agencies.actor_for(analyst, via="session")
        with pytest.raises(Invalid):
            auth.create_token(session, actor=own, user=analyst, name="mine")


def test_a_blank_reason_is_no_exception(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        admin = _user(session, "admin")
        with pytest.raises(Invalid):
            auth.create_token(
                session, actor=system_actor(), user=admin, name="x", exception_reason="   "
            )
