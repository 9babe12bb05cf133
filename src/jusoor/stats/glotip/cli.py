"""`jusoor stats glotip …`: load UNODC's published series, write the country's UNODC report."""

from __future__ import annotations

from pathlib import Path

import typer

from jusoor.core.console import fail, unit_of_work
from jusoor.core.i18n import gettext as _
from jusoor.stats.console import acting
from jusoor.stats.glotip import export, series

AS_OPTION = typer.Option(
    ..., "--as", help="The user on whose behalf you act (their role and scope apply)."
)

glotip_app = typer.Typer(
    help="UNODC's Global Report on Trafficking in Persons: its published data, the country's report."
)


@glotip_app.command("import")
def import_file(
    file: Path = typer.Argument(..., help="UNODC's data file, data_glotip.xlsx."),
    as_user: str = AS_OPTION,
) -> None:
    """Load (or replace) UNODC's published series from its data file, in one transaction."""
    if not file.is_file():
        fail(_("%(file)s: no such file.", file=str(file)))
    with unit_of_work() as session:
        actor = acting(session, as_user)
        report = series.import_series(session, actor=actor, path=file)
    first, last = report.years or (0, 0)
    typer.echo(
        _("Loaded %(n)s published figures of %(countries)s countries, %(first)s to %(last)s.",
          n=report.loaded, countries=report.countries, first=first, last=last)
    )  # fmt: skip
    if report.repeated:
        typer.echo(_("%(n)s rows repeated a figure already read and were loaded once.",
                     n=report.repeated))  # fmt: skip
    if report.malformed:
        typer.echo(_("%(n)s rows were not loaded:", n=len(report.malformed)))
        for bad in report.malformed:
            typer.echo(
                _("  row %(row)s: %(reason)s %(text)s", row=bad.line,
                  reason=series.reason_text(bad.reason), text=repr(bad.text))
            )  # fmt: skip


@glotip_app.command("export")
def export_file(
    year: int = typer.Option(..., "--year", help="The year reported."),
    out: Path = typer.Option(..., "--out", help="The .xlsx file to write."),
    country: str = typer.Option("", "--country", help="ISO 3166-1 alpha-2 (default: yours)."),
    as_user: str = AS_OPTION,
) -> None:
    """Write the country's answers in the columns and categories of UNODC's data file."""
    with unit_of_work() as session:
        actor = acting(session, as_user)
        result = export.answers(session, actor=actor, year=year, country=country or None)
        export.write(result, out)
    typer.echo(_("Wrote %(n)s figures to %(file)s.", n=len(result.rows), file=str(out)))
    for note in result.notes:
        typer.echo(note)
