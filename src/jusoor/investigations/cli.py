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
from jusoor.investigations import from_screening, service
from jusoor.investigations import offences as law
from jusoor.investigations.labels import label, stage_label
from jusoor.investigations.models import InvestigationFile
from jusoor.investigations.schemas import FileCreate, FileMove
from jusoor.investigations.vocabulary import DefendantRole, Origin, Stage

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
    origin: str = typer.Option(
        "",
        "--origin",
        help="How it started: " + ", ".join(Origin) + " (screening with --screening).",
    ),
    reported_on: str = typer.Option(
        "", "--reported-on", help="When the facts were reported (YYYY-MM-DD); default today."
    ),
    summary: str = typer.Option("", "--summary", help="Summary of the facts."),
    screening: str = typer.Option(
        "", "--screening", help="Open it from this completed screening (its id); origin screening."
    ),
    link_case: bool = typer.Option(
        True, "--link-case/--no-link-case", help="With --screening: link the screening's case."
    ),
    json_out: bool = JSON_OPTION,
) -> None:
    """Open a file for the user's agency and print its reference."""
    try:
        file_in = FileCreate(
            title=title,
            origin=origin or ("screening" if screening else ""),
            reported_on=reported_on or dt.date.today(),
            summary=summary,
        )
    except ValidationError as exc:
        fail(first_problem(exc))
    with unit_of_work() as session:
        actor = acting(session, as_user)
        if screening:
            file = from_screening.open_from_screening(
                session, actor=actor, screening_id=screening, file_in=file_in, link_case=link_case
            )
        else:
            file = service.open_file(session, actor=actor, file_in=file_in)
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


# People on the file and the figures (jusoor.investigations.defendants, witnesses, figures).


@app.command("figures")
def figures_command(
    year: int = typer.Option(..., "--year", help="The calendar year counted."),
    country: str = typer.Option("", "--country", help="ISO 3166-1 alpha-2; default the user's."),
    as_user: str = AS_OPTION,
    json_out: bool = JSON_OPTION,
) -> None:
    """Persons brought into formal contact, prosecuted and convicted for trafficking in a year,
    by sex, age group, citizenship and form of exploitation (GLOTIP), and smuggling totals."""
    from jusoor.investigations.figures import criminal_justice_figures

    with unit_of_work() as session:
        actor = acting(session, as_user)
        found = criminal_justice_figures(session, actor=actor, year=year, country=country or None)
        data = found.as_dict()
    if json_out:
        typer.echo(json.dumps(data, ensure_ascii=False))
        return
    typer.echo(_("%(country)s, %(year)s", country=data["country"], year=data["year"]))
    steps = (("formal_contact", _("Brought into formal contact")),
             ("prosecuted", _("Prosecuted")), ("convicted", _("Convicted")))  # fmt: skip
    for key, title in steps:
        part = data[key]
        typer.echo(f"{title}: {part['total']}")
        for group in ("by_sex", "by_age", "by_citizenship", "by_form"):
            cells = ", ".join(f"{k} {n}" for k, n in part[group].items())
            if cells:
                typer.echo(f"  {cells}")
    smuggling = data["smuggling"]
    typer.echo(
        _("Smuggling of migrants: %(contact)s, %(prosecuted)s, %(convicted)s",
          contact=smuggling["formal_contact"], prosecuted=smuggling["prosecuted"],
          convicted=smuggling["convicted"])
    )  # fmt: skip


@app.command("defendants")
def list_defendants(
    reference: str = typer.Argument(..., help="The file's reference."),
    as_user: str = AS_OPTION,
    json_out: bool = JSON_OPTION,
) -> None:
    """The defendants of a file: role, sex, age, citizenship (names only from your records)."""
    from jusoor.investigations.defendants import defendants_of

    with unit_of_work() as session:
        actor = acting(session, as_user)
        file = service.by_reference(session, actor=actor, reference=reference)
        rows = [
            {"id": str(v.defendant.id), "entity_id": str(v.defendant.entity_id), "name": v.name,
             "role": v.defendant.role.value, "sex": v.defendant.sex.value, "age": v.defendant.age,
             "citizenship": v.defendant.citizenship, "charged": v.charged,
             "formal_contact_on": v.defendant.formal_contact_on.isoformat()
             if v.defendant.formal_contact_on else None}
            for v in defendants_of(session, actor=actor, file=file)
        ]  # fmt: skip
    if json_out:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    for r in rows:
        typer.echo(
            f"{r['name'] or '—'}  {label(DefendantRole, str(r['role']))}  {r['citizenship'] or ''}"
        )


@app.command("add-defendant")
def add_defendant(
    reference: str = typer.Argument(..., help="The file's reference."),
    as_user: str = AS_OPTION,
    role: str = typer.Option(..., "--role", help="One of: " + ", ".join(DefendantRole)),
    entity: str = typer.Option("", "--entity", help="The id of a Person record you may read."),
    name: str = typer.Option("", "--name", help="A new person's full name (instead of --entity)."),
    sex: str = typer.Option("unknown", "--sex", help="male, female or unknown."),
    age: int | None = typer.Option(None, "--age", help="Age when brought into formal contact."),
    citizenship: str = typer.Option("", "--citizenship", help="ISO 3166-1 alpha-2."),
    contact_on: str = typer.Option("", "--formal-contact-on", help="YYYY-MM-DD."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Add a defendant to a file (the same checks as the file page)."""
    from jusoor.investigations.defendants import DefendantCreate
    from jusoor.investigations.defendants import add_defendant as add

    raw = {"role": role, "entity_id": entity, "name": name, "sex": sex, "age": age,
           "citizenship": citizenship, "formal_contact_on": contact_on}  # fmt: skip
    try:
        defendant_in = DefendantCreate.model_validate({k: v for k, v in raw.items() if v != ""})
    except ValidationError as exc:
        fail(first_problem(exc))
    with unit_of_work() as session:
        actor = acting(session, as_user)
        file = service.by_reference(session, actor=actor, reference=reference)
        added = add(session, actor=actor, file_id=file.id, defendant_in=defendant_in)
        row = {"id": str(added.id), "entity_id": str(added.entity_id), "role": added.role.value}
    if json_out:
        typer.echo(json.dumps(row, ensure_ascii=False))
        return
    typer.echo(_("Defendant added to %(reference)s.", reference=reference.upper()))


@app.command("victims")
def list_victims(
    reference: str = typer.Argument(..., help="The file's reference."),
    as_user: str = AS_OPTION,
    json_out: bool = JSON_OPTION,
) -> None:
    """The victims of a file by case reference, with what the person's consent lets you see."""
    from jusoor.investigations.witnesses import victims_of

    with unit_of_work() as session:
        actor = acting(session, as_user)
        file = service.by_reference(session, actor=actor, reference=reference)
        rows = [
            {"id": str(v.link.id), "case_reference": v.link.case_reference,
             "case_stage": v.case_stage.value, "consent": v.consent, "gender": v.gender,
             "age_band": v.age_band, "is_child": v.is_child, "citizenship": list(v.citizenship),
             "forms_of_exploitation": list(v.forms_of_exploitation),
             "measures": [m.measure.value for m in v.measures]}
            for v in victims_of(session, actor=actor, file=file)
        ]  # fmt: skip
    if json_out:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    for r in rows:
        typer.echo(f"{r['case_reference']}  {r['case_stage']}")


@app.command("link-victim")
def link_victim(
    reference: str = typer.Argument(..., help="The file's reference."),
    case_reference: str = typer.Argument(..., help="The victim's case reference."),
    as_user: str = AS_OPTION,
    json_out: bool = JSON_OPTION,
) -> None:
    """Link a victim's NRM case to a file as a victim-witness."""
    from jusoor.investigations.witnesses import VictimLinkCreate
    from jusoor.investigations.witnesses import link_victim as link

    with unit_of_work() as session:
        actor = acting(session, as_user)
        file = service.by_reference(session, actor=actor, reference=reference)
        made = link(session, actor=actor, file_id=file.id,
                    link_in=VictimLinkCreate(case_reference=case_reference))  # fmt: skip
        row = {"id": str(made.id), "case_reference": made.case_reference}
    if json_out:
        typer.echo(json.dumps(row, ensure_ascii=False))
        return
    typer.echo(_("Case %(case)s linked to %(reference)s.", case=row["case_reference"],
                 reference=reference.upper()))  # fmt: skip


# The court track's commands (charge, withdraw-charge, judgment, hearing, hearing-outcome) join
# `app` from their own module, which uses `acting` and `AS_OPTION` above.
from jusoor.investigations import court_cli  # noqa: E402, F401
