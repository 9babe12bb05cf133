"""Name rarity (bits of the words two names agree on), and clusters that never join records
which conflict (the conflicts the model finds are tested in test_linkage_model.py)."""

from __future__ import annotations

import math
import os

import pytest

from jusoor.entities.resolution.linkage import prepare, workers
from jusoor.entities.resolution.linkage.clustering import cluster
from jusoor.entities.resolution.linkage.comparisons import (
    _GRADES,
    DIFFERENT_GIVEN,
    UNLIKE,
    name_information,
    name_level,
)
from jusoor.entities.resolution.linkage.prepare import prepare_records
from jusoor.entities.resolution.linkage.rarity import parse_bits, rarity_key, word_bits
from jusoor.entities.resolution.normalise import namekeys
from jusoor.entities.resolution.normalise.names import agreement
from jusoor.synth.person_files import DEFAULT_REGION, generate_person_files


def test_a_word_in_every_record_carries_nothing_and_a_unique_word_log2_n() -> None:
    names = ["Mohamed Salem", "Mohamed Ahmed", "Mohamed Akeik", "Mohamed Brahim"]
    bits = [parse_bits(text) for text in word_bits(names)]
    assert [b[0] for b in bits] == [0.0] * 4  # Mohamed is in all four
    assert all(b[1] == pytest.approx(math.log2(4), abs=0.05) for b in bits)


def test_spellings_and_scripts_of_one_name_are_counted_as_one_word() -> None:
    assert rarity_key("محمد") == rarity_key("mohamed") == rarity_key("mouhamed")
    bits = [parse_bits(text) for text in word_bits(["محمد سالم", "Mohamed Ahmed", "Ahmed Ali"])]
    assert bits[0][0] == bits[1][0] == pytest.approx(math.log2(3 / 2), abs=0.05)


def test_a_missing_name_has_no_bits() -> None:
    assert word_bits(["", "Ali Salem"])[0] is None
    assert parse_bits(None) == ()


def test_information_counts_the_rarer_reading_of_each_agreed_word() -> None:
    a, b = "Hajar Mint Abdel Kader Mint Sidiya", "MINT SIDIA Hajar Mint Abdel Kader"
    found = agreement(a, b)
    assert found.score > 0.9
    assert len(found.pairs) == 3  # Hajar, Abdelkader, Sidiya; the particles set aside
    assert found.information((1.0, 2.0, 3.0), (9.0, 9.0, 9.0)) == pytest.approx(6.0)
    # b's words are Sidia, Hajar, Abdelkader: Hajar counts min(1.0, 0.5)
    assert name_information(a, b, "1.0 2.0 3.0", "9.0 0.5 9.0") == pytest.approx(5.5)
    assert name_information(None, b, None, "1 1 1") is None


def test_unrelated_names_agree_on_no_bits() -> None:
    assert agreement("Fatima Zahra", "Oumar Diallo").pairs == ()
    assert name_information("Fatima Zahra", "Oumar Diallo", "9 9", "9 9") == 0.0


def test_a_rare_full_name_carries_more_bits_than_a_common_one_in_a_batch() -> None:
    common = [{"record_id": f"c{i}", "full_name": "Mohamed Ahmed"} for i in range(40)]
    rare = [
        {"record_id": "r1", "full_name": "Hajar Mint Abdel Kader Mint Sidiya"},
        {"record_id": "r2", "full_name": "MINT SIDIA, Hajar Mint Abdel Kader"},
    ]
    rows = {str(row["unique_id"]): row for row in prepare_records(common + rare)}

    def bits(x: str, y: str) -> float | None:
        a, b = rows[x], rows[y]
        return name_information(
            str(a["name"]), str(b["name"]), str(a["name_bits"]), str(b["name_bits"])
        )

    assert (bits("r1", "r2") or 0) > 3 * (bits("c1", "c2") or 0) > 0


def test_a_record_that_says_little_does_not_chain_two_people_who_differ() -> None:
    # b matches a and c equally well, but a and c were born twenty years apart.
    pairs = [("a", "b", 0.95), ("b", "c", 0.93)]
    born = {"a": 1965, "b": None, "c": 1987}

    def differ(x: str, y: str) -> bool:
        return bool(born[x] and born[y] and born[x] != born[y])

    assert cluster("abc", pairs, 0.6) == {"a": "a", "b": "a", "c": "a"}
    grouped = cluster("abc", pairs, 0.6, differ)
    assert grouped["b"] == grouped["a"] != grouped["c"]  # the stronger link wins


def test_conflicts_leave_every_other_join_alone() -> None:
    pairs = [("a", "b", 0.95), ("c", "d", 0.7), ("d", "e", 0.65)]
    grouped = cluster("abcde", pairs, 0.6, lambda x, y: False)
    assert grouped == cluster("abcde", pairs, 0.6)


def test_a_record_that_fits_two_people_equally_joins_neither_by_a_weak_link() -> None:
    # An intake "x" fits "a" and "b" (two different men) equally well: ambiguous.
    pairs = [("a", "x", 0.8), ("b", "x", 0.8)]
    grouped = cluster("abx", pairs, 0.6)
    assert len(set(grouped.values())) == 3
    # When the two are one person (joined by a sure pair), the intake joins them.
    grouped = cluster("abx", [*pairs, ("a", "b", 0.97)], 0.6)
    assert len(set(grouped.values())) == 1
    # A plainly better partner is joined.
    grouped = cluster("abcx", [("a", "x", 0.85), ("b", "x", 0.8), ("b", "c", 0.9)], 0.6)
    assert grouped["x"] == grouped["a"] != grouped["b"]


@pytest.mark.parametrize(
    ("a", "b", "bits_a", "bits_b", "given_differs", "expected"),
    [
        # 24 bits agreed: ≥0.9, ≥23 bits
        ("Hajar Mint Sidiya", "SIDIYA, Hajar", "12 15", "12 15", False, _GRADES.index((0.9, 23.0))),
        ("Hajar Mint Sidiya", "SIDIYA, Hajar", "1 2", "1 2", False, _GRADES.index((0.9, None))),
        ("Hajar Mint Sidiya", "SIDIYA, Hajar", "12 15", "12 15", True, DIFFERENT_GIVEN),
        ("Fatima Zahra", "Oumar Diallo", "9 9", "9 9", False, UNLIKE),
        (None, "Oumar Diallo", None, "9 9", False, None),
    ],
)
def test_names_are_graded_by_similarity_bits_and_given_names(
    a: str | None,
    b: str,
    bits_a: str | None,
    bits_b: str,
    given_differs: bool,
    expected: int | None,
) -> None:
    assert name_level(a, b, bits_a, bits_b, given_differs) == expected


def test_a_large_batch_is_prepared_alike_in_several_processes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = generate_person_files(150, seed=5)
    alone = prepare_records(files.records, region=DEFAULT_REGION)
    monkeypatch.setattr(prepare, "PARALLEL_FROM", 10)
    monkeypatch.setattr(prepare, "_CHUNK", 40)
    steps: list[int] = []
    shared = prepare_records(files.records, region=DEFAULT_REGION, on_progress=steps.append)
    assert prepare._workers(len(files.records)) > 1 or (os.cpu_count() or 1) == 1
    assert shared == alone
    assert sum(steps) == len(files.records) and len(steps) > 1


def test_a_daemonic_process_prepares_its_batch_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    # A daemonic process (a multiprocessing.Pool worker) may not start processes of its own.
    monkeypatch.setattr(prepare, "PARALLEL_FROM", 10)

    class Daemon:
        daemon = True

    assert prepare._workers(1000) == max(1, min(os.cpu_count() or 1, workers.MAX_WORKERS))
    monkeypatch.setattr(workers, "current_process", Daemon)
    assert prepare._workers(1000) == 1


def test_a_batch_hands_its_normalised_names_on_and_keeps_no_working_field() -> None:
    files = generate_person_files(40, seed=12)
    rows = prepare_records(files.records, region=DEFAULT_REGION)
    names = [row["name"] for row in rows if isinstance(row["name"], str)]
    assert names and all(prepare.RARITY_KEYS not in row for row in rows)
    assert all(prepare.TRIPLE_KEYS not in row for row in rows)
    # Known normal: normalising a prepared name again is a lookup, and changes nothing.
    assert all(namekeys.normalize_name(name) is name for name in names)
    assert [row["name_bits"] for row in rows] == word_bits([row["name"] for row in rows])


@pytest.mark.parametrize(("a", "b"), [("Zahra Khalifa", "Zahra Mohamed Khalifa")])
def test_close_names_are_graded_by_the_rarity_of_the_words_they_agree_on(a: str, b: str) -> None:
    # Below 0.9 too (a father's name left out), a rare given and family name is stronger
    # evidence than a common one.
    rare = name_level(a, b, "6 6", "6 1 6", False)  # 12 bits agreed on
    common = name_level(a, b, "2 2", "2 1 2", False)
    assert rare is not None and common is not None and rare < common < DIFFERENT_GIVEN
