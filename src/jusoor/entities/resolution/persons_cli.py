"""`jusoor resolve persons`: link a CSV file of person records into people. No database.

A thin adapter: read and check the file (`person_csv`), normalise (`prepare`), train or load the
model and resolve (`linkage`), write the clusters. Mount with `root.add_typer(app, name="resolve")`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from jusoor.core.console import fail
from jusoor.core.i18n import format_number
from jusoor.core.i18n import gettext as _
from jusoor.entities.matching.clusters import (
    JudgementFileError,
    apply_judgements,
    read_judgements,
    unknown_records,
)
from jusoor.entities.resolution.linkage.defaults import DEFAULT_THRESHOLD, ENGINES
from jusoor.entities.resolution.linkage.person_csv import (
    PersonFile,
    PersonFileError,
    read_person_file,
    write_clusters,
)
from jusoor.entities.resolution.linkage.prepare import prepare_records

if TYPE_CHECKING:
    from jusoor.entities.resolution.linkage.linker import PairExplanation

app = typer.Typer(
    help="Record linkage: find the records of one person across files, scripts and formats.",
    no_args_is_help=True,
)
STEPS = 4  # train or load, score pairs, cluster, write


@app.callback()
def main() -> None:
    """Record linkage: find the records of one person across files, scripts and formats."""


def _explanation_table(explanation: PairExplanation) -> Table:
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


@app.command("persons")
def persons_command(
    source: Annotated[Path, typer.Argument(help="UTF-8 CSV file of person records.")],
    out: Annotated[
        Path | None, typer.Option("--out", help="Where to write record_id, cluster_id…")
    ] = None,
    threshold: Annotated[
        float,
        typer.Option(
            min=0.0,
            max=1.0,
            help="Weakest match probability that joins two records (as the best match of one).",
        ),
    ] = DEFAULT_THRESHOLD,
    engine: Annotated[str, typer.Option(help="SQL engine: duckdb or spark.")] = "duckdb",
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
    """Link the records of SOURCE into people and write one cluster id per record."""
    # Splink and its engines load here, not when `jusoor` starts: every other command is faster.
    from jusoor.entities.resolution.linkage.engines import EngineUnavailable
    from jusoor.entities.resolution.linkage.linker import (
        OutdatedModel,
        PersonLinkage,
        TrainingFailed,
        read_model,
    )

    if engine not in ENGINES:
        fail(_("Unknown engine %(engine)s: use duckdb or spark.", engine=engine))
    if out is None and explain is None:
        fail(_("Give --out to write the clusters, or --explain to compare two records."))
    try:
        person_file = read_person_file(source)
    except PersonFileError as exc:
        fail(str(exc))
    if len(person_file.records) < 2:
        _one_record(source, out, person_file, explain)
        return
    if explain is not None:
        known = {record["record_id"] for record in person_file.records}
        for record_id in explain:
            if record_id not in known:
                fail(_("No record %(id)s in %(file)s.", id=record_id, file=source.name))
    decided: dict[tuple[str, str], str] = {}
    if judgements is not None:
        try:
            decided = read_judgements(judgements)
        except JudgementFileError as exc:
            fail(str(exc))
        known = {record["record_id"] for record in person_file.records}
        for record_id in unknown_records(decided, known):
            fail(_("No record %(id)s in %(file)s.", id=record_id, file=source.name))
    reuse = model is not None and model.exists()
    if reuse and model is not None:
        try:
            read_model(model)
        except OutdatedModel:
            fail(
                _(
                    "%(file)s was saved by an earlier version of Jusoor: train a new model "
                    "(leave out --model).",
                    file=model.name,
                )
            )
        except (OSError, ValueError):
            fail(_("%(file)s is not a saved linkage model.", file=model.name))
    console = Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        reading = progress.add_task(_("Normalising records"), total=len(person_file.records))
        rows = prepare_records(
            person_file.records,
            region=region,
            on_progress=lambda done: progress.advance(reading, done),
        )
        steps = progress.add_task(_("Linking"), total=STEPS)
        try:
            linkage = PersonLinkage(rows, model=model if reuse else None, engine=engine)
        except EngineUnavailable as exc:
            fail(str(exc))
        if not reuse:
            try:
                linkage.train()
            except TrainingFailed:
                fail(
                    _(
                        "%(file)s has too few records (%(records)s), or too few that share a "
                        "birth date, a name or a document, to train a linkage model. Give a "
                        "model trained on a larger file with --model.",
                        file=source.name,
                        records=format_number(len(rows)),
                    )
                )
            if model is not None:
                linkage.save(model)
        progress.advance(steps)
        result = linkage.resolve(threshold)
        clusters = result.clusters
        if decided:
            clusters = apply_judgements(
                result.pairs,
                decided,
                threshold=threshold,
                records=list(clusters),
                model=linkage.clusters,
            )
        progress.advance(steps, 2)
        if out is not None:
            try:
                write_clusters(out, person_file, clusters, result.best_match)
            except OSError as exc:
                fail(
                    _(
                        "%(file)s cannot be written (%(reason)s).",
                        file=str(out),
                        reason=exc.strerror,
                    )
                )
        progress.advance(steps)
    if explain is not None:
        explanation = linkage.explain(*explain)
        if as_json:
            typer.echo(json.dumps(explanation.as_dict(), ensure_ascii=False))
        else:
            Console().print(_explanation_table(explanation))
    if out is not None:
        people = len(set(clusters.values()))
        typer.echo(
            _(
                "%(records)s records, %(people)s people: written to %(file)s.",
                records=format_number(len(rows)),
                people=format_number(people),
                file=str(out),
            ),
            err=True,
        )


def _one_record(source: Path, out: Path | None, person_file: PersonFile, explain: object) -> None:
    """One record is one person: nothing to compare, nothing to train, a valid result."""
    if explain is not None or out is None:
        fail(_("%(file)s has one record: there is nothing to compare.", file=source.name))
    (record,) = person_file.records
    try:
        write_clusters(out, person_file, {record["record_id"]: record["record_id"]}, {})
    except OSError as exc:
        fail(_("%(file)s cannot be written (%(reason)s).", file=str(out), reason=exc.strerror))
    typer.echo(
        _(
            "%(file)s has one record: it is one person (written to %(out)s); no model was trained.",
            file=source.name,
            out=str(out),
        ),
        err=True,
    )
