"""Name pairs measured all at once give exactly what one pair at a time gives."""

from __future__ import annotations

from dataclasses import replace
from itertools import combinations
from typing import Any

import pyarrow  # type: ignore[import-untyped]
import pytest

from jusoor.entities.resolution.linkage import comparisons, name_measures
from jusoor.entities.resolution.linkage.linker import JUSOOR_PLAN, PersonLinkage
from jusoor.entities.resolution.linkage.prepare import prepare_records
from jusoor.entities.resolution.linkage.sorted_keys import SortedKeys
from jusoor.entities.resolution.normalise.namekeys import parse_name
from jusoor.entities.resolution.normalise.names import _row_maxima, word_cell
from jusoor.synth.person_files import DEFAULT_REGION, generate_person_files

NamePair = tuple[str, str, str | None, str | None]


@pytest.fixture(scope="module")
def pairs() -> list[NamePair]:
    """Pairs of prepared names from a generated file that share a word, as linkage meets them,
    and a few odd ones: no words at all, bits missing or shorter than the name."""
    rows = prepare_records(generate_person_files(120, seed=8).records, region=DEFAULT_REGION)
    named = [(r["name"], r["name_bits"], set(r["name_keys"])) for r in rows if r["name"]]
    found: list[NamePair] = [
        (a, b, bits_a, bits_b)
        for (a, bits_a, keys_a), (b, bits_b, keys_b) in combinations(named, 2)
        if keys_a & keys_b
    ]
    found += [
        ("", "mohamed ali", None, "3.0 4.0"),
        ("ould", "mohamed ali", "", "3.0 4.0"),
        ("mohamed mohamed ali", "ali mohamed", "1.0", None),
        ("fatima zahra", "فاطمة الزهراء", "5.0 6.0 7.0", "5.0"),
    ]
    return found


def _competing(a: str, b: str) -> bool:
    words_a, words_b = parse_name(a).words, parse_name(b).words
    rows, columns = (words_b, words_a) if len(words_a) > len(words_b) else (words_a, words_b)
    if not rows:
        return False
    evidence = [[s * w for s, w in (word_cell(r, c) for c in columns)] for r in rows]
    return _row_maxima(evidence) is None


def test_measured_together_equals_measured_one_by_one(pairs: list[NamePair]) -> None:
    together = name_measures.measure_pairs(*zip(*pairs, strict=True))
    assert together == [name_measures.measure(*pair) for pair in pairs]
    # Both ways of aligning words were taken: at once, and one by one where words compete.
    assert sum(_competing(a, b) for a, b, _x, _y in pairs) > 10
    assert sum(m[0] >= 0.9 for m in together) > 50 and sum(m[1] > 0 for m in together) > 50


def test_arrow_columns_and_worker_processes_give_the_same(
    pairs: list[NamePair], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(name_measures, "PARALLEL_FROM", 10)
    monkeypatch.setattr(name_measures, "_CHUNK", 100)
    columns = [pyarrow.array(column, pyarrow.string()) for column in zip(*pairs, strict=True)]
    assert name_measures.measure_pairs(*columns) == [name_measures.measure(*pair) for pair in pairs]


def test_a_batch_measured_ahead_grades_as_it_would_unmeasured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rows = prepare_records(generate_person_files(150, seed=4).records, region=DEFAULT_REGION)
    batches: list[int] = []

    def spy(*columns: list[str]) -> tuple[Any, Any]:
        batches.append(len(columns[0]))
        return name_measures.measure_arrays(*columns)

    ahead = PersonLinkage(rows)
    ahead.train(replace(JUSOOR_PLAN, calibrate=False))
    comparisons.forget_grades()  # training met some pairs: forget them
    with monkeypatch.context() as patch:
        patch.setattr(comparisons, "measure_arrays", spy)
        ahead.calibrate_match_rate()
    assert sum(batches) > 100  # the candidate pairs were measured ahead
    comparisons.forget_grades()
    monkeypatch.setattr(PersonLinkage, "_measure_names", lambda self, blocked: None)
    alone = PersonLinkage(rows)
    alone.train()
    scored = {(a, b): p for a, b, p in ahead.resolve(0.5).pairs}
    assert scored == pytest.approx({(a, b): p for a, b, p in alone.resolve(0.5).pairs})


def test_the_engine_function_grades_rows_as_name_level_does(pairs: list[NamePair]) -> None:
    comparisons.forget_grades()
    rows = [(*pair, differs) for pair in pairs[:300] for differs in (False, True, None)]
    rows += [(None, "ali", None, None, False), ("ali", None, "1.0", None, True)]
    expected = [comparisons.name_level(*row) for row in rows]
    comparisons.forget_grades()  # first met by the engine function, then known
    columns = [pyarrow.array(column) for column in zip(*rows, strict=True)]
    for _ in range(2):
        assert comparisons.name_levels(*columns).to_pylist() == expected
    assert None in expected and len(set(expected)) > 4


def test_a_batchs_grades_are_all_kept_however_many(
    monkeypatch: pytest.MonkeyPatch, pairs: list[NamePair]
) -> None:
    # The dictionary of grades started afresh past its limit, so a million records' grades were
    # mostly gone when the engine asked for them. The batch's table keeps every one.
    monkeypatch.setattr(comparisons, "GRADED_LIMIT", 10)
    comparisons.forget_grades()
    chosen = pairs[:300]
    columns = [pyarrow.array(column) for column in zip(*chosen, strict=True)]
    assert comparisons.measure_names(*columns) == len(set(chosen))
    assert comparisons.measure_names(*columns) == 0  # all known
    graded_alone: list[int] = []
    monkeypatch.setattr(comparisons, "_graded", lambda *pair: graded_alone.append(1) or 0)
    differs = pyarrow.array([False] * len(chosen))
    levels = comparisons.name_levels(*columns, differs).to_pylist()
    assert graded_alone == []  # none graded one at a time
    comparisons.forget_grades()
    monkeypatch.undo()
    assert levels == [comparisons.name_level(*pair, False) for pair in chosen]


def test_the_grade_table_finds_what_was_added_in_any_order() -> None:
    import numpy as np

    table = SortedKeys(np.int32, comparisons._NOT_GRADED)
    rng = np.random.default_rng(7)
    parts = [rng.integers(-(2**62), 2**62, size) for size in (1000, 1, 0, 500)]
    for number, part in enumerate(parts):
        table.add(part, np.full(len(part), number, np.int32))
        if number == 1:
            assert table.find(parts[0][:3]).tolist() == [0, 0, 0]  # looked up between adds
    for number, part in enumerate(parts):
        assert (table.find(part) == number).all()
    absent = np.array([12345, -6789], np.int64)
    assert table.find(absent).tolist() == [comparisons._NOT_GRADED] * 2
    assert len(table) == 1501


def test_the_grade_table_answers_many_threads_at_once() -> None:
    # DuckDB calls the name function from several threads. The table once merged what was
    # added at the first lookup, and two threads merging at once failed a 100,000-people run
    # ("need at least one array to concatenate"). Lookups now only read.
    import threading

    import numpy as np

    table = SortedKeys(np.int32, comparisons._NOT_GRADED)
    rng = np.random.default_rng(11)
    for _round in range(5):
        parts = [rng.integers(-(2**62), 2**62, 200_000) for _ in range(4)]
        for number, part in enumerate(parts):
            table.add(part, np.full(len(part), number, np.int32))
        start, failures = threading.Barrier(8), []

        def look(
            part: np.ndarray, number: int, start: threading.Barrier, failures: list[str]
        ) -> None:
            start.wait()
            try:
                if not (table.find(part) == number).all():
                    failures.append("wrong code")
            except Exception as exc:  # the failure the test looks for
                failures.append(repr(exc))

        threads = [
            threading.Thread(target=look, args=(parts[i % 4], i % 4, start, failures))
            for i in range(8)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
        table.clear()


def test_grades_taken_together_are_those_of_one_pair_at_a_time() -> None:
    import numpy as np

    cuts = [cut for cut, _bits in comparisons._GRADES] + [0.0, 0.5999, 1.0]
    bits = [b for _cut, b in comparisons._GRADES if b is not None] + [0.0, 7.9999, 40.0]
    rng = np.random.default_rng(3)
    measured = [(c, b) for c in cuts for b in bits]  # every boundary, exactly
    measured += [
        (round(float(s), 4), round(float(n), 2)) for s, n in rng.random((500, 2)) * (1, 30)
    ]
    similarity, information = (np.array(column) for column in zip(*measured, strict=True))
    together = comparisons.codes(similarity, information).tolist()
    assert together == [comparisons._code(found) for found in measured]
    assert len(set(together)) > 10


def test_the_vocabulary_starts_afresh_when_full(
    monkeypatch: pytest.MonkeyPatch, pairs: list[NamePair]
) -> None:
    # Spark's Python workers measure batch after batch in one process: bounded all the same.
    from jusoor.entities.resolution.linkage import name_vocabulary

    monkeypatch.setattr(name_vocabulary, "NAME_LIMIT", 50)
    name_measures.forget_word_pairs()
    chosen = pairs[:200]
    for start in range(0, len(chosen), 40):
        part = chosen[start : start + 40]
        assert name_measures.measure_pairs(*zip(*part, strict=True)) == [
            name_measures.measure(*pair) for pair in part
        ]
        assert len(name_measures._VOCABULARY._name_ids) <= 50 + 80
    name_measures.forget_word_pairs()


def test_sorted_keys_indexed_find_what_a_binary_search_finds() -> None:
    import numpy as np

    from jusoor.entities.resolution.linkage import sorted_keys

    rng = np.random.default_rng(3)
    extremes = np.array([-(2**63), 2**63 - 1, -1, 0, 1], np.int64)
    kept = np.unique(np.concatenate([rng.integers(-(2**63), 2**63 - 1, 200_000), extremes]))
    table = SortedKeys(np.int32, -2)
    table.add(kept, np.arange(len(kept), dtype=np.int32))
    table.settle(index=True)
    assert table._index is not None  # indexed: past INDEX_FROM keys
    # Half kept, half not, with neighbours of kept keys and the extremes.
    asked = np.concatenate([kept[::2], rng.integers(-(2**63), 2**63 - 1, 50_000), kept[1::7] + 1])
    expected = np.full(len(asked), -2, np.int32)
    where = np.minimum(np.searchsorted(kept, asked), len(kept) - 1)
    hit = kept[where] == asked
    expected[hit] = where[hit]
    assert (table.find(asked) == expected).all()
    index = sorted_keys._Index(kept)
    assert (index.find(kept, asked) == np.searchsorted(kept, asked)).all()
    table.add(np.array([5], np.int64), np.array([7], np.int32))  # a change: index let go of
    table.settle()
    assert table._index is None and table.find(np.array([5]))[0] == 7
