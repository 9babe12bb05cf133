"""Identity-document numbers in one spelling."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from jusoor.entities.resolution import normalize_document_number
from jusoor.entities.resolution.normalise.documents import document_kind

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


def test_a_number_sign_is_not_part_of_the_number() -> None:
    assert normalize_document_number("N° 345 296 0798") == "3452960798"
    assert normalize_document_number("No. 3452960798") == "3452960798"
    assert normalize_document_number("# 3452960798") == "3452960798"
    assert normalize_document_number("N3452960798") == "N3452960798"  # a passport's letter


def test_passports_and_identity_cards_are_numbers_of_different_kinds() -> None:
    passport, card, other_card = "RD2137776", "9191207511", "7028720625"
    assert document_kind(passport) != document_kind(card) == document_kind(other_card)
    assert document_kind("AB1234567") == document_kind(passport)
