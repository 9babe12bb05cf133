from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from jusoor.monitor.reading.dates import dateline, find_dates, find_duration

D = date


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "خلال الفترة من 10 - 13 يوليو2023 م بمدينة شرم الشيخ",
            "ar",
            (D(2023, 7, 10), D(2023, 7, 13)),
        ),
        ("الرباط، من 16 إلى 18 ماي 2023", "ar", (D(2023, 5, 16), D(2023, 5, 18))),
        ("من ١٠ إلى ١٣ تموز ٢٠٢٣", "ar", (D(2023, 7, 10), D(2023, 7, 13))),
        ("من 30 يونيو إلى 2 يوليو 2023", "ar", (D(2023, 6, 30), D(2023, 7, 2))),
        ("يومي 3 و4 شتنبر 2024", "ar", (D(2024, 9, 3), D(2024, 9, 4))),
        ("du 10 au 13 juillet 2023 à Tunis", "fr", (D(2023, 7, 10), D(2023, 7, 13))),
        ("les 1er et 2 décembre 2022", "fr", (D(2022, 12, 1), D(2022, 12, 2))),
        ("du 30 juin au 2 juillet 2023", "fr", (D(2023, 6, 30), D(2023, 7, 2))),
        ("le 16/05/2023 à Rabat", "fr", (D(2023, 5, 16), D(2023, 5, 16))),
        ("July 10-13, 2023", "en", (D(2023, 7, 10), D(2023, 7, 13))),
        ("from 10 to 13 July 2023", "en", (D(2023, 7, 10), D(2023, 7, 13))),
        ("June 30 - July 2, 2023", "en", (D(2023, 6, 30), D(2023, 7, 2))),
        ("from 28 December 2023 to 2 January 2024", "en", (D(2023, 12, 28), D(2024, 1, 2))),
        ("on 2023-07-10", "en", (D(2023, 7, 10), D(2023, 7, 10))),
    ],
)
def test_absolute_dates_and_ranges_are_read_in_three_languages(
    text: str, lang: str, expected: tuple[date, date]
) -> None:
    found = find_dates(text, lang=lang)
    assert [(m.start, m.end) for m in found] == [expected]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("le 31 février 2023", "fr"),  # a day that does not exist
        ("du 10 au 13 juillet", "fr"),  # no year, no publication date
        ("la stratégie 2023-2030", "fr"),  # years only: a period, not an event date
        ("05/06/2023", "en"),  # both orders valid in English text
        ("countries may 10 times", "en"),  # the verb, not the month
        ("بدعم 1444 هـ", "ar"),
    ],
)
def test_what_is_not_a_date_gives_none(text: str, lang: str) -> None:
    assert find_dates(text, lang=lang) == []


@pytest.mark.parametrize(
    "text",
    [
        "افتتحت اليوم الخميس في دولة الكويت",
        "opened today, Thursday, in Kuwait",
        "s'est ouvert hier",
    ],
)
def test_relative_date_without_publication_date_stays_empty(text: str) -> None:
    assert find_dates(text) == []


def test_relative_date_is_resolved_from_publication_date() -> None:
    thursday = D(2024, 11, 14)
    [today] = find_dates("افتتحت اليوم الخميس في دولة الكويت", published=thursday)
    assert (today.start, today.relative) == (thursday, True)
    [yesterday] = find_dates("a été arrêté hier à Sfax", published=thursday)
    assert yesterday.start == D(2024, 11, 13)


def test_stated_weekday_wins_over_a_publication_date_a_day_off() -> None:
    wednesday = D(2024, 11, 13)
    [m] = find_dates("opened today, Thursday", published=wednesday)
    assert m.start == D(2024, 11, 14)


def test_world_day_is_not_today() -> None:
    assert find_dates("اليوم العالمي لمكافحة الاتجار بالأشخاص", published=D(2024, 7, 30)) == []


def test_date_without_year_takes_the_year_nearest_publication() -> None:
    [m] = find_dates("du 28 au 30 décembre", published=D(2025, 1, 3), lang="fr")
    assert (m.start, m.end) == (D(2024, 12, 28), D(2024, 12, 30))


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("على مدار ثلاثة أيام", 3),
        ("لمدة يومين", 2),
        ("a three-day workshop", 3),
        ("pendant trois jours", 3),
        ("for three reasons", None),
    ],
)
def test_duration_of_an_event(text: str, days: int | None) -> None:
    assert find_duration(text) == days


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("الرباط، في 16 ماي 2023\nبيان صحفي", D(2023, 5, 16)),
        ("NEW YORK, United States of America, July 11, 2023/APO Group/ --\n", D(2023, 7, 11)),
        ("Tunis, le 12 mars 2024 – L'Instance a organisé un atelier.", D(2024, 3, 12)),
        ("The conference opens on 11 July 2023 in Cairo with many guests.", None),
        (
            "TRIPOLI, Libya — UNHCR and IOM rescued 120 migrants off the coast on Tuesday,"
            " 4 June 2024, the agencies said.",
            None,
        ),
    ],
)
def test_dateline_gives_the_publication_date(text: str, expected: date | None) -> None:
    found = dateline(text, find_dates(text))
    assert (found.start if found else None) == expected


MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "fr": [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    "ar": [
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "مايو",
        "يونيو",
        "يوليو",
        "أغسطس",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ],
}


@given(
    day=st.dates(min_value=D(1990, 1, 1), max_value=D(2099, 12, 1)),  # years 19xx and 20xx
    length=st.integers(min_value=0, max_value=20),
    lang=st.sampled_from(["en", "fr", "ar"]),
)
def test_any_written_range_reads_back_as_itself(day: date, length: int, lang: str) -> None:
    end = day + timedelta(days=length)
    start_text = f"{day.day} {MONTHS[lang][day.month - 1]} {day.year}"
    end_text = f"{end.day} {MONTHS[lang][end.month - 1]} {end.year}"
    joiner = {"en": "to", "fr": "au", "ar": "إلى"}[lang]
    text = f"{start_text} {joiner} {end_text}" if length else start_text
    [m] = find_dates(text, lang=lang)
    assert (m.start, m.end) == (day, end)


def test_every_month_spelling_of_the_record_linkage_table_is_read() -> None:
    """The monitor keeps its own month table (it reads press text, folded its own way), but it
    must not drift from the resolution normaliser's (issue 19: جويلية, ينير, "fév.", "avr.")."""
    table = Path(__file__).resolve().parents[2] / (
        "src/jusoor/entities/resolution/normalise/months.yaml"
    )
    missing = []
    for month, names in yaml.safe_load(table.read_text(encoding="utf-8")).items():
        for name in names:
            written = name.capitalize() if name.isascii() else name  # "May", not modal "may"
            read = [
                d.start.month
                for lang in ("ar", "en", "fr")
                for d in find_dates(f"1 {written} 2025", lang=lang)
            ]
            if int(month) not in read:
                missing.append(name)
    assert missing == []
