"""Identity-document numbers in one spelling."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from jusoor.entities.resolution import normalize_document_number

TO_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def test_spaces_dashes_and_case_do_not_matter() -> None:
    assert (
        normalize_document_number("p-12 345/6") == normalize_document_number("P123456") == "P123456"
    )


def test_arabic_indic_digits_are_read() -> None:
    assert normalize_document_number("٠١٢٣٤٥") == "012345"


def test_nothing_left_is_none() -> None:
    assert normalize_document_number(" - / ") is None


@given(st.text(max_size=30))
def test_idempotent_and_digit_script_blind(raw: str) -> None:
    once = normalize_document_number(raw)
    assert normalize_document_number(raw.translate(TO_ARABIC_INDIC)) == once
    if once is not None:
        assert normalize_document_number(once) == once
