"""The names-alone ranking of bench/names_eval.py (issue 20): an Arabic word against its Latin
spelling and other Latin words, never against another spelling of the same word."""

from __future__ import annotations

import random

from bench.names_eval import Pair, arabic_to_latin_ranking


def test_another_spelling_of_the_same_word_is_not_a_competitor() -> None:
    pairs = [
        Pair("mohamed", "محمد", 5),
        Pair("muhammad", "محمد", 5),
        Pair("fatima", "فاطمة", 3),
        Pair("youssef", "يوسف", 3),
        Pair("karim", "كريم", 2),
        Pair("salma", "سلمى", 2),
    ]
    hit, mrr, queries = arabic_to_latin_ranking(
        pairs, random.Random(1), min_count=2, candidates=4, queries=10
    )
    assert queries == 6
    assert hit == 1.0 and mrr == 1.0


def test_only_words_seen_often_enough_are_asked() -> None:
    pairs = [Pair("karim", "كريم", 1), Pair("salma", "سلمى", 2), Pair("nadia", "نادية", 2)]
    _hit, _mrr, queries = arabic_to_latin_ranking(
        pairs, random.Random(1), min_count=2, candidates=3, queries=10
    )
    assert queries == 2
