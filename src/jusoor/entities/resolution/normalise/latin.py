"""Latin-script names folded to lowercase ASCII words: case, accents, scholarly transliteration
letters (š, ḥ, ʿ), apostrophes (Abd'allah), hyphens (El-Sayed) and punctuation."""

from __future__ import annotations

import unicodedata
from functools import cache

from jusoor.entities.resolution.normalise.particles import join_compounds
from jusoor.entities.resolution.normalise.scripts import words_of
from jusoor.entities.resolution.normalise.tables import letters


@cache
def _special_letters() -> dict[int, str | None]:
    table = letters()
    special: dict[int, str | None] = {ord(char): target for char, target in table.latin.items()}
    special.update(dict.fromkeys(ord(char) for char in table.latin_joiners))
    return special


def fold_latin_letters(text: str) -> str:
    """Lowercase letters without accents (É → e, Ṣāliḥ → salih, Šarif → sharif)."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_special_letters())
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def normalize_latin(text: str) -> str:
    """A Latin name as lowercase ASCII words separated by single spaces: "EL-SAYED, Abd'allah" →
    "el sayed abdallah"; compound heads are fused ("Abdel Kader" → "abdelkader"). Name order is
    kept: matching does not depend on it."""
    return " ".join(join_compounds(words_of(fold_latin_letters(text))))
