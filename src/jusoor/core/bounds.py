"""The ranges an integer from outside may take, and one parser for integers read by hand.

SQLite binds integers as signed 64-bit and refuses a larger one with OverflowError, which used to
surface as a 500 (and a reset connection on pages). Every integer a request carries is therefore
bounded where it is read: declared query parameters with `le=`, hand-read values with
`whole_number` (OWASP ASVS 4.0.3 V5.1.4: structured data is checked against its allowed range).
"""

from __future__ import annotations

import re

MAX_INT64 = 2**63 - 1  # the largest integer SQLite and PostgreSQL BIGINT store
MAX_OFFSET = 10**9  # a list offset beyond every real list, small enough to do arithmetic on
MAX_PAGE = 100_000  # a page number; times a page size it stays far below MAX_INT64

_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")  # str.isdigit() also accepts "²", which int() refuses


def whole_number(raw: str, *, low: int, high: int) -> int | None:
    """`raw` as an integer in [low, high], or None when it is not one (empty, signs, other
    scripts' superscripts, too long or out of range). Callers choose what None means."""
    text = raw.strip()
    if not _ASCII_DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if low <= value <= high else None
