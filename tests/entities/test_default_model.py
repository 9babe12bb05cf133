"""The person model Jusoor ships with (`resolution.default_model`): data of the current version,
read once, and a file of another version refused naming both versions and the way to rebuild."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jusoor.entities.resolution.default_model import (
    PATH,
    REBUILD,
    DefaultModelError,
    default_model,
    load_default,
)
from jusoor.entities.resolution.model import VERSION


def test_the_shipped_model_is_data_of_this_version() -> None:
    saved = json.loads(PATH.read_text("utf-8"))
    assert saved["format"] == "jusoor-person-model" and saved["version"] == VERSION
    model = default_model()
    assert model is default_model()  # read once
    fields = [c["output_column_name"] for c in model.splink["comparisons"]]
    assert fields == ["name", "dob", "country", "phone", "document", "address"]
    assert 0 < model.threshold < 1


def test_a_shipped_model_of_another_version_says_which_and_how_to_rebuild(tmp_path: Path) -> None:
    older = tmp_path / "persons.model.json"
    older.write_text(json.dumps({**json.loads(PATH.read_text("utf-8")), "version": 0}), "utf-8")
    with pytest.raises(DefaultModelError) as refused:
        load_default(older)
    message = str(refused.value)
    assert f"version 0; this Jusoor reads version {VERSION}" in message and REBUILD in message
    broken = tmp_path / "broken.json"
    broken.write_text("[]", "utf-8")
    with pytest.raises(DefaultModelError, match="not a saved person model"):
        load_default(broken)
    with pytest.raises(DefaultModelError, match="cannot be read"):
        load_default(tmp_path / "absent.json")


def _dob_level(born_a: str, born_b: str) -> tuple[str, float]:
    a = {"record_id": "a", "full_name": "Safia Mansour", "date_of_birth": born_a}
    b = {"record_id": "b", "full_name": "صفية منصور", "date_of_birth": born_b}
    dob = {f.field: f for f in default_model().explain(a, b).fields}["dob"]
    return dob.level, dob.weight


def test_a_year_out_against_a_year_alone_is_not_two_full_dates_a_year_apart() -> None:
    # A year alone is often an age turned into a year: a year out is common for one person.
    estimated, estimated_weight = _dob_level("1990", "02/05/1991")
    typed, typed_weight = _dob_level("1990-07-12", "02/05/1991")
    assert estimated == "one year apart, one date partial"
    assert typed == "one year apart"
    assert estimated_weight > typed_weight


def test_a_mistyped_digit_of_the_year_keeps_the_day_and_month() -> None:
    level, weight = _dob_level("21.11.1973", "21/11/1963")
    assert level == "same day and month, another year"
    assert weight > _dob_level("21.11.1973", "05/03/1963")[1]


def test_a_passport_against_an_identity_card_says_nothing() -> None:
    # One column holds either document: two numbers of different kinds weigh as a missing one,
    # two different numbers of one kind against one person.
    a = {"record_id": "a", "full_name": "Safia Mansour", "document_number": "RD2137776"}
    card = {"record_id": "b", "full_name": "صفية منصور", "document_number": "9191207511"}
    passport = {**card, "document_number": "TK5530291"}
    apart = {f.field: f for f in default_model().explain(a, card).fields}["document"]
    assert apart.weight == 0
    other = {f.field: f for f in default_model().explain(a, passport).fields}["document"]
    assert other.weight < 0


def test_close_names_on_a_pair_of_words_few_records_share_weigh_more_in_a_batch() -> None:
    # In a batch, "Zahra … Khalifa" held by few records is a rare pair of words: stronger
    # evidence than the same close names as a pair scored alone, which knows no rarity.
    from jusoor.entities.resolution.linkage.prepare import prepare_records

    a = {"record_id": "a", "full_name": "Zahra Khalifa", "nationality": "ER"}
    b = {"record_id": "b", "full_name": "Zahra Mohamed Khalifa", "nationality": "ER"}
    left, right = prepare_records([a, b])
    model = default_model()
    batch = {f.field: f for f in model.score_rows(left, right).fields}["name"]
    alone = {f.field: f for f in model.explain(a, b).fields}["name"]
    assert batch.level.endswith("sharing a rare pair of words")
    assert not alone.level.endswith("sharing a rare pair of words")
    assert batch.weight > alone.weight
