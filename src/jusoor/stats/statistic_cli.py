"""`jusoor stats statistics` and `jusoor stats show ID`: the catalogue of statistics, and one of
them as the `--as` user may see it — counts published like every table, durations (days: median,
mean, 90th percentile) shown only where enough people stand behind them. Audited as on the API."""

from __future__ import annotations

import json
from typing import Any

import typer
from rich.console import Console
from rich.table import Table as RichTable

from jusoor.audit.service import record
from jusoor.core.console import JSON_OPTION, fail, reason, unit_of_work
from jusoor.core.errors import DomainError
from jusoor.core.i18n import gettext as _
from jusoor.stats import service
from jusoor.stats.console import AS_OPTION, acting
from jusoor.stats.disclosure import (
    DEFAULT_THRESHOLD,
    PublishedDurations,
    check_threshold,
    protect,
    protect_durations,
)
from jusoor.stats.table_cli import (
    FROM_DATE_OPTION,
    MIN_OPTION,
    TO_DATE_OPTION,
    YEAR_OPTION,
    _period,
    _print,
    _published,
)
from jusoor.stats.tables import Table

BY_OPTION = typer.Option("", "--by", help="Dimensions, comma-separated (default: the statistic's).")


def statistics(json_out: bool = JSON_OPTION) -> None:
    """List the statistics Jusoor computes (id, kind, what it counts, default breakdown)."""
    entries: list[dict[str, Any]] = [
        {"id": s.id, "kind": s.kind, "source": s.source, "by": list(s.by), "label": _(s.label)}
        for s in service.catalogue()
    ]
    if json_out:
        typer.echo(json.dumps(entries, ensure_ascii=False))
        return
    rich = RichTable(title=_("Statistics"))
    for column in ("id", "kind", "by", "label"):
        rich.add_column(column)
    for e in entries:
        rich.add_row(e["id"], e["kind"], ",".join(e["by"]), e["label"])
    Console().print(rich)


def _durations_data(table: PublishedDurations) -> dict[str, Any]:
    def shown(item: Any) -> dict[str, Any]:
        return {"count": item.count.text, "median": item.median, "mean": item.mean,
                "p90": item.p90}  # fmt: skip

    return {
        "statistic": table.statistic,
        "unit": table.unit,
        "by": list(table.by),
        "cells": [{"key": list(k), **shown(s)} for k, s in sorted(table.cells.items())],
        "overall": shown(table.overall),
        "threshold": table.threshold,
        "notes": table.notes,
        "filters": table.filters,
    }


def _print_durations(table: PublishedDurations) -> None:
    rich = RichTable(title=f"{table.statistic} ({_('days')})")
    for name in table.by:
        rich.add_column(name)
    for column in (_("Count"), _("Median"), _("Mean"), _("90th percentile")):
        rich.add_column(column, justify="right")

    def days(value: float | None) -> str:
        return "" if value is None else f"{value:.1f}"

    for key, s in sorted(table.cells.items()):
        rich.add_row(*key, s.count.text, days(s.median), days(s.mean), days(s.p90))
    o = table.overall
    rich.add_row(*([_("Total")] + [""] * (len(table.by) - 1)), o.count.text, days(o.median),
                 days(o.mean), days(o.p90))  # fmt: skip
    console = Console()
    console.print(rich)
    for note in table.notes:
        console.print(note)


def show(
    statistic_id: str = typer.Argument(..., help="An id from `jusoor stats statistics`."),
    as_user: str = AS_OPTION,
    by: str = BY_OPTION,
    year: int | None = YEAR_OPTION,
    from_date: str | None = FROM_DATE_OPTION,
    to_date: str | None = TO_DATE_OPTION,
    min_count: int | None = MIN_OPTION,
    json_out: bool = JSON_OPTION,
) -> None:
    """One statistic of the catalogue, published: small counts hidden, durations only over
    enough people."""
    names = [n.strip() for n in by.split(",") if n.strip()] or None
    try:
        threshold = check_threshold(DEFAULT_THRESHOLD if min_count is None else min_count)
        start, end = _period(year, from_date, to_date)
        with unit_of_work() as session:
            actor = acting(session, as_user)
            exact = service.statistic(session, actor, statistic_id, by=names, start=start, end=end)
            record(session, actor=actor, action="stats.read", object_type="stats_statistic",
                   object_id=statistic_id, details={"by": list(exact.by), **exact.filters})  # fmt: skip
    except DomainError as exc:
        fail(reason(exc))
    if isinstance(exact, Table):
        published = protect(exact, threshold=threshold)
        if json_out:
            typer.echo(json.dumps(_published(published), ensure_ascii=False))
        else:
            _print(published)
        return
    durations = protect_durations(exact, threshold=threshold)
    if json_out:
        typer.echo(json.dumps(_durations_data(durations), ensure_ascii=False))
    else:
        _print_durations(durations)
