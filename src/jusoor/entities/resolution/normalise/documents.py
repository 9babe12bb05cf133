"""Identity-document numbers (passports, national ID cards, residence permits) in one spelling."""

from __future__ import annotations

import unicodedata

from jusoor.entities.resolution.normalise.scripts import ascii_digits


def normalize_document_number(raw: str) -> str | None:
    """`raw` uppercased, with digits in ASCII and spaces, dashes and punctuation removed
    ("p-12 345/6" and "P123456" → "P123456"), or None when no letter or digit is left.

    Letters are kept in their script: some documents number with Arabic letters."""
    folded = ascii_digits(unicodedata.normalize("NFKC", raw)).upper()
    kept = "".join(char for char in folded if char.isalnum())
    return kept or None
