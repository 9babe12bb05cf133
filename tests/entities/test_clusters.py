"""Resolved clusters, one rule for the app and `jusoor resolve persons`
(`resolution.linkage.clustering.cluster`): the model's pairs join strongest first; a `same`
judgement joins; a `different` one is never merged across, even through third records; undoing a
judgement gives the pair back to the model; the batch CLI's judgement files read the same way."""

from __future__ import annotations

from pathlib import Path

import pytest

from jusoor.core.db import Database
from jusoor.entities.matching import judgements
from jusoor.entities.matching.clusters import apply_judgements, cluster_of
from jusoor.entities.resolution.judgement_file import JudgementFileError, read_judgements
from jusoor.entities.resolution.linkage.clustering import (
    cluster,
    contradictions,
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
    # Rejecting a-c, which the model joins through b: the stronger pair a-b joins first, then
    # b-c would put a and c together and gives way.
    rejected = apply_judgements(pairs, {("c", "a"): "different"})
    assert rejected["a"] == rejected["b"] == "a" and rejected["c"] == "c"
    # A confirmation holds beside a rejection.
    both = apply_judgements(pairs, {("a", "c"): "different", ("b", "c"): "same"})
    assert both["b"] == both["c"] != both["a"]
    # Rejecting the pair itself is enough for a direct model edge.
    assert apply_judgements([("x", "y", 0.99)], {("x", "y"): "different"}) == {"x": "x", "y": "y"}


def test_a_not_same_judgement_holds_through_any_chain_of_third_records() -> None:
    # a–b, c–d and b–c are each sure; a and d were judged not the same person. Joined strongest
    # first: a–b, then c–d, then b–c would put a with d and is refused.
    pairs = [("a", "b", 0.99), ("c", "d", 0.98), ("b", "c", 0.95), ("d", "e", 0.93)]
    decided = {("d", "a"): "different"}
    clusters = cluster(["z"], pairs, 0.72, judgements=decided)
    assert clusters == {"a": "a", "b": "a", "c": "c", "d": "c", "e": "c", "z": "z"}
    assert contradictions(clusters, decided) == []
    # Without the judgement the chain joins all five.
    assert set(cluster([], pairs, 0.72).values()) == {"a"}


def test_a_same_judgement_joins_what_the_model_leaves_apart() -> None:
    # The model scores p–q too low to join, and never saw q–r: people's word joins them, and
    # the records the model ties to them come along.
    pairs = [("p", "q", 0.1), ("r", "s", 0.99)]
    clusters = cluster([], pairs, 0.72, judgements={("r", "q"): "same"})
    assert clusters == {"p": "p", "q": "q", "r": "q", "s": "q"}
    # A judged pair is no model pair: confirmed, p–q's low score cannot keep it apart.
    assert cluster([], pairs, 0.72, judgements={("q", "p"): "same"})["q"] == "p"
    assert unknown_records({("q", "t"): "same"}, ["p", "q", "r", "s"]) == ["t"]


def test_a_weak_pair_still_joins_only_as_a_best_match_and_conflicts_give_way() -> None:
    # Under the strong cut, a pair joins as the best match of one of its records: x–y and v–w
    # do; w–x, neither's best, does not (the threshold alone would chain all four).
    pairs = [("x", "y", 0.8), ("w", "x", 0.75), ("v", "w", 0.85)]
    assert cluster([], pairs, 0.72) == {"v": "v", "w": "v", "x": "x", "y": "x"}
    # A record the model itself tells apart from one of the group does not join it.
    apart = cluster(
        [], [("m", "n", 0.99), ("n", "o", 0.95)], 0.72, lambda a, b: {a, b} == {"m", "o"}
    )
    assert apart["m"] == apart["n"] != apart["o"]


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
