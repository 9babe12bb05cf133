"""The independent person-file generator (bench/unseen_persons.py): deterministic, its two parts
share no name token, and it writes what the linkage bench needs — people in several sources,
both scripts, missing and year-only birth dates — with the truth in a column of its own."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from bench import unseen_persons

DATA = unseen_persons.default_data()
pytestmark = pytest.mark.skipif(not DATA.exists(), reason=f"no name tokens at {DATA}")


def _words(records: list[dict[str, str]]) -> set[str]:
    return {w.lower() for r in records for w in re.split(r"[\s,\-]+", r["full_name"]) if w}


def test_same_arguments_draw_the_same_records() -> None:
    first = unseen_persons.generate(300, part="held_out")
    second = unseen_persons.generate(300, part="held_out")
    assert first.records == second.records
    assert unseen_persons.generate(300, part="held_out", seed=1).records != first.records


def test_held_out_and_tuning_concepts_share_no_spelling() -> None:
    parts = unseen_persons.name_concepts(DATA)
    assert len(parts["held_out"]) > 200
    assert len(parts["tuning"]) > 200

    def spellings(part: str) -> set[str]:
        return {s for c in parts[part] for s, _n in (*c.latin, *c.arabic)}

    assert not spellings("held_out") & spellings("tuning")


def test_held_out_names_use_no_tuning_name() -> None:
    held = unseen_persons.generate(2000, part="held_out")
    tuning_latin = {s for c in unseen_persons.name_concepts(DATA)["tuning"] for s, _n in c.latin}
    # Particles and the article are shared by both parts; names are not.
    common = _words(held.records) & tuning_latin - {"ben", "bin", "ould", "al", "el"}
    assert not common


def test_people_appear_in_up_to_four_sources_in_both_scripts() -> None:
    files = unseen_persons.generate(2000, part="tuning")
    records = files.records
    per_person = Counter(r["person_id"] for r in records)
    assert set(per_person.values()) == {1, 2, 3, 4}
    assert len({(r["person_id"], r["source"]) for r in records}) == len(records)
    arabic = {r["person_id"] for r in records if re.search("[\u0600-\u06ff]", r["full_name"])}
    latin = {r["person_id"] for r in records if re.search("[A-Za-z]", r["full_name"])}
    assert len(arabic & latin) > 300


def test_birth_dates_go_missing_or_by_year_in_realistic_shares() -> None:
    records = unseen_persons.generate(2000, part="held_out").records
    missing = sum(not r["date_of_birth"] for r in records) / len(records)
    year_only = sum(bool(re.fullmatch("[0-9٠-٩]{4}", r["date_of_birth"])) for r in records)
    assert 0.1 < missing < 0.3
    assert 0.08 < year_only / len(records) < 0.25


def test_families_share_family_and_fathers_names() -> None:
    records = unseen_persons.generate(2000, part="held_out").records
    border = [r["full_name"].split() for r in records if r["source"] == "border"]
    # Passport order: FAMILY GIVEN [FATHER]; siblings repeat family and father, not given.
    by_lineage = Counter((w[0], w[-1]) for w in border if len(w) == 3)
    assert by_lineage.most_common(1)[0][1] > 1


def test_matcher_sees_no_truth_and_the_file_keeps_it(tmp_path: Path) -> None:
    files = unseen_persons.generate(50, part="tuning")
    assert all("person_id" not in r and "source" not in r for r in files.without_truth())
    path = tmp_path / "people.csv"
    files.write(path)
    header = path.read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == list(unseen_persons.COLUMNS)
    assert len(files.truth) == len(files.records)
