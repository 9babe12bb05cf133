"""`jusoor cases export` and `jusoor cases import`: HTCDS 2.0 files from the server's console.

`jusoor.cases.cli` merges this app's two commands into `jusoor cases`.
The console acts as the node operator, audited under that name; an import names the agency and
the case worker who will own the new cases.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from jusoor.cases.htcds import export as htcds
from jusoor.cases.htcds import imports as htcds_import
from jusoor.core.console import JSON_OPTION, fail, operator, unit_of_work
from jusoor.core.errors import Invalid
from jusoor.core.i18n import gettext as _
from jusoor.core.import_limits import cli_limits, read_capped
from jusoor.core.progress import row_progress

# Merged into `jusoor.cases.cli.app` (no name of its own): `jusoor cases export|import`.
app = typer.Typer()


@app.command("export")
def export_command(
    fmt: str = typer.Option("csv", "--format", help="csv or json."),
    out: Path = typer.Option(..., "--out", help="The file to write (it must not exist)."),
) -> None:
    """Export the cases as HTCDS 2.0, pseudonymised (no names, contacts, dates of birth, notes).

    Columns and values follow the standard's field list and picklists; where Jusoor holds a finer
    code than the standard (forced criminality, an intimate partner), a jus_ column keeps it."""
    if fmt not in htcds.FORMATS:
        fail(_("Unknown format %(format)s: choose csv or json.", format=fmt))
    if out.exists():
        fail(_("The file %(path)s already exists.", path=str(out)))
    with unit_of_work() as session:
        export = htcds.export_cases(session, actor=operator(), fmt=fmt)
        out.write_text(export.render(), "utf-8")
        out.chmod(0o600)
    typer.echo(_("%(count)s cases written to %(path)s.", count=len(export.rows), path=str(out)))


@app.command("import")
def import_command(
    path: Path = typer.Argument(..., help="An HTCDS 2.0 CSV or JSON file."),
    agency: str = typer.Option(..., "--agency", help="The code of the agency that owns the cases."),
    owner: str = typer.Option(..., "--owner", help="The username of the owning case worker."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Import HTCDS cases; one bad row and nothing is imported (every problem is listed).

    Files over JUSOOR_IMPORT_MAX_BYTES or JUSOOR_IMPORT_MAX_ROWS are refused before parsing."""
    limits = cli_limits()
    try:
        data = read_capped(path, limits)
    except Invalid as exc:
        fail(exc.message)
    except OSError:
        fail(_("The file %(path)s cannot be read.", path=str(path)))
    with unit_of_work() as session, row_progress(_("Importing %(file)s", file=path.name)) as bar:
        try:
            refs = htcds_import.import_cases(
                session,
                actor=operator(),
                data=data,
                agency_code=agency,
                owner_username=owner,
                limits=limits,
                progress=bar,
            )
        except htcds_import.RowsInvalid as exc:
            for problem in exc.problems:  # every one, then the summary line as the error
                typer.echo(_problem_line(problem), err=True)
            raise
    if json_out:
        typer.echo(json.dumps({"imported": refs}))
        return
    typer.echo(_("%(count)s cases imported.", count=len(refs)))


def _problem_line(problem: htcds_import.RowProblem) -> str:
    return _(
        "Row %(row)s, column %(column)s: %(problem)s",
        row=problem.row,
        column=problem.column or "-",
        problem=problem.message,
    )
