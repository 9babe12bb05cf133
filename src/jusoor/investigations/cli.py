"""`jusoor investigations …`: criminal files from the server's console.

The console acts on behalf of a named user (`--as investigator.ma`): the permission matrix, the
scope of that user's agency and country, and the audit trail apply exactly as on the pages (the
audit event says it came from the console). Other modules of the domain add their commands here
(`app.command(...)` lines at the end).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session

from jusoor.agencies import service as agencies
from jusoor.core.console import JSON_OPTION, fail, unit_of_work
from jusoor.core.errors import NotFound
from jusoor.core.i18n import current_locale
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.core.validation import first_problem
from jusoor.investigations import offences as law
from jusoor.investigations import service
from jusoor.investigations.labels import label, stage_label
from jusoor.investigations.models import InvestigationFile
from jusoor.investigations.schemas import FileCreate, FileMove
from jusoor.investigations.vocabulary import Origin, Stage

app = typer.Typer(
    help="Investigation and prosecution files: list, show, open, move, charge, judge."
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


def file_row(file: InvestigationFile) -> dict[str, Any]:
    return {
        "id": str(file.id),
        "reference": file.reference,
        "country": file.country,
        "origin": file.origin.value,
        "stage": file.stage.value,
        "stage_entered_at": file.stage_entered_at.isoformat(),
        "reported_on": file.reported_on.isoformat(),
        "title": file.title,
        "court": file.court,
    }


def _stage(value: str) -> Stage | None:
    if not value:
        return None
    if value not in Stage.__members__:
        fail(_("--stage: choose one of: %(choices)s.", choices=", ".join(Stage)))
    return Stage(value)


@app.command("list")
def list_files(
    as_user: str = AS_OPTION,
    stage: str = typer.Option("", "--stage", help="Only files at this stage."),
    mine: bool = typer.Option(False, "--mine", help="Only files the user leads or prosecutes."),
    limit: int = typer.Option(50, "--limit", min=1, max=1000, help="How many at most."),
    json_out: bool = JSON_OPTION,
) -> None:
    """List the files the user may read, most recently active first."""
    with unit_of_work() as session:
        actor = acting(session, as_user)
        page = service.list_files(session, actor=actor, stage=_stage(stage), mine=mine, limit=limit)
        rows = [file_row(f) for f in page.files]
    if json_out:
        typer.echo(json.dumps({"total": page.total, "files": rows}, ensure_ascii=False))
        return
    table = Table()
    for title in (_("Reference"), _("Stage"), _("How it started"), _("Title")):
        table.add_column(title)
    for r in rows:
        table.add_row(
            r["reference"], stage_label(r["stage"]), label(Origin, r["origin"]), r["title"]
        )
    Console().print(table)
    typer.echo(_("%(shown)s of %(total)s files.", shown=len(rows), total=page.total))


@app.command("show")
def show(
    reference: str = typer.Argument(..., help="The file's reference, e.g. INV-MA-2026-00001."),
    as_user: str = AS_OPTION,
    json_out: bool = JSON_OPTION,
) -> None:
    """Show a file: its facts, the time spent in each stage and its timeline."""
    with unit_of_work() as session:
        actor = acting(session, as_user)
        file = service.by_reference(session, actor=actor, reference=reference)
        row = file_row(file)
        row["summary"] = file.summary
        row["stages"] = [
            {"stage": s.stage.value, "entered": s.entered.isoformat(), "days": s.days}
            for s in service.stage_spans(session, file)
        ]
        row["timeline"] = [
            {"at": e.at.isoformat(), "kind": e.kind, "from": e.from_stage, "to": e.to_stage,
             "details": e.details}
            for e in service.events(session, file)
        ]  # fmt: skip
    if json_out:
        typer.echo(json.dumps(row, ensure_ascii=False))
        return
    typer.echo(f"{row['reference']}  {stage_label(row['stage'])}")
    typer.echo(row["title"])
    for span in row["stages"]:
        typer.echo(f"  {stage_label(span['stage'])}: {span['days']} d")


@app.command("open")
def open_file(
    as_user: str = AS_OPTION,
    title: str = typer.Option(..., "--title", help="A short name, without victims' names."),
    origin: str = typer.Option(..., "--origin", help="How it started: " + ", ".join(Origin)),
    reported_on: str = typer.Option(
        "", "--reported-on", help="When the facts were reported (YYYY-MM-DD); default today."
    ),
    summary: str = typer.Option("", "--summary", help="Summary of the facts."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Open a file for the user's agency and print its reference."""
    try:
        file_in = FileCreate(
            title=title,
            origin=origin,
            reported_on=reported_on or dt.date.today(),
            summary=summary,
        )
    except ValidationError as exc:
        fail(first_problem(exc))
    with unit_of_work() as session:
        file = service.open_file(session, actor=acting(session, as_user), file_in=file_in)
        row = file_row(file)
    if json_out:
        typer.echo(json.dumps(row, ensure_ascii=False))
        return
    typer.echo(_("File %(reference)s opened.", reference=row["reference"]))


@app.command("move")
def move(
    reference: str = typer.Argument(..., help="The file's reference."),
    stage: str = typer.Argument(..., help="The stage to move to: " + ", ".join(Stage)),
    as_user: str = AS_OPTION,
    reason: str = typer.Option("", "--reason", help="The reason (required for some moves)."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Move a file to its next stage (the same checks as the file page)."""
    try:
        move_in = FileMove(stage=stage, reason=reason)
    except ValidationError as exc:
        fail(first_problem(exc))
    with unit_of_work() as session:
        actor = acting(session, as_user)
        file = service.by_reference(session, actor=actor, reference=reference)
        service.move(session, actor=actor, file_id=file.id, move_in=move_in)
        row = file_row(file)
    if json_out:
        typer.echo(json.dumps(row, ensure_ascii=False))
        return
    typer.echo(_("%(reference)s is now at: %(stage)s.", reference=row["reference"],
                 stage=stage_label(row["stage"])))  # fmt: skip


@app.command("offences")
def list_offences(
    country: str = typer.Argument(..., help="ISO 3166-1 alpha-2 code, e.g. EG."),
    unchecked: bool = typer.Option(False, "--unchecked", help="Only references not verified."),
    json_out: bool = JSON_OPTION,
) -> None:
    """The offences a file of `country` may charge, from the law file (offences.yaml)."""
    rows = [
        {"id": o.id, "type": o.type.value, "form": o.form, "law": o.law, "article": o.article,
         "label": o.label, "checked": o.checked}
        for o in law.offences(country.upper(), current_locale())
        if not unchecked or not o.checked
    ]  # fmt: skip
    if not rows and not law.offences(country.upper()):
        fail(_("No law file for %(country)s.", country=country.upper()))
    if json_out:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    for r in rows:
        mark = "" if r["checked"] else "  " + _("(reference not verified)")
        typer.echo(f"{r['id']}: {r['label']} — {r['law']}, art. {r['article']}{mark}")


# The court track's commands (charge, withdraw-charge, judgment, hearing, hearing-outcome) join
# `app` from their own module, which uses `acting` and `AS_OPTION` above.
from jusoor.investigations import court_cli  # noqa: E402, F401
