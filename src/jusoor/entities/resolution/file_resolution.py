"""A person file resolved into people, start to end: what `jusoor resolve persons` does.

    resolved = resolve_file(Path("people.csv"), Path("clusters.csv"), region="JO")
    resolved.people, resolved.model.explain_rows(...)

Input: a UTF-8 CSV with the columns `INPUT_COLUMNS` (record_id, full_name, date_of_birth,
nationality, phone, document_number); other columns are carried to the output unchanged.
Output: `OUTPUT_COLUMNS` (record_id, cluster_id, match_probability), then those other columns,
one row per record in the input's order, written whole or not at all. Everything that can be
checked before the work (the file, the judgements, the saved model, the engine) is checked
first; every refusal is a `ResolutionFailed` whose message names the file, column, version or
engine and what to do.

A large file (a million records on a 2-core machine with 8 GiB) is held compactly: read and
prepared in a process of its own (`_read_and_prepare`), the records and the prepared records as
Arrow tables (`linkage.person_csv`, `linkage.arrow_rows`), the engine's memory bounded and
spilled to disk beyond (`linkage.engines`), the names measured in slices (`PersonLinkage`).
`on_progress` hears each step (`STEPS`), as the CLI shows them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jusoor.core.i18n import format_number
from jusoor.core.i18n import gettext as _
from jusoor.entities.resolution.judgement_file import JudgementFileError, read_judgements
from jusoor.entities.resolution.linkage.clustering import unknown_records
from jusoor.entities.resolution.linkage.defaults import ENGINES
from jusoor.entities.resolution.linkage.outcome import Resolution
from jusoor.entities.resolution.linkage.person_csv import (
    OUTPUT_COLUMNS,
    PersonFile,
    PersonFileError,
    read_person_file,
    write_clusters,
)
from jusoor.entities.resolution.linkage.prepare import INPUT_COLUMNS, Prepared, prepare_records
from jusoor.entities.resolution.linkage.workers import WorkerLost, apart
from jusoor.entities.resolution.model import VERSION, ModelFileError, PairScore, PersonModel

__all__ = ["INPUT_COLUMNS", "OUTPUT_COLUMNS", "ResolutionFailed", "ResolvedFile", "resolve_file"]
Progress = Callable[[str, int, int], object]  # step, done, total
# The steps `on_progress` hears, in order (training's only when a model is trained; "names" only
# on DuckDB; "block", "names" and "score" once in training and, with a saved model, once after).
STEPS = (
    "read",
    "prepare",
    "match_rate",
    "u",
    "em",
    "contrast",
    "block",
    "names",
    "score",
    "train",
    "cluster",
    "write",
)


class ResolutionFailed(Exception):
    """The file cannot be resolved; the message says why, in the operator's language."""


@dataclass(frozen=True)
class ResolvedFile:
    person_file: PersonFile
    prepared: Any  # the records as the model compares them: an Arrow table (`arrow_rows`)
    model: PersonModel
    resolution: Resolution
    trained: bool  # the model was trained on this file (else read from --model)

    @property
    def people(self) -> int:
        return len(set(self.resolution.clusters.values()))

    def explain(self, record_a: str, record_b: str) -> PairScore:
        """The model's evidence on two records of the file, field by field (as in the batch)."""
        from jusoor.entities.resolution.linkage.arrow_rows import prepared_row

        return self.model.score_rows(
            prepared_row(self.prepared, record_a), prepared_row(self.prepared, record_b)
        )


def read_model(path: Path) -> PersonModel:
    """The saved model at `path`, or `ResolutionFailed` saying why it cannot be used."""
    try:
        return PersonModel.load(path)
    except ModelFileError as exc:
        if exc.found is None:
            raise ResolutionFailed(
                _("%(file)s is not a saved person model.", file=path.name)
            ) from None
        if exc.found == "0":
            raise ResolutionFailed(
                _(
                    "%(file)s was saved by an earlier version of Jusoor: train a new model "
                    "(leave out --model).",
                    file=path.name,
                )
            ) from None
        raise ResolutionFailed(
            _(
                "%(file)s is a person model of version %(found)s; this Jusoor reads version "
                "%(expected)s: train a new model (leave out --model).",
                file=path.name,
                found=str(exc.found),
                expected=str(VERSION),
            )
        ) from None
    except OSError as exc:
        raise ResolutionFailed(
            _("%(file)s cannot be read (%(reason)s).", file=path.name, reason=exc.strerror)
        ) from None


def read_input(
    source: Path, *, judgements: Path | None = None
) -> tuple[PersonFile, dict[tuple[str, str], str]]:
    """The person file and the judgements on it, checked against each other."""
    try:
        person_file = read_person_file(source)
    except PersonFileError as exc:
        raise ResolutionFailed(str(exc)) from None
    decided: dict[tuple[str, str], str] = {}
    if judgements is not None:
        try:
            decided = read_judgements(judgements)
        except JudgementFileError as exc:
            raise ResolutionFailed(str(exc)) from None
        known = set(person_file.record_ids())
        for record_id in unknown_records(decided, known):
            raise ResolutionFailed(
                _("No record %(id)s in %(file)s.", id=record_id, file=source.name)
            )
    return person_file, decided


def resolve_file(
    source: Path,
    out: Path | None,
    *,
    model: Path | None = None,
    threshold: float | None = None,
    engine: str = "duckdb",
    spark_master: str | None = None,
    region: str | None = None,
    judgements: Path | None = None,
    explain: tuple[str, str] | None = None,
    on_progress: Progress | None = None,
) -> ResolvedFile:
    """Resolve the records of `source` into people and write them to `out` (if given).

    `model`: a saved model, reused when the file exists, else trained on `source` (without
    labels) and saved there. `threshold` (default: the model's) is the weakest best match that
    joins. `judgements`: a CSV of record_id_a, record_id_b, decision (same or different), which
    wins over the model. `explain`: two record ids to be compared afterwards
    (`ResolvedFile.explain`), checked first. `engine`: duckdb (in this process) or spark
    (`local[2]`, or `spark_master`, default $SPARK_MASTER; see `linkage.spark_engine`). Raises
    `ResolutionFailed`; `out` is then left as it was."""
    _check_engine(engine)
    report = on_progress or (lambda step, done, total: None)
    saved = read_model(model) if model is not None and model.exists() else None
    if saved is not None and threshold is not None:
        saved = saved.with_threshold(threshold)
    person_file, decided, prepared = _read_and_prepare(
        source,
        judgements,
        explain,
        region if saved is None or region else saved.region,
        report,
    )
    if len(person_file) < 2:  # one record is one person: nothing to compare or train
        only = person_file.record_ids()[0]
        chosen = saved or PersonModel(_untrained_settings(), region=region)
        resolution = Resolution({only: only}, {only: 0.0}, [])
        _write(out, person_file, resolution, report)
        return ResolvedFile(person_file, prepared, chosen, resolution, trained=False)
    with _engine_session(engine, prepared.num_rows, spark_master):
        chosen, resolution = _link(
            prepared, saved, engine, region, threshold, decided, source, report
        )
    if saved is None and model is not None:
        try:
            chosen.save(model)
        except OSError as exc:
            raise ResolutionFailed(
                _("%(file)s cannot be written (%(reason)s).", file=str(model), reason=exc.strerror)
            ) from None
    _write(out, person_file, resolution, report)
    return ResolvedFile(person_file, prepared, chosen, resolution, trained=saved is None)


# Files from which reading and preparing are done in a process of their own (`workers.apart`):
# some 80,000 records.
APART_FROM_BYTES = 8_000_000


def _read_and_prepare(
    source: Path,
    judgements: Path | None,
    explain: tuple[str, str] | None,
    region: str | None,
    report: Progress,
) -> tuple[PersonFile, dict[tuple[str, str], str], Any]:
    """The person file, the judgements on it and its prepared records (an Arrow table), all
    checked. A large file is read and prepared in a process of its own, which sends back the
    records and the prepared records as Arrow tables (`workers.apart`): this process never
    holds a dictionary per record, and stays small for the engine's steps."""

    def work(told: Progress) -> tuple[PersonFile, dict[tuple[str, str], str], Any]:
        told("read", 0, 1)
        person_file, decided = read_input(source, judgements=judgements)
        told("read", 1, 1)
        if explain is not None:
            _check_explained(source, person_file, explain)
        count = len(person_file)
        prepared = _prepared_table(
            prepare_records(
                person_file.records(),
                region=region,
                on_progress=lambda done: told("prepare", done, count),
            )
        )
        return person_file, decided, prepared

    try:
        large = source.stat().st_size >= APART_FROM_BYTES
    except OSError:
        large = False  # read_input says why it cannot be read
    if not large:
        return work(report)
    try:
        return apart(work, report)
    except WorkerLost as exc:
        raise ResolutionFailed(
            _(
                "Reading and preparing %(file)s stopped: its process ended with code %(code)s "
                "(out of memory?). Try again on a machine with more memory, or split the file.",
                file=source.name,
                code=str(exc.exit_code),
            )
        ) from None


def _prepared_table(prepared: list[Prepared]) -> Any:
    """The prepared records as one Arrow table (`arrow_rows.as_arrow`), the dictionaries let
    go as soon as it is made: they would take ten times its memory for the rest of the run."""
    from jusoor.entities.resolution.linkage.arrow_rows import as_arrow

    table = as_arrow(prepared)
    prepared.clear()
    return table


def _check_engine(engine: str) -> None:
    """Refuse an unknown engine, or one that cannot run here, before any work."""
    if engine not in ENGINES:
        raise ResolutionFailed(_("Unknown engine %(engine)s: use duckdb or spark.", engine=engine))
    from jusoor.entities.resolution.linkage.engines import EngineUnavailable, check_engine_settings

    try:
        check_engine_settings(engine)
    except EngineUnavailable as exc:
        raise ResolutionFailed(str(exc)) from None
    if engine == "spark":
        from jusoor.entities.resolution.linkage.spark_engine import SparkUnavailable, check_spark

        try:
            check_spark()
        except SparkUnavailable as exc:
            raise ResolutionFailed(str(exc)) from None


@contextmanager
def _engine_session(engine: str, records: int, spark_master: str | None) -> Iterator[None]:
    """The engine's session for the batch (Spark's), stopped when the batch is done."""
    # Splink and its engines load here, not when `jusoor` starts.
    from jusoor.entities.resolution.linkage.engines import (
        MEMORY_VARIABLE,
        EngineUnavailable,
        duckdb_memory_limit,
        engine_session,
        out_of_memory,
    )

    with ExitStack() as stack:
        try:
            stack.enter_context(engine_session(engine, records=records, spark_master=spark_master))
        except EngineUnavailable as exc:
            raise ResolutionFailed(str(exc)) from None
        try:
            yield
        except Exception as exc:
            if engine == "duckdb" and out_of_memory(exc):
                raise ResolutionFailed(
                    _(
                        "DuckDB needed more than the %(limit)s of memory it may use for "
                        "%(records)s records. Set %(variable)s to more (such as 6GB) if the "
                        "machine has it, or run with --engine spark. Nothing was written.",
                        limit=duckdb_memory_limit(),
                        records=format_number(records),
                        variable=MEMORY_VARIABLE,
                    )
                ) from None
            raise


def _check_explained(source: Path, person_file: PersonFile, explain: tuple[str, str]) -> None:
    if len(person_file) < 2:
        raise ResolutionFailed(
            _("%(file)s has one record: there is nothing to compare.", file=source.name)
        )
    known = set(person_file.record_ids())
    for record_id in explain:
        if record_id not in known:
            raise ResolutionFailed(
                _("No record %(id)s in %(file)s.", id=record_id, file=source.name)
            )


def _link(
    prepared: Any,
    saved: PersonModel | None,
    engine: str,
    region: str | None,
    threshold: float | None,
    decided: dict[tuple[str, str], str],
    source: Path,
    report: Progress,
) -> tuple[PersonModel, Resolution]:
    # Splink and its engines load here, not when `jusoor` starts.
    from jusoor.entities.resolution.linkage.engines import EngineUnavailable
    from jusoor.entities.resolution.linkage.linker import PersonLinkage, TrainingFailed

    try:
        linkage = PersonLinkage(
            prepared, model=saved.splink if saved else None, engine=engine, on_step=report
        )
    except EngineUnavailable as exc:
        raise ResolutionFailed(str(exc)) from None
    chosen = saved
    if chosen is None:
        try:
            linkage.train()
        except TrainingFailed:
            raise ResolutionFailed(
                _(
                    "%(file)s has too few records (%(records)s), or too few that share a "
                    "birth date, a name or a document, to train a linkage model. Give a "
                    "model trained on a larger file with --model.",
                    file=source.name,
                    records=format_number(prepared.num_rows),
                )
            ) from None
        chosen = PersonModel(linkage.model(), region=region)
        if threshold is not None:
            chosen = chosen.with_threshold(threshold)
    report("train", 1, 1)
    resolution = chosen.resolve_linkage(linkage, decided)  # reports "cluster" (the linkage)
    return chosen, resolution


def _write(
    out: Path | None, person_file: PersonFile, resolution: Resolution, report: Progress
) -> None:
    if out is None:
        return
    report("write", 0, 1)
    try:
        write_clusters(out, person_file, resolution.clusters, resolution.best_match)
        report("write", 1, 1)
    except OSError as exc:
        raise ResolutionFailed(
            _("%(file)s cannot be written (%(reason)s).", file=str(out), reason=exc.strerror)
        ) from None


def _untrained_settings() -> dict[str, object]:
    """Settings that score nothing: the model of a file of one record (nothing was learnt)."""
    return {"comparisons": [], "probability_two_random_records_match": 0.5}
