"""The console side of `jusoor demo load --cases N`: progress per phase, the figures per table,
and the audit head anchored once the load is committed (as `jusoor audit checkpoint` does)."""

from __future__ import annotations

import json
from contextlib import ExitStack

import typer

from jusoor.audit.checkpoints import anchor
from jusoor.core.config import get_settings
from jusoor.core.console import fail, operator, reason
from jusoor.core.db import Database
from jusoor.core.i18n import N_, format_number
from jusoor.core.i18n import gettext as _
from jusoor.core.progress import RowProgress, row_progress
from jusoor.synth import demo
from jusoor.synth.scale.loader import LoadReport, load

PHASES = {"cases": N_("Cases and their records"), "audit_events": N_("Audit events")}


def load_caseload(
    *,
    cases: int,
    seed: int,
    audit_events: int | None,
    years: int,
    batch: int,
    users_created: int,
    json_out: bool,
) -> None:
    settings = get_settings()
    db = Database(settings.effective_database_url)
    try:
        with ExitStack() as stack:
            bars: dict[str, RowProgress] = {}

            def progress(phase: str, done: int, total: int) -> None:
                if phase not in bars:
                    bars.clear()
                    stack.close()
                    bars[phase] = stack.enter_context(row_progress(_(PHASES[phase])))
                bars[phase](done, total)

            report = load(
                db,
                actor=operator(),
                password=demo.demo_password(settings),
                cases=cases,
                seed=seed,
                years=years,
                audit_events=audit_events,
                batch=batch,
                progress=progress,
            )
        anchored = anchor(db, actor=operator(), start=True)
    except Exception as exc:
        fail(_("The caseload was not loaded (nothing was kept): %(reason)s", reason=reason(exc)))
    finally:
        db.dispose()
    if json_out:
        typer.echo(json.dumps(_as_json(report, users_created, anchored.written)))
        return
    _print(report, users_created)
    if not anchored.written:
        typer.echo(_("The audit head could not be anchored: run jusoor audit verify."), err=True)


def _as_json(report: LoadReport, users_created: int, anchored: bool) -> dict[str, object]:
    return {
        "users_created": users_created,
        "cases": report.cases,
        "case_workers_created": report.case_workers_created,
        "tables": {
            name: {
                "rows": f.rows,
                "write_seconds": round(f.seconds, 2),
                "rows_per_second": round(f.rows / f.seconds) if f.seconds else None,
            }
            for name, f in report.tables.items()
        },
        "generate_seconds": round(report.generate_seconds, 1),
        "analyze_seconds": round(report.analyze_seconds, 1),
        "total_seconds": round(report.total_seconds, 1),
        "peak_rss_mb": round(report.peak_rss_mb),
        "audit_anchored": anchored,
    }


def _print(report: LoadReport, users_created: int) -> None:
    typer.echo(
        _(
            "Loaded %(cases)s cases in %(seconds)s s (%(workers)s case workers added, "
            "peak memory %(rss)s MB).",
            cases=format_number(report.cases),
            seconds=format_number(round(report.total_seconds)),
            workers=format_number(report.case_workers_created + users_created),
            rss=format_number(round(report.peak_rss_mb)),
        )
    )
    for name, f in report.tables.items():
        rate = round(f.rows / f.seconds) if f.seconds else 0
        typer.echo(
            _(
                "%(table)s: %(rows)s rows, %(rate)s rows/s written",
                table=name,
                rows=format_number(f.rows),
                rate=format_number(rate),
            )
        )
    typer.echo(
        _(
            "Drawing the rows took %(seconds)s s; ANALYZE %(analyze)s s.",
            seconds=format_number(round(report.generate_seconds)),
            analyze=format_number(round(report.analyze_seconds)),
        )
    )
