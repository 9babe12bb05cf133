"""The console's acting user: commands act on behalf of a named user (`--as analyst.ma`), whose
role, scope and audit trail apply exactly as on the pages."""

from __future__ import annotations

import typer
from sqlalchemy.orm import Session

from jusoor.agencies import service as agencies
from jusoor.core.errors import NotFound
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor

AS_OPTION = typer.Option(
    ..., "--as", help="The user on whose behalf you act (their role and scope apply)."
)


def acting(session: Session, username: str) -> Actor:
    """The console acting as `username` (an active user), audited as coming from the console."""
    user = agencies.get_user_by_username(session, username)
    if user is None or not user.active:
        raise NotFound(_("--as: no active user %(username)s.", username=username))
    return agencies.actor_for(user, via="cli")
