"""A second-factor code passes once, even when two requests bring it at the same moment (ASVS
2.8.4): both read the user's last used step before either stored it, and only the request that
claims the step passes (`auth.one_time`)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.agencies.models import User
from jusoor.agencies.service import actor_for
from jusoor.auth import service as auth
from jusoor.auth.models import WebSession
from jusoor.core.db import Database
from jusoor.core.security import totp
from tests.support.web import totp_secret


def _admin(session: Session) -> User:
    return session.scalars(select(User).where(User.username == "admin")).one()


def _check(session: Session, user: User, code: str) -> bool:
    actor = actor_for(user, via="session", client_addr="127.0.0.1")
    return auth.check_second_factor(session, user=user, web=WebSession(), code=code, actor=actor)


def test_two_simultaneous_uses_of_one_code_pass_once(demo_db: Database) -> None:
    secret = totp_secret(demo_db, "admin")
    assert secret
    code = totp.current_code(secret)
    with demo_db.reading(blind_writes=True) as late:  # as a sign-in page's unit of work
        late_user = _admin(late)  # read before the other request stores the step
        with demo_db.reading(blind_writes=True) as early:
            assert _check(early, _admin(early), code)
        assert totp.verify(secret, code, last_used_step=late_user.totp_last_step)  # stale read
        assert not _check(late, late_user, code)  # the same code, a moment later
    with demo_db.unit_of_work() as session:
        assert _admin(session).totp_last_step is not None
