"""One person model (`jusoor.entities.resolution.model.PersonModel`): saved as versioned data,
and one answer to "same person?" whether a pair is scored alone in Python or in a batch by the
engine."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from jusoor.entities.resolution.linkage.linker import PersonLinkage
from jusoor.entities.resolution.linkage.lookup import PersonIndex
from jusoor.entities.resolution.linkage.prepare import prepare_records
from jusoor.entities.resolution.linkage.weight_floor import M_PSEUDO_SHARE, floored_m
from jusoor.entities.resolution.model import (
    VERSION,
    ModelFileError,
    PersonModel,
)
from jusoor.synth.person_files import DEFAULT_REGION, PersonFiles, generate_person_files


@pytest.fixture(scope="module")
def files() -> PersonFiles:
    return generate_person_files(300, seed=21)


@pytest.fixture(scope="module")
def model(files: PersonFiles) -> PersonModel:
    return PersonModel.train(files.records, region=DEFAULT_REGION)


def test_a_pair_scored_alone_gets_the_probability_the_batch_gives_it(
    files: PersonFiles, model: PersonModel
) -> None:
    rows = prepare_records(files.records, region=DEFAULT_REGION)
    batch = PersonLinkage([dict(r) for r in rows], model=model.splink).resolve(0.9)
    by_id = {str(r["unique_id"]): r for r in rows}
    assert len(batch.pairs) > 100
    for a, b, probability in batch.pairs:
        alone = model.score_rows(by_id[a], by_id[b]).probability
        assert alone == pytest.approx(probability, abs=1e-6), (a, b)


def test_explain_names_each_field_and_its_level(files: PersonFiles, model: PersonModel) -> None:
    truth = files.truth
    a, b = next(
        (x, y)
        for x in truth
        for y in truth
        if truth[x] == truth[y] and x.startswith("police") and y.startswith("passengers")
    )
    records = {r["record_id"]: r for r in files.records}
    explained = model.explain(records[a], records[b])
    assert [f.field for f in explained.fields] == [
        "name",
        "dob",
        "country",
        "phone",
        "document",
        "address",
    ]
    assert explained.probability == model.score(records[a], records[b])
    assert explained.probability > 0.9
    namesake = model.explain({**records[a], "date_of_birth": "1931-01-01"}, records[b])
    born = {f.field: f for f in namesake.fields}["dob"]
    assert born.level == "All other comparisons" and born.weight < 0
    assert namesake.probability < explained.probability


def test_saved_model_loads_and_resolves_as_trained(
    files: PersonFiles, model: PersonModel, tmp_path: Path
) -> None:
    path = tmp_path / "persons.model.json"
    model.save(path)
    loaded = PersonModel.load(path)
    assert loaded == model
    assert json.loads(path.read_text("utf-8"))["version"] == VERSION
    assert loaded.resolve(files.records).clusters == model.resolve(files.records).clusters
    assert not list(tmp_path.glob("*.part"))


def test_a_model_of_another_version_or_not_a_model_is_refused(
    model: PersonModel, tmp_path: Path
) -> None:
    path = tmp_path / "m.json"
    path.write_text(json.dumps({**model.as_dict(), "version": VERSION + 1}), "utf-8")
    with pytest.raises(ModelFileError) as raised:
        PersonModel.load(path)
    assert raised.value.found == VERSION + 1
    path.write_text(json.dumps(model.splink), "utf-8")  # Splink's JSON, as before versions
    with pytest.raises(ModelFileError) as raised:
        PersonModel.load(path)
    assert raised.value.found == "0"
    level = {"label_for_charts": "jusoor_name_similarity at least 0.9"}  # a level since renamed
    renamed = {
        **model.splink,
        "comparisons": [{"output_column_name": "name", "comparison_levels": [level]}],
    }
    path.write_text(json.dumps({**model.as_dict(), "splink": renamed}), "utf-8")
    with pytest.raises(ModelFileError) as raised:
        PersonModel.load(path)
    assert raised.value.found is None
    path.write_text("[1, 2]", "utf-8")
    with pytest.raises(ModelFileError) as raised:
        PersonModel.load(path)
    assert raised.value.found is None


def test_judgements_win_over_the_model(files: PersonFiles, model: PersonModel) -> None:
    resolved = model.resolve(files.records)
    a, b, _p = max(resolved.pairs, key=lambda pair: pair[2])
    assert resolved.clusters[a] == resolved.clusters[b]
    judged = model.resolve(files.records, judgements={(a, b): "different"})
    assert judged.clusters[a] != judged.clusters[b]


def test_index_from_the_model_answers_with_the_models_own_score(
    files: PersonFiles, model: PersonModel
) -> None:
    index = PersonIndex.from_model(model, files.records)
    by_person: dict[str, set[str]] = {}
    for record_id, person in files.truth.items():
        by_person.setdefault(person, set()).add(record_id)
    records = {r["record_id"]: r for r in files.records}
    found = asked = 0
    for record in files.records[:100]:
        others = by_person[files.truth[record["record_id"]]] - {record["record_id"]}
        candidates = index.candidates(record, limit=10)
        asked += len(others)
        found += len(others & {record_id for record_id, _p, _e in candidates})
        for record_id, probability, _evidence in candidates[:2]:
            assert probability == pytest.approx(model.score(record, records[record_id]))
    assert asked > 30
    assert found / asked >= 0.9


def test_no_level_outweighs_everything_else_agreeing(
    files: PersonFiles, model: PersonModel
) -> None:
    # Trained without labels, a level no true pair reached (another nationality, another
    # phone) had an m of 1e-28: -90 bits, a veto. Each weighs at least log2(M_PSEUDO_SHARE).
    floor = math.log2(M_PSEUDO_SHARE)
    weights = [level.weight for field in model._levels for level in field.levels]
    assert min(weights) >= floor - 0.1
    assert any(w < floor + 2 for w in weights)  # levels against a pair still count against it
    records = {r["record_id"]: r for r in files.records}
    truth = files.truth
    a, b = next(
        (x, y)
        for x in truth
        for y in truth
        if x < y
        and truth[x] == truth[y]
        and model.score(records[x], records[y]) > 0.999
        and records[x]["nationality"]
    )
    mistyped = {
        **records[b],
        "nationality": "Fiji" if records[a]["nationality"] != "FJ" else "Peru",
    }
    explained = model.explain(records[a], mistyped)
    assert {f.field: f.level for f in explained.fields}["country"] == "All other comparisons"
    assert explained.probability > model.threshold


def test_the_command_trains_the_same_floored_model_as_the_app(
    files: PersonFiles, model: PersonModel, tmp_path: Path
) -> None:
    # `jusoor resolve persons` trains through the linker, `PersonModel.train` too: one model,
    # whichever trained it, no level below the floor.
    import csv

    from jusoor.entities.resolution import resolve_file

    source = tmp_path / "people.csv"
    columns = ["record_id", "full_name", "date_of_birth", "nationality", "phone", "document_number"]
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(files.records)
    saved = tmp_path / "model.json"
    resolve_file(source, tmp_path / "out.csv", model=saved, region=DEFAULT_REGION)
    trained = PersonModel.load(saved)
    weights = [level.weight for field in trained._levels for level in field.levels]
    assert min(weights) >= math.log2(M_PSEUDO_SHARE) - 0.1
    assert [lv.weight for f in trained._levels for lv in f.levels] == pytest.approx(
        [lv.weight for f in model._levels for lv in f.levels], abs=1e-6
    )


def test_the_floor_keeps_each_comparisons_m_a_distribution() -> None:
    # One comparison trained without labels: a level no true pair reached has m = 1e-28.
    levels = [(1 - 1e-28, 0.2), (1e-28, 0.8)]
    floored = [floored_m(m, u) for m, u in levels]
    assert sum(floored) == pytest.approx(1.0)
    assert math.log2(floored[1] / 0.8) == pytest.approx(math.log2(M_PSEUDO_SHARE), abs=0.01)
    assert floored[0] > 0.999
