"""`jusoor plans …`: list, show, export and report on national action plans from the console.

The console acts on behalf of a named user (`--as coordinator.ma`): the permission matrix, the
user's country and agency and the audit trail apply exactly as on the pages.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any

import typer
from pydantic import ValidationError

from jusoor.core.console import JSON_OPTION, fail, unit_of_work
from jusoor.core.i18n import gettext as _
from jusoor.core.validation import first_problem
from jusoor.plans import export, labels, progress, service
from jusoor.plans.schemas import ReportIn
from jusoor.plans.views import plan_view
from jusoor.stats.console import AS_OPTION, acting

app = typer.Typer(help="National action plans: list, show, export, report progress.")


def _plan_id(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        fail(_("%(value)s is not a plan id (see `jusoor plans list`).", value=value))


@app.command("list")
def list_plans(as_user: str = AS_OPTION, as_json: bool = JSON_OPTION) -> None:
    """The plans the user may read."""
    with unit_of_work() as session:
        actor = acting(session, as_user)
        rows = [
            {
                "id": str(p.id),
                "country": p.country,
                "title": labels.plan_title(p, "en"),
                "period": f"{p.period_start.year}-{p.period_end.year}",
                "status": p.status.value,
            }
            for p in service.list_plans(session, actor=actor)
        ]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        typer.echo(
            f"{row['id']}  {row['country']}  {row['period']}  {row['status']}  {row['title']}"
        )


@app.command("show")
def show(plan: str, as_user: str = AS_OPTION, as_json: bool = JSON_OPTION) -> None:
    """A plan: pillars, measures (overdue marked) and indicators (baseline, latest, target)."""
    with unit_of_work() as session:
        actor = acting(session, as_user)
        found = service.get_plan(session, actor=actor, plan_id=_plan_id(plan))
        doc = export.document(plan_view(actor, found, "en"), "en")
    if as_json:
        typer.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    typer.echo(
        f"{doc['plan']['title']} ({doc['plan']['period_start']} - {doc['plan']['period_end']})"
    )
    for pillar in doc["pillars"]:
        typer.echo(f"\n[{pillar['pillar']}] {pillar['title']}")
        for m in pillar["measures"]:
            late = " OVERDUE" if m["overdue"] else ""
            typer.echo(f"  - {m['title']} — {m['lead']} — {m['status']} — {m['deadline']}{late}")
        for i in pillar["indicators"]:
            typer.echo(f"  * {i['name']}: {i['baseline']} -> {i['latest'] or '…'} -> {i['target']}")


@app.command("export")
def export_plan(
    plan: str,
    out: Path = typer.Option(..., "--out", help="The file to write (.json or .xlsx)."),
    format: str = typer.Option("xlsx", "--format", help="xlsx or json."),
    as_user: str = AS_OPTION,
) -> None:
    """The plan for the annual national report; small computed counts are shown as <5."""
    with unit_of_work() as session:
        actor = acting(session, as_user)
        content = export.export_plan(session, actor=actor, plan_id=_plan_id(plan), format=format)
        # Written whole or not at all: a temporary file beside the target, then renamed.
        partial = out.with_name(f".{out.name}.partial")
        partial.write_bytes(content)
        os.replace(partial, out)
    typer.echo(_("Written: %(path)s", path=str(out)))


def _report_in(file: Path | None, options: dict[str, Any]) -> ReportIn:
    try:
        if file is not None:
            return ReportIn.model_validate_json(file.read_bytes())
        return ReportIn.model_validate(options)
    except ValidationError as exc:
        fail(first_problem(exc))


@app.command("report")
def report(
    plan: str,
    as_user: str = AS_OPTION,
    file: Path | None = typer.Option(
        None, "--file", help="A JSON report: label, period_start, period_end, measures, indicators."
    ),
    period: str = typer.Option("", "--period", help="The period's label, e.g. 2026 or 2026-H1."),
    start: str = typer.Option("", "--start", help="The period's first day (YYYY-MM-DD)."),
    end: str = typer.Option("", "--end", help="The period's last day (YYYY-MM-DD)."),
    measure: str = typer.Option("", "--measure", help="The measure reported on (its id)."),
    status: str = typer.Option(
        "", "--status", help="planned, in_progress, done, delayed, cancelled."
    ),
    narrative: str = typer.Option("", "--narrative", help="What was done in the period."),
    evidence: list[str] = typer.Option([], "--evidence", help="A link to evidence (repeatable)."),
) -> None:
    """Report progress on one measure (options) or on many measures and indicators (--file)."""
    options: dict[str, Any] = {
        "label": period,
        "period_start": start or None,
        "period_end": end or None,
        "measures": [
            {"measure_id": measure, "status": status, "narrative": narrative, "evidence": evidence}
        ]
        if measure
        else [],
    }
    report_in = _report_in(file, options)
    with unit_of_work() as session:
        actor = acting(session, as_user)
        saved = progress.report_progress(
            session, actor=actor, plan_id=_plan_id(plan), report_in=report_in
        )
        label = saved.label
    typer.echo(_("Progress reported for %(period)s.", period=label))
