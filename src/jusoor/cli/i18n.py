"""`jusoor i18n …`: keep the Arabic and French catalogs in step with the code."""

from __future__ import annotations

import json

import typer

from jusoor.core import catalogs
from jusoor.core.console import JSON_OPTION, fail
from jusoor.core.i18n import gettext as _

app = typer.Typer(help="Translation catalogs (Arabic, French).", no_args_is_help=True)


@app.command("update")
def update() -> None:
    """Extract every user-visible string and merge it into the .po files."""
    counts = catalogs.update()
    for locale, count in counts.items():
        typer.echo(_("%(locale)s: %(n)s strings to translate", locale=locale, n=count))


@app.command("check")
def check(json_out: bool = JSON_OPTION) -> None:
    """List strings without a translation; exit 1 when there are any."""
    found = catalogs.missing()
    if json_out:
        rows = [{"locale": g.locale, "msgid": g.msgid, "problem": g.problem} for g in found]
        typer.echo(json.dumps(rows, ensure_ascii=False))
    else:
        for gap in found:
            typer.echo(f"{gap.locale}\t{gap.problem}\t{gap.msgid}")
    if found:
        fail(_("%(n)s translations are missing or wrong.", n=len(found)))
