"""`jusoor stats …`: tables, releases and the UNODC report from the server's console.

The console acts on behalf of a named user (`--as analyst.ma`): the permission matrix, the scope of
that user's agency and country and the audit trail apply exactly as on the pages. Other modules of
the domain add their commands and sub-apps here (lines at the end).
"""

from __future__ import annotations

import typer
from sqlalchemy.orm import Session

from jusoor.agencies import service as agencies
from jusoor.core.errors import NotFound
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor

app = typer.Typer(
    help="Statistics: tables by dimension, releases (k-anonymised, differentially private), "
    "the UNODC GLOTIP report."
)

AS_OPTION = typer.Option(
    ..., "--as", help="The user on whose behalf you act (their role and scope apply)."
)


def acting(session: Session, username: str) -> Actor:
    """The console acting as `username` (an active user), audited as coming from the console."""
    user = agencies.get_user_by_username(session, username)
    if user is None or not user.active:
        raise NotFound(_("--as: no active user %(username)s.", username=username))
    return agencies.actor_for(user, via="cli")


# The domain's commands and sub-apps (each in its own module).
from jusoor.stats.glotip.cli import glotip_app  # noqa: E402

app.add_typer(glotip_app, name="glotip")

from jusoor.stats.table_cli import table  # noqa: E402

app.command("table")(table)

from jusoor.stats import release_cli  # noqa: E402  (the command needs `acting` above)

app.command("release")(release_cli.release)
