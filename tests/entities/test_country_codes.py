"""Countries from ISO codes and names in Arabic, English and French, and nationality words."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jusoor.entities.resolution import country_code


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("EG", "EG"),
        ("egy", "EG"),
        ("مصر", "EG"),
        ("Egypt", "EG"),
        ("Égypte", "EG"),
        ("جمهورية مصر العربية", "EG"),
        ("المغرب", "MA"),
        ("Maroc", "MA"),
        ("Morocco", "MA"),
        ("le Maroc", "MA"),
        ("موريتانيا", "MR"),
        ("Mauritanie", "MR"),
        ("mauritanienne", "MR"),
        ("موريتانية", "MR"),
        ("سوريا", "SY"),
        ("Syrie", "SY"),
        ("الإمارات", "AE"),
        ("UAE", "AE"),
        ("Côte d'Ivoire", "CI"),
        ("Cote d Ivoire", "CI"),
        ("DE", "DE"),  # not swallowed as the French "de"
        ("ET", "ET"),
        ("Germany", "DE"),
        ("Niger", "NE"),
        ("Nigeria", "NG"),
        ("nigérienne", "NE"),
    ],
)
def test_country_names_and_codes_give_alpha_2(raw: str, code: str) -> None:
    assert country_code(raw) == code


@pytest.mark.parametrize("raw", ["", "Atlantis", "XX", "Mohamed"])
def test_unknown_countries_give_none(raw: str) -> None:
    assert country_code(raw) is None


@given(st.text(max_size=30))
def test_never_raises(raw: str) -> None:
    code = country_code(raw)
    assert code is None or (len(code) == 2 and code.isupper())
