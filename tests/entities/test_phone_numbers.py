"""Phones in E.164 whatever their digits, separators and prefixes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jusoor.entities.resolution import normalize_phone

TO_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.mark.parametrize(
    ("raw", "region"),
    [
        ("+222 22 45 67 89", None),
        ("0022222456789", None),
        ("00 222 22-45-67-89", "MA"),
        ("22 45 67 89", "MR"),
        ("٢٢٤٥٦٧٨٩", "mr"),
        ("هاتف: +222 22.45.67.89", None),
    ],
)
def test_one_mauritanian_phone_written_many_ways(raw: str, region: str | None) -> None:
    assert normalize_phone(raw, region) == "+22222456789"


def test_national_numbers_need_the_region_of_the_file() -> None:
    assert normalize_phone("0612345678", "MA") == "+212612345678"
    assert normalize_phone("0612345678") is None


@pytest.mark.parametrize("raw", ["", "abc", "123", "+222 1", "0" * 60])
def test_impossible_numbers_are_refused(raw: str) -> None:
    assert normalize_phone(raw, "MR") is None


def test_strict_mode_checks_the_numbering_plan() -> None:
    assert normalize_phone("+222 12 34 56 78") == "+22212345678"
    assert normalize_phone("+222 12 34 56 78", strict=True) is None


@given(st.text(max_size=30), st.sampled_from([None, "MR", "MA", "EG", "ZZ"]))
def test_never_raises_and_arabic_indic_digits_read_like_ascii(raw: str, region: str | None) -> None:
    assert normalize_phone(raw.translate(TO_ARABIC_INDIC), region) == normalize_phone(raw, region)


@given(st.from_regex(r"\+?[0-9 ]{0,16}", fullmatch=True))
def test_normalised_phone_is_stable(raw: str) -> None:
    once = normalize_phone(raw, "MR")
    if once is not None:
        assert once.startswith("+")
        assert normalize_phone(once) == once
