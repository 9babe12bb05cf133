"""A large batch held within bounds (issue 20, item 3): DuckDB's memory limit and spill
directory, the candidate names measured in slices, the prepared records and scored pairs kept as
Arrow columns, and each step of `jusoor resolve persons` shown as it ends."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pyarrow  # type: ignore[import-untyped]
import pytest
from typer.testing import CliRunner

from jusoor.cli.main import app
from jusoor.entities.resolution import file_resolution, persons_cli
from jusoor.entities.resolution.file_resolution import STEPS, ResolutionFailed, resolve_file
from jusoor.entities.resolution.linkage import (
    comparisons,
    engines,
    linker,
    name_measures,
    name_slices,
)
from jusoor.entities.resolution.linkage.arrow_rows import as_arrow, prepared_row, scored_pairs
from jusoor.entities.resolution.linkage.engines import open_engine
from jusoor.entities.resolution.linkage.prepare import prepare_records
from jusoor.entities.resolution.normalise.names import word_cell
from jusoor.synth.person_files import COLUMNS, DEFAULT_REGION, generate_person_files

runner = CliRunner()


@pytest.fixture(scope="module")
def person_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bounded") / "persons.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(generate_person_files(80, seed=11).records)
    return path


def _setting(api: object, name: str) -> str:
    connection = api.duckdb_con  # type: ignore[attr-defined]
    return str(connection.sql(f"SELECT current_setting('{name}')").fetchall()[0][0])


def test_duckdb_memory_is_bounded_by_the_machine_or_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(engines.MEMORY_VARIABLE, raising=False)
    limit = _setting(open_engine("duckdb"), "memory_limit")
    number, unit = limit.split()
    assert unit == "GiB" and 0.9 <= float(number) <= 4.0  # not DuckDB's 80% of the machine
    monkeypatch.setenv(engines.MEMORY_VARIABLE, "700MB")
    api = open_engine("duckdb")
    assert _setting(api, "memory_limit") == "667.5 MiB"  # 700 MB as DuckDB writes it
    spill = Path(_setting(api, "temp_directory"))
    assert spill.is_dir() and spill.name.startswith("jusoor-duckdb-")
    del api
    import gc

    gc.collect()
    assert not spill.exists()  # removed with the engine


def test_the_spill_directory_goes_where_the_variable_says(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(engines.TEMP_VARIABLE, str(tmp_path))
    spill = Path(_setting(open_engine("duckdb"), "temp_directory"))
    assert spill.parent == tmp_path


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        (engines.MEMORY_VARIABLE, "lots", "JUSOOR_DUCKDB_MEMORY_LIMIT=lots"),
        (engines.TEMP_VARIABLE, "/nowhere/at/all", "JUSOOR_DUCKDB_TEMP_DIRECTORY=/nowhere/at/all"),
    ],
)
def test_a_bad_engine_setting_is_refused_by_name_before_any_work(
    monkeypatch: pytest.MonkeyPatch,
    person_csv: Path,
    tmp_path: Path,
    variable: str,
    value: str,
    named: str,
) -> None:
    monkeypatch.setenv(variable, value)
    heard: list[str] = []
    with pytest.raises(ResolutionFailed, match=named):
        resolve_file(
            person_csv, tmp_path / "out.csv", on_progress=lambda step, d, t: heard.append(step)
        )
    assert heard == [] and not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize("in_workers", [False, True], ids=["here", "in-workers"])
def test_names_measured_in_slices_resolve_as_measured_at_once(
    monkeypatch: pytest.MonkeyPatch, person_csv: Path, tmp_path: Path, in_workers: bool
) -> None:
    comparisons.forget_grades()
    whole = resolve_file(person_csv, tmp_path / "whole.csv", region=DEFAULT_REGION)
    comparisons.forget_grades()
    monkeypatch.setattr(linker, "NAME_SLICE", 17)
    pools: list[int] = []
    opened = name_slices.forked_pool

    def pool(workers: int) -> Any:
        pools.append(workers)
        return opened(workers)

    monkeypatch.setattr(name_slices, "forked_pool", pool)
    if in_workers:
        monkeypatch.setattr(name_slices, "PARALLEL_FROM", 1)
    slices: list[tuple[int, int]] = []

    def heard(step: str, done: int, total: int) -> None:
        if step == "names" and done:
            slices.append((done, total))

    sliced = resolve_file(
        person_csv, tmp_path / "sliced.csv", region=DEFAULT_REGION, on_progress=heard
    )
    assert len(slices) > 3 and all(done <= 17 for done, _ in slices)
    assert sum(done for done, _ in slices) == slices[0][1]  # every distinct pair, once
    assert (pools[0] > 1) is in_workers
    assert sliced.resolution.clusters == whole.resolution.clusters
    assert sorted(sliced.resolution.pairs) == sorted(whole.resolution.pairs)
    assert (tmp_path / "sliced.csv").read_bytes() == (tmp_path / "whole.csv").read_bytes()


def test_every_step_is_heard_in_order(person_csv: Path, tmp_path: Path) -> None:
    heard: list[str] = []
    resolve_file(
        person_csv,
        tmp_path / "out.csv",
        region=DEFAULT_REGION,
        on_progress=lambda step, done, total: heard.append(step),
    )
    steps = list(dict.fromkeys(heard))
    assert steps == list(STEPS)
    assert all(s in file_resolution.STEPS for s in heard)


def test_the_command_prints_each_step_as_it_ends_for_a_large_file(
    monkeypatch: pytest.MonkeyPatch, person_csv: Path, tmp_path: Path
) -> None:
    monkeypatch.setattr(persons_cli, "LOGGED_FROM", 10)  # the 80 people count as large
    args = ["resolve", "persons", str(person_csv), "--out", str(tmp_path / "o.csv")]
    result = runner.invoke(app, [*args, "--region", DEFAULT_REGION])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if ": done in " in line]
    labels = persons_cli.step_labels()
    assert [line.split(": done in ")[0] for line in lines] == [labels[s] for s in STEPS]
    assert all(line.endswith(" s") for line in lines)


def test_a_small_file_prints_no_step_lines(person_csv: Path, tmp_path: Path) -> None:
    args = ["resolve", "persons", str(person_csv), "--out", str(tmp_path / "o.csv")]
    result = runner.invoke(app, [*args, "--region", DEFAULT_REGION])
    assert result.exit_code == 0, result.output
    assert ": done in " not in result.output


def test_prepared_records_and_scored_pairs_as_columns() -> None:
    rows = prepare_records(generate_person_files(5, seed=2).records, region=DEFAULT_REGION)
    table = as_arrow([dict(row) for row in rows])
    chosen = rows[3]
    assert prepared_row(table, str(chosen["unique_id"])) == chosen
    with pytest.raises(KeyError):
        prepared_row(table, "nobody")
    pairs = pyarrow.table(
        {
            "unique_id_l": ["a", "b", "a"],
            "unique_id_r": ["b", "c", "c"],
            "match_probability": [0.5, 0.25, 1.0],
        }
    )
    found = scored_pairs(pairs)
    assert found == [("a", "b", 0.5), ("b", "c", 0.25), ("a", "c", 1.0)]
    assert found[0][0] is found[2][0]  # one string per record id
    assert scored_pairs(pairs.slice(0, 0)) == []


def test_a_word_pair_is_compared_once_across_slices(monkeypatch: pytest.MonkeyPatch) -> None:
    compared: list[tuple[str, str]] = []

    def spy(word_pairs: list[tuple[str, str]]) -> list[tuple[float, float]]:
        compared.extend(word_pairs)
        return [word_cell(a, b) for a, b in word_pairs]

    monkeypatch.setattr(name_measures, "_compare_chunk", spy)
    name_measures.forget_word_pairs()
    first = (["mohamed ali salem", "omar salem"], ["mohammed ali", "omar salim"])
    again = (["omar salem"], ["omar salim"])  # a slice of pairs met before
    bits: list[str | None] = [None, None]
    expected = name_measures.measure_pairs(*again, bits[:1], bits[:1])
    name_measures.forget_word_pairs()
    compared.clear()
    name_measures.measure_pairs(*first, bits, bits)
    met = len(compared)
    assert met > 0
    assert name_measures.measure_pairs(*again, bits[:1], bits[:1]) == expected
    assert len(compared) == met  # nothing compared again
    name_measures.forget_word_pairs()
    name_measures.measure_pairs(*again, bits[:1], bits[:1])
    assert len(compared) > met  # forgotten: compared anew


def test_duckdb_running_out_of_its_memory_is_a_clear_message_and_no_output(
    monkeypatch: pytest.MonkeyPatch, person_csv: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.csv"
    out.write_text("kept\n", encoding="utf-8")
    monkeypatch.setenv(engines.MEMORY_VARIABLE, "1MB")
    comparisons.forget_grades()
    with pytest.raises(ResolutionFailed, match="JUSOOR_DUCKDB_MEMORY_LIMIT") as raised:
        resolve_file(person_csv, out, region=DEFAULT_REGION)
    assert "--engine spark" in str(raised.value) and "Traceback" not in str(raised.value)
    assert out.read_text(encoding="utf-8") == "kept\n"  # the old output is left as it was
    result = runner.invoke(app, ["resolve", "persons", str(person_csv), "--out", str(out)])
    assert result.exit_code != 0 and "JUSOOR_DUCKDB_MEMORY_LIMIT" in result.output
    assert "Traceback" not in result.output and out.read_text(encoding="utf-8") == "kept\n"


def test_spill_directories_left_by_killed_runs_are_removed_by_the_next(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import os
    import subprocess
    import sys

    gone = subprocess.Popen([sys.executable, "-c", "pass"])  # a run that was killed
    gone.wait()
    abandoned = tmp_path / f"{engines.SPILL_PREFIX}{gone.pid}-x1y2"
    (abandoned / "duckdb_temp_storage").mkdir(parents=True)
    alive = tmp_path / f"{engines.SPILL_PREFIX}{os.getpid()}-z3w4"  # a run still going
    alive.mkdir()
    other = tmp_path / "someone-elses"
    other.mkdir()
    monkeypatch.setenv(engines.TEMP_VARIABLE, str(tmp_path))
    api = open_engine("duckdb")
    spill = Path(_setting(api, "temp_directory"))
    assert not abandoned.exists()
    assert alive.is_dir() and other.is_dir() and spill.is_dir()
    assert spill.name.startswith(f"{engines.SPILL_PREFIX}{os.getpid()}-")


def test_the_engine_scores_every_pair_from_the_grades_measured_ahead(
    monkeypatch: pytest.MonkeyPatch, person_csv: Path, tmp_path: Path
) -> None:
    # DuckDB looks each pair up by its hash (`PAIR_HASH_SQL`), as the measured pairs were kept,
    # and asks for the texts of the pairs it did not find: were the two hashes ever to differ,
    # every pair's texts would cross into Python again at every level.
    scoring: list[bool] = []
    by_hash: list[int] = []
    by_text: list[int] = []
    known, text = engines.known_name_levels, engines.name_levels

    def heard(step: str, done: int, total: int) -> None:
        if step == "score":
            scoring.append(done == 0)

    def spy_known(hashes: Any, differs: Any) -> Any:
        if scoring and scoring[-1]:
            by_hash.append(len(hashes))
        return known(hashes, differs)

    def spy_text(a: Any, b: Any, bits_a: Any, bits_b: Any, differs: Any) -> Any:
        if scoring and scoring[-1]:
            by_text.append(len(a))
        return text(a, b, bits_a, bits_b, differs)

    monkeypatch.setattr(engines, "known_name_levels", spy_known)
    monkeypatch.setattr(engines, "name_levels", spy_text)
    comparisons.forget_grades()
    resolve_file(person_csv, tmp_path / "out.csv", region=DEFAULT_REGION, on_progress=heard)
    assert scoring[:1] == [True] and sum(by_hash) > 100 and sum(by_text) == 0


def _tables(report: Any) -> tuple[Any, dict[str, int]]:
    report("made", 0, 2)
    table = pyarrow.table({"a": ["محمد", None, "Mohamed"], "b": [[1, 2], [], None]})
    report("made", 2, 2)
    return table, {"rows": 3}


def _fails(report: Any) -> None:
    report("started", 0, 1)
    raise ResolutionFailed("persons.csv lacks the columns: phone.")


def _killed(report: Any) -> None:
    import os
    import signal

    os.kill(os.getpid(), signal.SIGKILL)


def test_work_done_apart_sends_back_its_tables_its_reports_and_its_errors() -> None:
    from jusoor.entities.resolution.linkage import workers

    heard: list[tuple[Any, ...]] = []
    table, counts = workers.apart(_tables, lambda *args: heard.append(args))
    assert table.equals(_tables(lambda *args: None)[0]) and counts == {"rows": 3}
    assert heard == [("made", 0, 2), ("made", 2, 2)]  # as they happened, in order
    heard.clear()
    with pytest.raises(ResolutionFailed, match="lacks the columns: phone"):
        workers.apart(_fails, lambda *args: heard.append(args))
    assert heard == [("started", 0, 1)]
    with pytest.raises(workers.WorkerLost) as lost:
        workers.apart(_killed, lambda *args: None)
    assert lost.value.exit_code == -9


def test_a_large_file_is_read_and_prepared_apart_with_the_same_result(
    monkeypatch: pytest.MonkeyPatch, person_csv: Path, tmp_path: Path
) -> None:
    import os

    whole = resolve_file(person_csv, tmp_path / "here.csv", region=DEFAULT_REGION)
    monkeypatch.setattr(file_resolution, "APART_FROM_BYTES", 0)
    where = tmp_path / "pid"
    real = file_resolution.apart

    def apart(work: Any, report: Any) -> Any:
        def watched(told: Any) -> Any:
            where.write_text(str(os.getpid()), encoding="utf-8")
            return work(told)

        return real(watched, report)

    monkeypatch.setattr(file_resolution, "apart", apart)
    heard: list[str] = []
    done = resolve_file(
        person_csv,
        tmp_path / "apart.csv",
        region=DEFAULT_REGION,
        on_progress=lambda step, _done, _total: heard.append(step),
    )
    assert int(where.read_text(encoding="utf-8")) != os.getpid()  # read and prepared apart
    assert list(dict.fromkeys(heard)) == list(STEPS)  # its steps heard here all the same
    assert done.prepared.equals(whole.prepared)
    assert done.person_file.table.equals(whole.person_file.table)
    assert (tmp_path / "apart.csv").read_bytes() == (tmp_path / "here.csv").read_bytes()
    # A bad file is refused from there as from here, naming what is wrong.
    bad = tmp_path / "bad.csv"
    bad.write_text("record_id,full_name\n1,Ali\n", encoding="utf-8")
    with pytest.raises(ResolutionFailed, match="lacks the columns"):
        resolve_file(bad, tmp_path / "bad-out.csv", region=DEFAULT_REGION)


def test_a_preparing_process_that_dies_is_a_clear_message_and_no_output(
    monkeypatch: pytest.MonkeyPatch, person_csv: Path, tmp_path: Path
) -> None:
    import os
    import signal

    from jusoor.entities.resolution.linkage import workers

    out = tmp_path / "out.csv"
    out.write_text("kept\n", encoding="utf-8")
    monkeypatch.setattr(file_resolution, "APART_FROM_BYTES", 0)
    monkeypatch.setattr(
        file_resolution,
        "apart",
        lambda work, report: workers.apart(
            lambda told: os.kill(os.getpid(), signal.SIGKILL), report
        ),
    )
    with pytest.raises(ResolutionFailed, match="out of memory") as raised:
        resolve_file(person_csv, out, region=DEFAULT_REGION)
    assert "persons.csv" in str(raised.value) and "-9" in str(raised.value)
    assert out.read_text(encoding="utf-8") == "kept\n"


def test_training_grades_its_pairs_from_the_grades_measured_ahead(
    monkeypatch: pytest.MonkeyPatch, person_csv: Path, tmp_path: Path
) -> None:
    # Expectation maximisation makes each training rule's pairs, the lesser id on the left;
    # their names are measured ahead in that order, so the engine finds every one by its hash.
    step: list[str] = [""]
    by_hash: list[int] = []
    by_text: list[int] = []
    known, text = engines.known_name_levels, engines.name_levels

    def spy_known(hashes: Any, differs: Any) -> Any:
        if step[0] == "em":
            by_hash.append(len(hashes))
        return known(hashes, differs)

    def spy_text(a: Any, b: Any, bits_a: Any, bits_b: Any, differs: Any) -> Any:
        if step[0] == "em":
            by_text.append(len(a))
        return text(a, b, bits_a, bits_b, differs)

    monkeypatch.setattr(engines, "known_name_levels", spy_known)
    monkeypatch.setattr(engines, "name_levels", spy_text)
    comparisons.forget_grades()
    measured = resolve_file(
        person_csv,
        tmp_path / "out.csv",
        region=DEFAULT_REGION,
        on_progress=lambda name, done, total: step.__setitem__(0, name),
    )
    assert sum(by_hash) > 100 and sum(by_text) == 0
    # The same model as when training graded them one at a time.
    monkeypatch.setattr(linker.PersonLinkage, "_measure_training_names", lambda self, rule: None)
    comparisons.forget_grades()
    alone = resolve_file(person_csv, tmp_path / "alone.csv", region=DEFAULT_REGION)
    unnamed = [
        {k: v for k, v in m.splink.items() if k != "linker_uid"}
        for m in (measured.model, alone.model)
    ]
    assert unnamed[0] == unnamed[1]
    assert (tmp_path / "out.csv").read_bytes() == (tmp_path / "alone.csv").read_bytes()
