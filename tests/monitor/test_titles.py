"""Event titles composed from the facts, in the reader's language, never a cut fragment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from jusoor.core.i18n import use_locale
from jusoor.monitor.views.titles import event_heading, topic_of


@dataclass(frozen=True)
class Facts:
    type: str | None
    title: str | None
    start: date | None
    end: date | None
    city: str | None
    city_id: str | None
    country: str | None
    crime: str | None = "trafficking_in_persons"


WORKSHOP = Facts(
    "workshop",
    "atelier régional sur l'identification des victimes de la traite, qui",
    date(2026, 3, 3),
    date(2026, 3, 5),
    "Tunis",
    "tunis",
    "TN",
)


@pytest.mark.parametrize(
    ("words", "topic"),
    [
        (
            "atelier régional sur l'identification des victimes de la traite",
            "victim_identification",
        ),
        ("ورشة عمل حول آليات الإحالة الوطنية لضحايا الاتجار بالأشخاص", "referral"),
        ("Training course on the", None),
        ("regional conference on judicial cooperation against trafficking", "judicial_cooperation"),
    ],
)
def test_the_topic_is_read_from_the_report_words_in_any_language(
    words: str, topic: str | None
) -> None:
    assert topic_of(words) == topic


def test_a_workshop_title_is_whole_in_each_language() -> None:
    with use_locale("en"):
        english = event_heading(WORKSHOP)
    with use_locale("fr"):
        french = event_heading(WORKSHOP)
    with use_locale("ar"):
        arabic = event_heading(WORKSHOP)
    assert english.startswith("Workshop on victim identification — Tunis, ")
    assert "2026" in english and "3" in english and "5" in english
    assert french.startswith("Atelier sur l’identification des victimes — Tunis, 3–5 mars 2026")
    assert arabic.startswith("ورشة عمل حول التعرف على الضحايا — تونس")
    assert "qui" not in french  # the report's cut clause is not part of the title


def test_a_truncated_report_title_gives_the_kind_and_crime_not_the_fragment() -> None:
    cut = Facts("training", "Training course on the", date(2025, 9, 14), None, None, None, "JO")
    with use_locale("en"):
        heading = event_heading(cut)
    assert heading.startswith("Training course on trafficking in persons — Jordan, ")
    assert "on the" not in heading


def test_an_arrest_is_named_by_its_crime_and_place_without_dates_when_none_are_stated() -> None:
    arrest = Facts("arrest_or_raid", None, None, None, None, "benghazi", "LY", "migrant_smuggling")
    with use_locale("fr"):
        assert (
            event_heading(arrest)
            == "Arrestations dans une affaire de trafic illicite de migrants — Benghazi"
        )
