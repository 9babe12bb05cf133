"""Which script a word is written in, and digits folded to ASCII whatever script typed them."""

from __future__ import annotations

import re
from enum import StrEnum


class Script(StrEnum):
    ARABIC = "arabic"
    LATIN = "latin"
    OTHER = "other"


# Arabic, Arabic Supplement, Arabic Extended-A and the two presentation-form blocks.
_ARABIC_RANGES = (
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x08A0, 0x08FF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
)

# Arabic-Indic (٠-٩), Extended Arabic-Indic as typed in Iran and Pakistan (۰-۹), full-width digits.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹０１２３４５６７８９", "0123456789" * 3)


_ARABIC_CLASS = "".join(f"\\u{low:04x}-\\u{high:04x}" for low, high in _ARABIC_RANGES)
_ARABIC_LETTER = re.compile(f"[{_ARABIC_CLASS}]")
_ASCII_ALNUM = re.compile("[a-zA-Z0-9]")
_NOT_WORD = re.compile(r"[\W_]+")
_SCRIPT_BOUNDARY = re.compile(
    f"(?<=[{_ARABIC_CLASS}])(?=[^\\d\\W{_ARABIC_CLASS}])|(?<=[^\\d\\W{_ARABIC_CLASS}])(?=[{_ARABIC_CLASS}])"
)


def is_arabic_char(char: str) -> bool:
    return _ARABIC_LETTER.match(char) is not None


def script_of(word: str) -> Script:
    """The script of a word: Arabic if it holds an Arabic letter, Latin if it holds ASCII letters
    or digits (Arabizi: 3ali), other otherwise."""
    if any(char.isalpha() for char in _ARABIC_LETTER.findall(word)):
        return Script.ARABIC
    if _ASCII_ALNUM.search(word):
        return Script.LATIN
    return Script.OTHER


def ascii_digits(text: str) -> str:
    """`text` with Arabic-Indic, Persian and full-width digits replaced by 0-9."""
    return text.translate(_DIGITS)


def words_of(text: str) -> list[str]:
    """`text` cut into words at spaces, punctuation, symbols and marks, with digits in ASCII and
    a cut wherever Arabic letters meet letters of another script."""
    spaced = _NOT_WORD.sub(" ", ascii_digits(text))
    return _SCRIPT_BOUNDARY.sub(" ", spaced).split()
