"""Identity-document numbers (passports, national ID cards, residence permits) in one spelling."""

from __future__ import annotations

import re
import unicodedata

from jusoor.entities.resolution.normalise.scripts import ascii_digits

# "N° 1234", "No. 1234", "Nr. 1234", "# 1234": the number sign is not part of the number.
_NUMBER_SIGN = re.compile(r"^\s*(?:N\s*°|N[Oº]\s*\.|NR\s*\.|#)\s*")


def normalize_document_number(raw: str) -> str | None:
    """`raw` uppercased, with digits in ASCII, a leading number sign ("N° ", "No. ") and spaces,
    dashes and punctuation removed ("p-12 345/6" and "P123456" → "P123456", "N° 12345" →
    "12345"), or None when no letter or digit is left.

    Letters are kept in their script: some documents number with Arabic letters."""
    folded = ascii_digits(unicodedata.normalize("NFKC", raw)).upper()
    kept = "".join(char for char in _NUMBER_SIGN.sub("", folded) if char.isalnum())
    return kept or None


def document_kind(number: str) -> str:
    """What kind of number a normalised document number looks like: with letters (most
    passports), or of digits alone and how many (national identity numbers). A file's document
    column mixes passports and identity cards: two numbers of different kinds say nothing of
    whether two records are one person, two different numbers of one kind do."""
    return "letters" if not number.isdigit() else f"digits{len(number)}"
