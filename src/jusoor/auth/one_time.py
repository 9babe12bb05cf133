"""A second-factor code is used once (OWASP ASVS 4.0.3 V2.8.4), also when two requests bring it
at the same moment.

Checking `totp_last_step` as read and then storing the new step lets two simultaneous requests
with the same code both pass (each read the old step): on PostgreSQL at any time, on SQLite in a
reading unit of work. The step is claimed by one conditional UPDATE instead: the row is changed
only if its step is still older, and only the request whose UPDATE changed it passes.
"""

from __future__ import annotations

from sqlalchemy import CursorResult, or_, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from jusoor.agencies.models import User


def claim_totp_step(session: Session, user: User, step: int) -> bool:
    """Record `step` as the user's last used code step unless it (or a later one) already is.
    False: another request used this code first (refuse it as a wrong code)."""
    result = session.execute(
        update(User)
        .where(User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    claimed = isinstance(result, CursorResult) and result.rowcount == 1
    if claimed:
        set_committed_value(user, "totp_last_step", step)
    return claimed
