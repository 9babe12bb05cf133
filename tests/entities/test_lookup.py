"""Candidate lookup for one new person record (`PersonIndex`)."""

from __future__ import annotations

from collections import defaultdict

import pytest

from jusoor.entities.resolution.linkage.lookup import PersonIndex
from jusoor.synth.person_files import DEFAULT_REGION, PersonFiles, generate_person_files


def _person(record_id: str, name: str, **fields: str) -> dict[str, str]:
    empty = dict.fromkeys(("date_of_birth", "nationality", "phone", "document_number"), "")
    return {"record_id": record_id, "full_name": name, **empty, **fields}


@pytest.fixture(scope="module")
def files() -> PersonFiles:
    return generate_person_files(300, seed=21)


@pytest.fixture(scope="module")
def index(files: PersonFiles) -> PersonIndex:
    return PersonIndex.build(files.records, region=DEFAULT_REGION)


def test_finds_the_other_records_of_the_same_person(files: PersonFiles, index: PersonIndex) -> None:
    by_person: dict[str, list[str]] = defaultdict(list)
    for record_id, person in files.truth.items():
        by_person[person].append(record_id)
    found = asked = 0
    for record in files.records[:150]:
        others = set(by_person[files.truth[record["record_id"]]]) - {record["record_id"]}
        ids = {record_id for record_id, _p, _e in index.candidates(record, limit=10)}
        asked += len(others)
        found += len(others & ids)
    assert asked > 50
    assert found / asked >= 0.9


def test_candidates_are_ranked_bounded_and_explained(
    files: PersonFiles, index: PersonIndex
) -> None:
    result = index.candidates(files.records[0], limit=3)
    assert 0 < len(result) <= 3
    probabilities = [probability for _id, probability, _e in result]
    assert probabilities == sorted(probabilities, reverse=True)
    assert all(0.0 <= p <= 1.0 for p in probabilities)
    record_id, _p, evidence = result[0]
    assert record_id == files.records[0]["record_id"]  # the record itself is indexed
    assert {item.field for item in evidence} >= {"name"}


def test_the_same_man_across_scripts_and_phone_formats_comes_first() -> None:
    index = PersonIndex.build(
        [
            _person("mr-1", "محمد الأمين ولد أكيك", phone="+222 22 45 67 89"),
            _person("mr-2", "محمد الأمين ولد أحمد", phone="+222 36 00 00 01"),
            _person("ma-1", "BENNANI, Youssef", date_of_birth="1990-01-01"),
        ],
        region="MR",
    )
    result = index.candidates(
        {"full_name": "OULD AKIK Mohamed Lamine", "phone": "0022222456789"}, limit=5
    )
    assert result[0][0] == "mr-1"
    assert result[0][1] > 0.9
    assert "ma-1" not in {record_id for record_id, _p, _e in result}
    levels = {item.field: item.level for item in result[0][2]}
    assert levels["phone"] == "same"


def test_a_stranger_or_an_empty_index_finds_nobody(index: PersonIndex) -> None:
    assert index.candidates({"full_name": "Zzyzx Qwrtp", "date_of_birth": "1066"}) == []
    assert PersonIndex.build([]).candidates({"full_name": "Mohamed Ahmed"}) == []
    assert len(PersonIndex.build([])) == 0
