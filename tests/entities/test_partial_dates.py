"""Dates of birth in the formats records hold them, down to the part that is known."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jusoor.entities.resolution import PartialDate, parse_date

TO_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.mark.parametrize(
    "raw",
    [
        "1990-03-12",
        "1990/03/12",
        "12/03/1990",
        "12.03.1990",
        "12-03-1990",
        "١٢/٠٣/١٩٩٠",
        "12 mars 1990",
        "12 Mars 1990",
        "12 مارس 1990",
        "١٢ آذار ١٩٩٠",
        "March 12, 1990",
        "19900312",
        "12/03/90",
        "1990-03-12T08:30:00Z",
    ],
)
def test_one_date_written_many_ways(raw: str) -> None:
    assert parse_date(raw, reference_year=2026) == PartialDate(1990, 3, 12)


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("1990", "1990"),
        ("vers 1990", "1990"),
        ("03/1990", "1990-03"),
        ("1990-03", "1990-03"),
        ("mars 1990", "1990-03"),
        ("00/03/1990", "1990-03"),
        ("xx/xx/1990", "1990"),
        ("1er janvier 2001", "2001-01-01"),
        ("كانون الثاني 2001", "2001-01"),
    ],
)
def test_partial_dates_keep_what_is_known(raw: str, iso: str) -> None:
    parsed = parse_date(raw, reference_year=2026)
    assert parsed is not None
    assert parsed.iso == iso == str(parsed)


def test_day_first_unless_impossible() -> None:
    assert parse_date("03/04/1990") == PartialDate(1990, 4, 3)
    assert parse_date("04/25/1990") == PartialDate(1990, 4, 25)


def test_two_digit_years_are_not_in_the_future() -> None:
    assert parse_date("01/01/05", reference_year=2026) == PartialDate(2005, 1, 1)
    assert parse_date("01/01/30", reference_year=2026) == PartialDate(1930, 1, 1)


@pytest.mark.parametrize(
    "raw", ["", "unknown", "31/02/1990", "13/13/1990", "12/03/1850", "1/2/3/4", "99"]
)
def test_impossible_dates_are_refused(raw: str) -> None:
    assert parse_date(raw) is None


@given(st.text(max_size=30))
def test_never_raises_and_arabic_indic_digits_read_like_ascii(raw: str) -> None:
    assert parse_date(raw.translate(TO_ARABIC_INDIC), reference_year=2026) == parse_date(
        raw, reference_year=2026
    )


@given(st.dates())
def test_iso_output_parses_back_to_itself(day: object) -> None:
    parsed = parse_date(str(day))
    if parsed is not None:
        assert parse_date(parsed.iso) == parsed
