"""Arabic-script names folded to one spelling: hamza forms, taa marbuta, alef maqsura, harakat,
tatweel, Arabic-Indic digits, punctuation, and the spacing of عبد and ال."""

from __future__ import annotations

import unicodedata
from functools import cache

from jusoor.entities.resolution.normalise.particles import join_compounds
from jusoor.entities.resolution.normalise.scripts import words_of
from jusoor.entities.resolution.normalise.tables import letters


@cache
def _folding() -> dict[int, str | None]:
    table = letters()
    folding: dict[int, str | None] = {ord(char): target for char, target in table.arabic.items()}
    for low, high in table.arabic_marks:
        folding.update(dict.fromkeys(range(low, high + 1)))
    return folding


def fold_arabic_letters(text: str) -> str:
    """Letters folded and marks removed (أحمد → احمد, فاطمة → فاطمه, مُحَمَّد → محمد), nothing else."""
    return unicodedata.normalize("NFKC", text).translate(_folding())


def normalize_arabic(text: str) -> str:
    """An Arabic name in the one spelling the matcher compares: letters folded, diacritics and
    tatweel gone, digits in ASCII, words separated by single spaces, and عبد/ابو/ال fused with
    the word they belong to ("عبد الله" → "عبدالله"). Latin words pass through unchanged."""
    return " ".join(join_compounds(words_of(fold_arabic_letters(text))))
