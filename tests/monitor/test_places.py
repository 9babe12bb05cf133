from __future__ import annotations

import pytest

from jusoor.monitor.reading.folding import fold
from jusoor.monitor.reading.gazetteer import tokenize
from jusoor.monitor.reading.places import countries_of, find_places


def places(text: str, lang: str | None = None) -> list[tuple[str, str]]:
    return [(m.place.id, m.place.country) for m in find_places(tokenize(fold(text)), lang=lang)]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("بمدينة شرم الشيخ/ جمهورية مصر العربية", "ar"),
        ("held in Sharm El Sheikh, Egypt", "en"),
        ("in Sharm El-Sheikh, Egypt", "en"),
        ("à Charm el-Cheikh, en Égypte", "fr"),
    ],
)
def test_sharm_el_sheikh_in_three_languages(text: str, lang: str) -> None:
    assert places(text, lang) == [("sharm_el_sheikh", "EG"), ("EG", "EG")]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("عقد بالرباط وفي انواكشوط", "ar", [("rabat", "MA"), ("nouakchott", "MR")]),
        ("Geneva and Vienna", "en", [("geneva", "CH"), ("vienna", "AT")]),
        ("réunion à Genève puis à Vienne", "fr", [("geneva", "CH"), ("vienna", "AT")]),
        ("Kuwait City", "en", [("kuwait_city", "KW")]),
        ("في دولة الكويت", "ar", [("KW", "KW")]),
        ("Beyrouth et Tunis", "fr", [("beirut", "LB"), ("tunis", "TN")]),
        ("بمشاركة الخبراء المغاربة", "ar", [("MA", "MA")]),
    ],
)
def test_cities_and_countries_resolve_to_iso_codes(
    text: str, lang: str, expected: list[tuple[str, str]]
) -> None:
    assert places(text, lang) == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("بدعم مالي من الاتحاد الأوروبي", "ar"),  # مالي is "financial", not Mali
        ("la réunion s'est tenue hier", "fr"),  # réunion is a meeting, not La Réunion
        ("دول المغرب العربي", "ar"),  # the Maghreb region, not Morocco
    ],
)
def test_words_that_look_like_places_are_not_places(text: str, lang: str) -> None:
    assert places(text, lang) == []


def test_name_shared_by_two_countries_needs_context() -> None:
    assert places("انعقد في طرابلس", "ar") == []
    assert places("انعقد في طرابلس الليبية", "ar") == [("tripoli_ly", "LY"), ("LY", "LY")]
    assert places("زار عمان ثم الأردن", "ar") == [("amman", "JO"), ("JO", "JO")]


def test_countries_of_mentions_counts_cities_for_their_country() -> None:
    mentions = find_places(tokenize(fold("Rabat, Casablanca and Tunisia")), lang="en")
    assert countries_of(mentions) == ["MA", "TN"]
