"""Arabic and Latin name normalisers: the spelling variants of one name fold to one form."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jusoor.entities.resolution import normalize_name
from jusoor.entities.resolution.normalise.arabic import normalize_arabic
from jusoor.entities.resolution.normalise.latin import normalize_latin
from jusoor.entities.resolution.normalise.namekeys import parse_name
from jusoor.entities.resolution.normalise.scripts import Script, ascii_digits, script_of

TO_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.mark.parametrize(
    ("variant", "folded"),
    [
        ("أحمد", "احمد"),  # hamza on alef
        ("إبراهيم", "ابراهيم"),  # hamza under alef
        ("آمنة", "امنه"),  # madda, taa marbuta
        ("ٱلله", "الله"),  # alef wasla
        ("مؤمن", "مومن"),  # hamza on waw
        ("عائشة", "عايشه"),  # hamza on yeh
        ("مصطفى", "مصطفي"),  # alef maqsura
        ("مُحَمَّد", "محمد"),  # harakat and shadda
        ("محـــمد", "محمد"),  # tatweel
        ("عبد الله", "عبدالله"),  # spacing of عبد
        ("عبد ال رحمن", "عبدالرحمن"),  # a detached article
        ("ال امين", "الامين"),
        ("أبو بكر", "ابوبكر"),
        ("محمد، بن علي.", "محمد بن علي"),  # Arabic punctuation
        ("ﻣﺤﻤﺪ", "محمد"),  # presentation forms
        ("رقم ١٢٣", "رقم 123"),  # Arabic-Indic digits
    ],
)
def test_arabic_spelling_variants_fold_to_one_form(variant: str, folded: str) -> None:
    assert normalize_arabic(variant) == folded


def test_arabic_particles_stay_separate_words() -> None:
    assert normalize_arabic("محمد ولد أحمد بنت علي") == "محمد ولد احمد بنت علي"


@pytest.mark.parametrize(
    ("variant", "folded"),
    [
        ("MOHAMED", "mohamed"),
        ("Hélène Béatrice", "helene beatrice"),
        ("El-Sayed", "el sayed"),
        ("Abd'allah", "abdallah"),
        ("Ma’moun", "mamoun"),
        ("ʿAbd al-Raḥmān", "abdalrahman"),
        ("Abdel Kader", "abdelkader"),
        ("Abd el Kader", "abdelkader"),
        ("Abou Bakr", "aboubakr"),
        ("OULD AKIK, Mohamed Lamine", "ould akik mohamed lamine"),
        ("Šarif", "sharif"),
        ("Øyvind", "oyvind"),
    ],
)
def test_latin_spelling_variants_fold_to_one_form(variant: str, folded: str) -> None:
    assert normalize_latin(variant) == folded


def test_mixed_script_name_is_cut_where_the_script_changes() -> None:
    assert normalize_name("محمدMohamed") == "محمد mohamed"


def test_particles_and_articles_are_set_aside() -> None:
    parsed = parse_name("Mohamed Ould El Moctar")
    assert parsed.words == ("mohamed", "moctar")
    assert parsed.particles == ("ould", "el")


def test_a_name_made_only_of_particles_keeps_them() -> None:
    assert parse_name("Ben").words == ("ben",)


def test_script_of_words() -> None:
    assert script_of("محمد") is Script.ARABIC
    assert script_of("3ali") is Script.LATIN
    assert script_of("Иван") is Script.OTHER


@given(st.text())
def test_normalize_name_never_raises_and_is_idempotent(text: str) -> None:
    once = normalize_name(text)
    assert normalize_name(once) == once


@given(st.text())
def test_arabic_and_latin_normalisers_are_idempotent(text: str) -> None:
    assert normalize_arabic(normalize_arabic(text)) == normalize_arabic(text)
    assert normalize_latin(normalize_latin(text)) == normalize_latin(text)


@given(st.text())
def test_arabic_indic_digits_normalise_like_ascii_digits(text: str) -> None:
    assert normalize_name(text.translate(TO_ARABIC_INDIC)) == normalize_name(text)
    assert ascii_digits(text.translate(TO_ARABIC_INDIC)) == ascii_digits(text)
