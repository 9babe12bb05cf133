"""`jusoor resolve persons`: link a CSV file of person records into people. No database.

A thin adapter over `file_resolution.resolve_file`: options in, progress and messages out.
Mount with `root.add_typer(app, name="resolve")`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from jusoor.core.console import fail
from jusoor.core.i18n import format_number
from jusoor.core.i18n import gettext as _
from jusoor.entities.resolution.file_resolution import (
    INPUT_COLUMNS,
    OUTPUT_COLUMNS,
    ResolutionFailed,
    resolve_file,
)
from jusoor.entities.resolution.model import PairScore

app = typer.Typer(
    help="Record linkage: find the records of one person across files, scripts and formats.",
    no_args_is_help=True,
)
LOGGED_FROM = 10_000  # records from which each step's time is printed as it ends
PERSONS_HELP = (
    "Link the records of SOURCE into people and write one cluster id per record.\n\n"
    f"SOURCE is a UTF-8 CSV file with the columns {', '.join(INPUT_COLUMNS)} (values may be "
    "empty, names in any script); other columns are copied to the output unchanged.\n\n"
    f"--out writes {', '.join(OUTPUT_COLUMNS)}, then those other columns, one row per record in "
    "the order of SOURCE. The output is written whole or not at all."
)


@app.callback()
def main() -> None:
    """Record linkage: find the records of one person across files, scripts and formats."""


def _explanation_table(explanation: PairScore) -> Table:
    table = Table(
        title=_(
            "Match probability: %(probability)s",
            probability=format_number(round(explanation.probability, 4)),
        )
    )
    table.add_column(_("Field"))
    table.add_column(_("Agreement"))
    table.add_column(_("Evidence (match weight)"), justify="right")
    for evidence in explanation.fields:
        table.add_row(evidence.field, evidence.level, format_number(round(evidence.weight, 2)))
    return table


def _as_dict(record_a: str, record_b: str, explanation: PairScore) -> dict[str, object]:
    return {
        "record_a": record_a,
        "record_b": record_b,
        "match_probability": round(explanation.probability, 6),
        "match_weight": round(explanation.weight, 3),
        "fields": [
            {"field": f.field, "level": f.level, "weight": round(f.weight, 3)}
            for f in explanation.fields
        ],
    }


def step_labels() -> dict[str, str]:
    """What the progress shows for each step of `resolve_file` (`file_resolution.STEPS`)."""
    return {
        "read": _("Reading the file"),
        "prepare": _("Normalising records"),
        "match_rate": _("Training: how rare a match is"),
        "u": _("Training: how often unrelated records agree"),
        "em": _("Training: how often one person's records agree"),
        "contrast": _("Training: agreement among records that differ"),
        "block": _("Finding candidate pairs"),
        "names": _("Comparing names, slice by slice"),
        "score": _("Scoring candidate pairs"),
        "train": _("Training or reading the model"),
        "cluster": _("Grouping records into people"),
        "write": _("Writing the clusters"),
    }


def _progress_steps(progress: Progress) -> Callable[[str, int, int], None]:
    """The `on_progress` of `resolve_file`: one bar per step while it runs (`done` advances
    it), and, for a file of `LOGGED_FROM` records or more, a line with each step's time when
    it ends, so that a log of a long run keeps them (a small file's output stays its one line
    of result or refusal). A step heard again after it ended (candidate pairs are scored in
    training, then again with a saved model) starts anew."""
    labels = step_labels()
    tasks: dict[str, TaskID] = {}
    counts: dict[str, tuple[int, int]] = {}  # step → done, total
    took: dict[str, float] = {}  # step → when it started, then how long it took
    logged = False

    def line(step: str) -> None:
        seconds = format_number(round(took[step], 1))
        text = _("%(step)s: done in %(seconds)s s", step=labels.get(step, step), seconds=seconds)
        progress.console.print(text, highlight=False)

    def advance(step: str, done: int, total: int) -> None:
        nonlocal logged
        total = max(total, 1)
        if step not in tasks or (done == 0 and counts[step][0] >= counts[step][1]):
            tasks[step] = progress.add_task(labels.get(step, step), total=total)
            counts[step] = (0, total)
            took[step] = time.monotonic()
        if step == "prepare" and not logged and total >= LOGGED_FROM:
            logged = True
            for earlier in took.keys() - {step}:
                line(earlier)  # the file's reading, ended before its size was known
        reached = counts[step][0] + done
        counts[step] = (reached, total)
        progress.update(tasks[step], completed=reached, total=total)
        if reached >= total and done:
            took[step] = time.monotonic() - took[step]
            if logged:
                line(step)

    return advance


@app.command("persons", help=PERSONS_HELP)
def persons_command(
    source: Annotated[Path, typer.Argument(help="UTF-8 CSV file of person records.")],
    out: Annotated[
        Path | None, typer.Option("--out", help="Where to write record_id, cluster_id…")
    ] = None,
    threshold: Annotated[
        float | None,
        typer.Option(
            min=0.0,
            max=1.0,
            help="Weakest match probability that joins two records (as the best match of one); "
            "default: the model's (0.72 for a new one).",
        ),
    ] = None,
    engine: Annotated[
        str,
        typer.Option(
            help="SQL engine: duckdb (in this process) or spark (pyspark and Java 17 or later; "
            "local[2] on this machine unless --spark-master is given)."
        ),
    ] = "duckdb",
    spark_master: Annotated[
        str | None,
        typer.Option(
            envvar="SPARK_MASTER",
            help="With --engine spark: the Spark master, e.g. spark://host:7077 (default: "
            "local[2]). Every executor must have Jusoor installed.",
        ),
    ] = None,
    model: Annotated[
        Path | None,
        typer.Option(help="Model JSON: reused when the file exists, else trained and saved."),
    ] = None,
    region: Annotated[
        str | None, typer.Option(help="Country (ISO alpha-2) that reads local phone numbers.")
    ] = None,
    explain: Annotated[
        tuple[str, str] | None,
        typer.Option(help="Show the evidence for two record ids, field by field."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the explanation as JSON.")] = False,
    judgements: Annotated[
        Path | None,
        typer.Option(
            help="CSV of record_id_a, record_id_b, decision (same or different): people's "
            "decisions, which win over the model."
        ),
    ] = None,
) -> None:
    if out is None and explain is None:
        fail(_("Give --out to write the clusters, or --explain to compare two records."))
    console = Console(stderr=True)
    columns = (TextColumn("{task.description}"), BarColumn(), TaskProgressColumn())
    with Progress(*columns, TimeElapsedColumn(), console=console, transient=True) as progress:
        advance = _progress_steps(progress)
        try:
            resolved = resolve_file(
                source,
                out,
                model=model,
                threshold=threshold,
                engine=engine,
                spark_master=spark_master,
                region=region,
                judgements=judgements,
                explain=explain,
                on_progress=advance,
            )
        except ResolutionFailed as exc:
            fail(str(exc))
    if explain is not None:
        explanation = resolved.explain(*explain)
        if as_json:
            typer.echo(json.dumps(_as_dict(*explain, explanation), ensure_ascii=False))
        else:
            Console().print(_explanation_table(explanation))
    if out is None:
        return
    records = len(resolved.person_file)
    if records == 1:
        message = _(
            "%(file)s has one record: it is one person (written to %(out)s); no model was trained.",
            file=source.name,
            out=str(out),
        )
    else:
        message = _(
            "%(records)s records, %(people)s people: written to %(file)s.",
            records=format_number(records),
            people=format_number(resolved.people),
            file=str(out),
        )
    typer.echo(message, err=True)
