"""`jusoor stats …`: tables, releases and the UNODC report from the server's console.

The console acts on behalf of a named user (`--as analyst.ma`): the permission matrix, the scope of
that user's agency and country and the audit trail apply exactly as on the pages. Other modules of
the domain add their commands and sub-apps here (lines at the end).
"""

from __future__ import annotations

import typer

from jusoor.stats import console

app = typer.Typer(
    help="Statistics: tables by dimension, releases (k-anonymised, differentially private), "
    "the UNODC GLOTIP report."
)

# The acting user (--as), shared by every command of the domain (and by plans').
AS_OPTION = console.AS_OPTION
acting = console.acting


# The domain's commands and sub-apps (each in its own module).
from jusoor.stats.glotip.cli import glotip_app  # noqa: E402

app.add_typer(glotip_app, name="glotip")

from jusoor.stats.table_cli import table  # noqa: E402

app.command("table")(table)

from jusoor.stats import release_cli  # noqa: E402  (the command needs `acting` above)

app.command("release")(release_cli.release)

from jusoor.stats import statistic_cli  # noqa: E402

app.command("statistics")(statistic_cli.statistics)
app.command("show")(statistic_cli.show)
