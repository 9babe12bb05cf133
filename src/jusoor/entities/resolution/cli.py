"""`jusoor names …`: compare personal names across scripts from the command line. No database.

A thin adapter over `names.explain`: it shapes the comparison as a table or as JSON.
Mount with `root.add_typer(app, name="names")`.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from jusoor.core.i18n import format_number, lazy_gettext
from jusoor.core.i18n import gettext as _
from jusoor.entities.resolution.normalise.names import NameComparison, explain
from jusoor.entities.resolution.normalise.words import MatchKind

app = typer.Typer(
    help="Personal names across Arabic and Latin script: compare them and see why they match.",
    no_args_is_help=True,
)

# Shown to people: what each kind of word match means (translated at display time).
KIND_LABELS: dict[MatchKind, str] = {
    MatchKind.EXACT: lazy_gettext("same spelling"),
    MatchKind.VARIANT: lazy_gettext("known variant of the same name"),
    MatchKind.KEY: lazy_gettext("same sounds"),
    MatchKind.FUZZY: lazy_gettext("similar sounds"),
    MatchKind.INITIAL: lazy_gettext("initial"),
    MatchKind.UNMATCHED: lazy_gettext("no counterpart"),
    MatchKind.PARTICLE: lazy_gettext("particle, ignored"),
}


@app.callback()
def main() -> None:
    """Personal names across Arabic and Latin script: compare them and see why they match."""


def _table(comparison: NameComparison) -> Table:
    table = Table(title=_("Similarity: %(score)s", score=format_number(round(comparison.score, 3))))
    table.add_column(_("Name A"))
    table.add_column(_("Name B"))
    table.add_column(_("Match"))
    table.add_column(_("Score"), justify="right")
    for token in comparison.tokens:
        shown = token.kind not in (MatchKind.UNMATCHED, MatchKind.PARTICLE)
        table.add_row(
            token.a or "",
            token.b or "",
            _(KIND_LABELS[token.kind]),
            format_number(round(token.score, 3)) if shown else "",
        )
    return table


@app.command("compare")
def compare_command(
    a: Annotated[str, typer.Argument(help="A personal name, in any script and word order.")],
    b: Annotated[str, typer.Argument(help="Another personal name.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Print how alike names A and B are (0 to 1) and which words matched how."""
    comparison = explain(a, b)
    if as_json:
        typer.echo(json.dumps(comparison.as_dict(), ensure_ascii=False))
        return
    Console().print(_table(comparison))
