from __future__ import annotations

from itertools import combinations

import pytest

from jusoor.monitor import SAME_EVENT_THRESHOLD, Extraction, extract, is_same_event, same_event

AR = (
    "افتتحت بمدينة تونس العاصمة من 3 إلى 5 يونيو 2024 ورشة عمل حول حماية ضحايا الاتجار بالأشخاص"
    " نظمتها الهيئة الوطنية لمكافحة الاتجار بالأشخاص بالتعاون مع مجلس أوروبا، بحضور السيدة/ روضة"
    " العبيدي رئيسة الهيئة."
)
FR = (
    "Un atelier sur la protection des victimes de la traite s'est tenu à Tunis du 3 au 5 juin 2024,"
    " organisé par l'INLTP avec le Conseil de l'Europe, en présence de Mme Raoudha Labidi,"
    " présidente de l'Instance."
)
FR_NEXT_YEAR = FR.replace("2024", "2025")


def test_seed_pair_reporting_one_conference_in_two_languages_is_the_same_event(
    seed_extractions: dict[str, Extraction],
) -> None:
    assert same_event(seed_extractions["000"], seed_extractions["002"]) >= SAME_EVENT_THRESHOLD


def test_other_seed_pairs_are_different_events(seed_extractions: dict[str, Extraction]) -> None:
    for a, b in combinations(sorted(seed_extractions), 2):
        if {a, b} != {"000", "002"}:
            assert not is_same_event(seed_extractions[a], seed_extractions[b]), (a, b)


def test_same_workshop_in_arabic_and_french() -> None:
    ar, fr = extract(AR), extract(FR)
    assert (ar.event.city and ar.event.city.id, fr.event.city and fr.event.city.id) == (
        "tunis",
    ) * 2
    assert is_same_event(ar, fr)


def test_same_place_a_year_apart_is_another_edition() -> None:
    assert not is_same_event(extract(FR), extract(FR_NEXT_YEAR))


def test_score_is_symmetric(seed_extractions: dict[str, Extraction]) -> None:
    for a, b in combinations(seed_extractions.values(), 2):
        assert same_event(a, b) == same_event(b, a)


@pytest.mark.parametrize("text", ["UNODC met.", "ورشة عمل"])
def test_one_shared_signal_is_not_enough(text: str) -> None:
    assert not is_same_event(extract(text), extract(text))
