"""Resolved clusters: the model's pairs above the threshold plus confirmed pairs; a rejected pair
is never merged, even when the model would; undoing a judgement gives the pair back to the model;
the batch CLI's judgement files read the same way."""

from __future__ import annotations

from pathlib import Path

import pytest

from jusoor.core.db import Database
from jusoor.entities.matching import judgements
from jusoor.entities.matching.clusters import (
    JudgementFileError,
    apply_judgements,
    cluster_of,
    contradictions,
    read_judgements,
    unknown_records,
)
from tests.entities.review_support import ARABIC, LATIN, actor, record_person


def test_model_pairs_above_the_threshold_join_and_judgements_win() -> None:
    pairs = [("a", "b", 0.97), ("b", "c", 0.95), ("c", "d", 0.4), ("e", "f", 0.2)]
    assert apply_judgements(pairs, {}) == {
        "a": "a",
        "b": "a",
        "c": "a",
        "d": "d",
        "e": "e",
        "f": "f",
    }
    confirmed = apply_judgements(pairs, {("f", "e"): "same"}, records=["g"])
    assert confirmed["f"] == confirmed["e"] == "e" and confirmed["g"] == "g"
    # Rejecting a-c, which the model joins through b: the model's edges inside go, a and c part.
    rejected = apply_judgements(pairs, {("c", "a"): "different"})
    assert rejected["a"] != rejected["c"]
    assert len({rejected[x] for x in "abc"}) == 3
    # A confirmation inside the split group still holds.
    both = apply_judgements(pairs, {("a", "c"): "different", ("a", "b"): "same"})
    assert both["a"] == both["b"] != both["c"]
    # Rejecting the pair itself is enough for a direct model edge.
    assert apply_judgements([("x", "y", 0.99)], {("x", "y"): "different"}) == {"x": "x", "y": "y"}


def test_a_batch_model_groups_the_unjudged_pairs_and_judgements_still_win() -> None:
    seen: list[list[tuple[str, str, float]]] = []

    def only_sure(
        records: list[str], pairs: list[tuple[str, str, float]], threshold: float
    ) -> dict[str, str]:
        seen.append(pairs)
        return apply_judgements([p for p in pairs if p[2] >= 0.99], {}, records=records)

    pairs = [("1", "2", 0.995), ("2", "3", 0.95), ("4", "5", 0.999)]
    decided = {("5", "4"): "different", ("3", "6"): "same"}
    clusters = apply_judgements(pairs, decided, threshold=0.9, records=["7"], model=only_sure)
    assert clusters == {"1": "1", "2": "1", "3": "3", "6": "3", "4": "4", "5": "5", "7": "7"}
    assert ("4", "5", 0.999) not in seen[0]  # a judged pair never reaches the model
    assert unknown_records(decided, clusters.keys() - {"6"}) == ["6"]


def test_confirmations_that_chain_two_rejected_records_are_reported() -> None:
    decided = {("a", "b"): "same", ("b", "c"): "same", ("a", "c"): "different"}
    clusters = apply_judgements([], decided)
    assert clusters["a"] == clusters["c"]
    assert contradictions(clusters, decided) == [("a", "c")]


def test_a_judgements_file_is_read_or_refused_naming_the_line(tmp_path: Path) -> None:
    good = tmp_path / "j.csv"
    good.write_text("record_id_a,record_id_b,decision\n2,1,Same\n3,4,different\n", "utf-8")
    assert read_judgements(good) == {("1", "2"): "same", ("3", "4"): "different"}
    bad = tmp_path / "bad.csv"
    bad.write_text("record_id_a,record_id_b,decision\n1,2,maybe\n", "utf-8")
    with pytest.raises(JudgementFileError, match="line 2"):
        read_judgements(bad)
    missing = tmp_path / "missing.csv"
    missing.write_text("a,b\n1,2\n", "utf-8")
    with pytest.raises(JudgementFileError, match="record_id_a"):
        read_judgements(missing)
    with pytest.raises(JudgementFileError):
        read_judgements(tmp_path / "absent.csv")


def test_cluster_of_merges_confirms_rejects_and_undoes(demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        username = "investigator.ma"
        a = record_person(s, username, name=[ARABIC], birthDate=["1990-03-14"]).id
        b = record_person(s, username, name=[LATIN], birthDate=["1990-03-14"]).id
        c = record_person(s, username, name=["Karim Mansouri"], birthDate=["1985"]).id
        clusters = cluster_of(s)
        assert clusters[a] == clusters[b] == min(a, b) and clusters[c] == c
        me = actor(s, username)
        rejected = judgements.judge(
            s, actor=me, entity_a=a, entity_b=b, decision="different", reason="Two cousins."
        )
        clusters = cluster_of(s)
        assert clusters[a] != clusters[b]
        judgements.undo(s, actor=me, judgement_id=rejected.id)
        assert cluster_of(s)[a] == cluster_of(s)[b]
        judgements.judge(
            s, actor=me, entity_a=a, entity_b=c, decision="same", reason="Alias in the file."
        )
        clusters = cluster_of(s)
        assert clusters[a] == clusters[b] == clusters[c]
