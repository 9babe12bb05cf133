"""Arabic names in Latin letters, and the spelling key their Arabic and Latin spellings share
(`resolution/normalise/transliteration.py`; the news monitor keys the persons it reads by it)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jusoor.entities.resolution import spelling_key, transliterate
from jusoor.entities.resolution.normalise.table_files import TABLES


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [
        ("نائلة جبر", "Naela Gabr"),
        ("نائلة جبر", "Naila Jabr"),
        ("كريستينا البرتين", "Cristina Albertin"),
        ("أحمد أبوالغيط", "Ahmed Aboul Gheit"),
        ("أحمد أبو الغيط", "Ahmed Abul Gheit"),
        ("هشام ملاطي", "Hicham Mellati"),
        ("جاسم محمد البديوي", "Jasem Mohamed Albudaiwi"),
        ("محمد", "Muhammad"),
        ("عبدالله", "Abdullah"),
        ("ليلى بيترز يحي", "Leila Peters Yahya"),
    ],
)
def test_arabic_name_and_its_latin_spelling_share_a_key(arabic: str, latin: str) -> None:
    assert spelling_key(arabic) == spelling_key(latin)


@pytest.mark.parametrize(("a", "b"), [("نائلة جبر", "Maha Bakhit"), ("Ahmed Saleh", "Ahmed Salem")])
def test_different_names_have_different_keys(a: str, b: str) -> None:
    assert spelling_key(a) != spelling_key(b)


def test_key_is_a_consonant_skeleton_so_some_names_collide() -> None:
    # Known and accepted: أحمد and حامد share "hmd". Grouping never merges on names alone.
    assert spelling_key("Ahmed Saleh") == spelling_key("Hamed Saleh")


def test_transliteration_uses_press_spelling_for_common_names() -> None:
    assert transliterate("محمد الأمين ولد أكيك") == "Mohamed El Amine Ould Akik"
    assert transliterate("مها بخيت") == "Maha Bakhit"
    assert transliterate("Naela Gabr") == "Naela Gabr"


@given(st.text(max_size=40))
def test_spelling_key_is_ascii_for_any_input(name: str) -> None:
    assert spelling_key(name).isascii()


@pytest.mark.parametrize("name", ["letters", "names"])
def test_transliteration_tables_map_arabic_to_latin(name: str) -> None:
    table = TABLES["transliteration.yaml"].plain()[name]
    for arabic, latin in table.items():
        assert any("\u0600" <= ch <= "\u06ff" for ch in arabic)
        assert isinstance(latin, str) and latin.isascii()


@pytest.mark.parametrize(
    "written",
    [
        "نَائِلَة جَبْر",  # with harakat
        "نائله جبر",  # taa marbuta written as haa
        "نائلة\u200f جبر",  # a right-to-left mark pasted in
        "نائلة جـبـر",  # tatweel
    ],
)
def test_a_name_is_keyed_after_the_resolution_folding(written: str) -> None:
    # The key folds Arabic as the person matcher does (`normalise/arabic.py`, letters.yaml).
    assert spelling_key(written) == spelling_key("نائلة جبر") == spelling_key("Naela Gabr")


def test_persian_letters_typed_for_arabic_ones_give_the_same_latin() -> None:
    assert transliterate("علی") == transliterate("علي")
