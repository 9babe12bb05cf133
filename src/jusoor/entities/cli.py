"""`jusoor entities …`: import tables and FtM files, export FtM, list, rebuild the blind index.

The console's operator acts as the node (`core.console.operator`); every command is audited."""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

import typer
from sqlalchemy.orm import Session

from jusoor.agencies import service as agencies
from jusoor.core.console import JSON_OPTION, fail, operator, unit_of_work
from jusoor.core.errors import Invalid
from jusoor.core.i18n import gettext as _
from jusoor.core.import_limits import check_file, cli_limits
from jusoor.core.progress import row_progress
from jusoor.entities import service
from jusoor.entities.io import ftm, ftm_import, tabular
from jusoor.entities.io.mapping import load_mapping

app = typer.Typer(
    help="Investigation entities: people, phones, documents and their links; import and export.",
    no_args_is_help=True,
)
AGENCY_OPTION = typer.Option(..., "--agency", help="Code of the agency that will own the records.")


def _agency_id(session: Session, code: str) -> uuid.UUID:
    agency = agencies.agency_by_code(session, code)
    if agency is None:
        fail(_("--agency: no agency has the code %(code)s.", code=code))
    return agency.id


def _print_summary(summary: dict[str, object], json_out: bool) -> None:
    if json_out:
        typer.echo(json.dumps(summary, ensure_ascii=False))
        return
    for key, value in summary.items():
        if isinstance(value, dict):
            typer.echo(f"{key}:")
            for name, count in value.items():
                typer.echo(f"  {name}: {count}")
        else:
            typer.echo(f"{key}: {value}")


@app.command("import")
def import_command(
    file: Path = typer.Argument(..., help="A CSV or XLSX file, one record per row."),
    mapping: Path = typer.Option(..., "--mapping", help="YAML or JSON column mapping."),
    agency: str = AGENCY_OPTION,
    json_out: bool = JSON_OPTION,
) -> None:
    """Import a table: rows become entities, mapped columns their properties or linked entities.

    All rows land, or none; values that cannot be read are left out and counted. The file is
    checked whole first: over JUSOOR_IMPORT_MAX_BYTES or JUSOOR_IMPORT_MAX_ROWS, or with a
    malformed row (ragged, an open quote, a control character), nothing is imported."""
    if not file.is_file():
        fail(_("The file %(path)s does not exist.", path=str(file)))
    with unit_of_work() as session, row_progress(_("Importing %(file)s", file=file.name)) as bar:
        column_mapping = load_mapping(mapping)
        summary = tabular.import_table(
            session,
            actor=operator(),
            path=file,
            mapping=column_mapping,
            agency_id=_agency_id(session, agency),
            limits=cli_limits(),
            progress=bar,
        )
    _print_summary(summary.as_dict(), json_out)


@app.command("import-ftm")
def import_ftm_command(
    file: Path = typer.Argument(..., help="FollowTheMoney entities, one JSON object a line."),
    agency: str = AGENCY_OPTION,
    json_out: bool = JSON_OPTION,
) -> None:
    """Import FollowTheMoney entities (e.g. exported from Aleph or another Jusoor node).

    Files over JUSOOR_IMPORT_MAX_BYTES or JUSOOR_IMPORT_MAX_ROWS lines are refused."""
    if not file.is_file():
        fail(_("The file %(path)s does not exist.", path=str(file)))
    limits = cli_limits()
    try:
        check_file(file, limits)
    except Invalid as exc:
        fail(exc.message)
    with (
        unit_of_work() as session,
        file.open(encoding="utf-8-sig") as lines,
        row_progress(_("Importing %(file)s", file=file.name)) as bar,
    ):
        summary = ftm_import.import_ftm(
            session,
            actor=operator(),
            lines=lines,
            agency_id=_agency_id(session, agency),
            limits=limits,
            name=file.name,
            progress=bar,
        )
    _print_summary(summary.as_dict(), json_out)


@app.command("export")
def export_command(
    out: Path = typer.Option(..., "--out", help="Where to write the export."),
    fmt: str = typer.Option("ftm", "--format", help="Only ftm (FollowTheMoney JSON lines)."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Export every entity and link as FollowTheMoney JSON lines (opens in Aleph).

    The file contains case data: names, phones and documents of victims mirrored from case
    files, in clear, and each case is audited as read. It is written readable by you only
    (mode 0600); keep it like a case file."""
    if fmt != "ftm":
        fail(_("--format: choose one of: %(choices)s.", choices="ftm"))
    tmp = out.with_name(f".{out.name}.tmp")
    # Names, phones and documents in clear: readable by the operator only (mode 0600).
    descriptor = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with unit_of_work() as session, os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            counts = ftm.export_ftm(session, actor=operator(), out=handle)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    tmp.replace(out)  # only a finished export takes the name
    _print_summary({"file": str(out), "schemata": dict(sorted(counts.items()))}, json_out)


@app.command("list")
def list_command(
    schema: str = typer.Option("", "--schema", help="Person, Phone, IdentityDocument, …"),
    search: str = typer.Option("", "--search", help="A name, phone, e-mail or number."),
    limit: int = typer.Option(50, "--limit", min=1, max=1000),
    json_out: bool = JSON_OPTION,
) -> None:
    """List entities, newest first, or those matching a name, phone or number.

    The console sees every record, victims' records mirrored from case files included (each
    case shown is audited as read)."""
    with unit_of_work() as session:
        rows = [
            {
                "id": str(e.id),
                "schema": e.schema,
                "caption": e.caption,
                "country": e.country,
                "source": e.source_kind.value,
                "source_ref": e.source_ref,
            }
            for e in service.list_entities(
                session, actor=operator(), schema_name=schema or None, text=search, limit=limit
            )
        ]
    if json_out:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    for row in rows:
        typer.echo(f"{row['id']}  {row['schema']:<16} {row['country']}  {row['caption']}")


@app.command("reindex")
def reindex_command(json_out: bool = JSON_OPTION) -> None:
    """Rebuild the blind index of every entity (needed after JUSOOR_SECRET_KEY changes)."""
    with unit_of_work() as session:
        done = service.reindex(session, actor=operator())
    _print_summary({"entities": done}, json_out)
