"""`jusoor cases …`: list, show, open and move cases from the server's console.

The console acts as the node operator; every read and write is audited under that name, like any
other. Output shows pseudonymous references; `show --json` prints the whole file.
"""

from __future__ import annotations

import json
import uuid

import typer
from pydantic import ValidationError

from jusoor.agencies.service import agency_by_code
from jusoor.cases import labels, service
from jusoor.cases.htcds import cli as htcds_cli
from jusoor.cases.schemas import CaseCreate, ConsentCreate
from jusoor.cases.views import case_read
from jusoor.cases.vocabulary import Stage
from jusoor.cases.workflow import parse_stage
from jusoor.core.console import JSON_OPTION, fail, operator, unit_of_work
from jusoor.core.i18n import gettext as _
from jusoor.core.validation import first_problem

app = typer.Typer(help="Victims' cases and their National Referral Mechanism stages.")


@app.command("list")
def list_cases(
    stage: str = typer.Option("", "--stage", help="Only cases at this stage (e.g. assistance)."),
    agency: str = typer.Option("", "--agency", help="Only the cases of this agency (its code)."),
    overdue: bool = typer.Option(False, "--overdue", help="Only cases with overdue tasks."),
    limit: int = typer.Option(50, "--limit", min=1, max=200, help="At most this many cases."),
    json_out: bool = JSON_OPTION,
) -> None:
    """List cases, newest first."""
    with unit_of_work() as session:
        agency_id = None
        if agency:
            found = agency_by_code(session, agency)
            if found is None:
                fail(_("No agency has the code %(code)s.", code=agency))
            agency_id = found.id
        flt = service.CaseFilter(
            stage=parse_stage(stage) if stage else None,
            agency_id=agency_id,
            overdue=overdue,
            limit=limit,
        )
        listed = service.list_cases(session, actor=operator(), flt=flt)
        cases, total = listed.cases, listed.total
        late = service.overdue_counts(session, [c.id for c in cases])
        rows = [
            {
                "id": str(c.id),
                "reference": c.reference,
                "country": c.country,
                "stage": c.stage.value,
                "opened_at": c.opened_at.isoformat(),
                "overdue_tasks": late.get(c.id, 0),
            }
            for c in cases
        ]
    if json_out:
        typer.echo(json.dumps({"cases": rows, "total": total, "more": listed.more}))
        return
    for row in rows:
        stage_name = labels.stage_label(str(row["stage"]))
        typer.echo(f"{row['reference']}\t{stage_name}\t{row['opened_at']}")
    if listed.more:
        typer.echo(_("%(shown)s of more than %(total)s cases.", shown=len(rows), total=total))
    else:
        typer.echo(_("%(shown)s of %(total)s cases.", shown=len(rows), total=total))


@app.command("show")
def show(
    reference: str = typer.Argument(..., help="The case reference, e.g. MA-2026-000123."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Show one case (the read is audited)."""
    with unit_of_work() as session:
        file = service.get_case_by_reference(session, actor=operator(), reference=reference)
        view = case_read(session, file)
    if json_out:
        typer.echo(view.model_dump_json(exclude_unset=True))
        return
    typer.echo(_("Case %(reference)s", reference=view.reference))
    typer.echo(_("Stage: %(stage)s", stage=labels.stage_label(view.stage)))
    if view.reflection_ends_on:
        typer.echo(
            _("Recovery and reflection period ends on %(date)s.", date=view.reflection_ends_on)
        )
    for event in view.timeline or []:
        line = f"{event.at.isoformat(timespec='minutes')}  {labels.code_label('event', event.kind)}"
        typer.echo(f"{line}  ({event.actor_username})")


@app.command("open")
def open_case(
    agency: str = typer.Option(..., "--agency", help="Code of the agency that owns the case."),
    owner: str = typer.Option(..., "--owner", help="Username of the case worker."),
    gender: str = typer.Option("unknown", "--gender", help="HTCDS gender, e.g. feminine."),
    age: int | None = typer.Option(None, "--age", help="Age in years, if known."),
    child: bool | None = typer.Option(None, "--child/--adult", help="Whether under 18."),
    citizenship: list[str] = typer.Option([], "--citizenship", help="ISO code; repeatable."),
    screening: str = typer.Option("", "--screening", help="Id of the screening it comes from."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Open a case at the identification stage and print its reference."""
    try:
        case_in = CaseCreate(
            agency_code=agency,
            owner_username=owner,
            gender=gender,
            age=age,
            is_child=child,
            citizenship=citizenship,
        )
        screening_id = uuid.UUID(screening) if screening else None
    except ValidationError as exc:
        fail(first_problem(exc))
    except ValueError:
        fail(_("The screening id is not valid."))
    with unit_of_work() as session:
        case = service.open_case(
            session, actor=operator(), case_in=case_in, screening_id=screening_id
        )
        result = {"id": str(case.id), "reference": case.reference, "stage": case.stage.value}
    if json_out:
        typer.echo(json.dumps(result))
        return
    typer.echo(_("Case %(reference)s opened.", reference=result["reference"]))


@app.command("move")
def move(
    reference: str = typer.Argument(..., help="The case reference."),
    stage: str = typer.Argument(..., help="The new stage, e.g. reasonable_grounds."),
    reason: str = typer.Option(..., "--reason", help="Why the case moves now."),
    early_end_reason: str = typer.Option(
        "",
        "--early-end-reason",
        help="Why the recovery and reflection period ends before its last day (an override).",
    ),
    json_out: bool = JSON_OPTION,
) -> None:
    """Move a case to another NRM stage, if the stage machine allows it."""
    with unit_of_work() as session:
        file = service.get_case_by_reference(session, actor=operator(), reference=reference)
        event = service.move_stage(
            session,
            actor=operator(),
            case_id=file.case.id,
            stage=stage,
            reason=reason,
            early_end_reason=early_end_reason,
        )
        result = {"reference": file.case.reference, **event.details}
        target = Stage(file.case.stage)
    if json_out:
        typer.echo(json.dumps(result))
        return
    typer.echo(
        _(
            "Case %(reference)s is now at %(stage)s.",
            reference=result["reference"],
            stage=labels.stage_label(target),
        )
    )


@app.command("consent")
def consent(
    reference: str = typer.Argument(..., help="The case reference."),
    purpose: str = typer.Option(
        ...,
        "--purpose",
        help="assistance, referral (with --agency), data_for_statistics, cross_border_transfer or criminal_proceedings.",
    ),
    language: str = typer.Option(..., "--language", help="The language it was explained in."),
    agency: str | None = typer.Option(None, "--agency", help="The agency referred to."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Record the person's consent for one purpose (as given on paper, signed)."""
    try:
        consent_in = ConsentCreate(purpose=purpose, language=language, agency_code=agency)
    except ValidationError as exc:
        fail(first_problem(exc))
    with unit_of_work() as session:
        file = service.get_case_by_reference(session, actor=operator(), reference=reference)
        given = service.give_consent(
            session, actor=operator(), case_id=file.case.id, consent_in=consent_in
        )
        result = {"reference": file.case.reference, "id": str(given.id), "purpose": purpose}
    if json_out:
        typer.echo(json.dumps(result))
        return
    typer.echo(_("Consent recorded for case %(reference)s.", reference=result["reference"]))


# `export` and `import` (HTCDS files) live beside the HTCDS code; listed after the commands above.
app.add_typer(htcds_cli.app)
