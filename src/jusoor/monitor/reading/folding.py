"""Fold text for matching while keeping the way back to the source.

Matching compares folded forms: Arabic letters unified (hamza-carrying alef, alef maqsura, ta
marbuta), diacritics and tatweel dropped, Arabic-Indic digits made ASCII, Latin accents stripped,
dashes and quotes unified. Every folded character remembers where it came from, so a match found in
the folded text is reported as a span of the original text — the page can then show the very
sentence a fact came from. Case is kept: acronyms are matched case-sensitively, names
case-insensitively.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Common Arabic normalisation (as in pyarabic/CAMeL): hamza seats and final letters are spelled
# differently by writers and outlets, so "الإتجار" and "الاتجار" must compare equal.
_ARABIC_LETTERS = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ى": "ي",
    "ة": "ه",
    "ؤ": "و",
    "ئ": "ي",
    "ی": "ي",  # Persian yeh, common in copy-pasted text
    "ک": "ك",
}
_DASHES = "‐‑‒–—―−"
_QUOTES = "“”„«»‟″"
_APOSTROPHES = "’‘‛ʼ`´"
_DIGITS = {
    **{chr(0x0660 + i): str(i) for i in range(10)},
    **{chr(0x06F0 + i): str(i) for i in range(10)},
}
_LIGATURES = {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"}


def _is_dropped(ch: str) -> bool:
    """Arabic harakat, superscript alef and tatweel carry no meaning for matching."""
    code = ord(ch)
    return 0x064B <= code <= 0x065F or code in (0x0670, 0x0640) or 0x0610 <= code <= 0x061A


@lru_cache(maxsize=4096)
def fold_char(ch: str) -> str:
    """The folded form of one character (possibly empty, possibly two characters)."""
    if _is_dropped(ch):
        return ""
    if ch in _ARABIC_LETTERS:
        return _ARABIC_LETTERS[ch]
    if ch in _DIGITS:
        return _DIGITS[ch]
    if ch in _DASHES:
        return "-"
    if ch in _QUOTES:
        return '"'
    if ch in _APOSTROPHES:
        return "'"
    if ch in _LIGATURES:
        return _LIGATURES[ch]
    if ch == "\u00a0" or ch == "\u200f" or ch == "\u200e" or ch == "\u200b":
        return " " if ch == "\u00a0" else ""
    if ord(ch) < 0x80 or "\u0600" <= ch <= "\u06ff":
        return ch
    decomposed = unicodedata.normalize("NFKD", ch)
    if decomposed == ch:
        return "" if unicodedata.combining(ch) else ch
    # The parts are folded too: an Arabic presentation form (ﶠ) decomposes into letters (تجى)
    # that fold further, so folding twice changes nothing.
    return "".join(fold_char(c) for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True, slots=True)
class Folded:
    """Folded text plus, for each folded character, its index in the original text."""

    text: str
    origin: tuple[int, ...]
    source: str

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original-text span of the folded span `start:end`."""
        if start >= end:
            pos = self.origin[start] if start < len(self.origin) else len(self.source)
            return pos, pos
        return self.origin[start], self.origin[end - 1] + 1

    def original(self, start: int, end: int) -> str:
        a, b = self.span(start, end)
        return self.source[a:b]


def fold(text: str) -> Folded:
    """Fold `text` for matching; see the module docstring for what changes."""
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        folded = fold_char(ch)
        out.append(folded)
        origin.extend([i] * len(folded))
    return Folded("".join(out), tuple(origin), text)


def fold_key(text: str) -> str:
    """Folded, lower-cased, single-spaced form used as a dictionary key for names."""
    return " ".join(TOKEN.findall(fold(text).text.casefold()))


# A token is a run of letters/digits; Arabic letters count as word characters in Python's `re`.
TOKEN = re.compile(r"[^\W_]+")
