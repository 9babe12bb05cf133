"""Invisible characters in names: removed when a name comes in, made visible when an old one is shown.

Unicode format characters (category Cf) have no glyph: they change how text is ordered or
compared, not what it says. A right-to-left override (U+202E) turns "Ali Hassan" on screen into
another name than the one stored and searched (the "Trojan Source" trick, CVE-2021-42574); a
zero-width space or a direction mark makes two equal-looking names differ, so matching misses a
person. Names, aliases, captions and display names therefore drop them on input
(OWASP ASVS 4.0.3 V5.1.4, V5.3.1):

- removed: the embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), the direction
  marks LRM U+200E, RLM U+200F and ALM U+061C, and every other Cf character (zero-width space,
  word joiner, byte-order mark, soft hyphen, tag characters…), and control characters (Cc)
  other than tab and newline. Direction marks are not kept: pages isolate every user value
  (`<bdi>` or `dir="auto"`), which is what a mark was for, and a name should compare equal
  whether or not the typist's keyboard inserted one;
- kept: ZWNJ U+200C and ZWJ U+200D between two letters (or marks), which Persian, Urdu and
  Indic spellings need (می‌خواهم); anywhere else they are removed.

On output, `reveal` replaces the embedding, override and isolate controls still in text stored
before this rule (or read from reports) with U+FFFD, so they can neither reorder a page nor
hide: the reader sees that something was there.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any

from pydantic import BeforeValidator

BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
JOINERS = frozenset({"\u200c", "\u200d"})
REPLACEMENT = "\ufffd"
_KEPT_CONTROLS = frozenset({"\t", "\n"})


def _letter(ch: str) -> bool:
    return bool(ch) and unicodedata.category(ch)[0] in "LM"


def _dropped(ch: str) -> bool:
    kind = unicodedata.category(ch)
    return kind == "Cf" or (kind == "Cc" and ch not in _KEPT_CONTROLS)


def strip_invisible(text: str) -> str:
    """`text` without format and control characters; joiners stay only between letters."""
    kept: list[str] = []
    for i, ch in enumerate(text):
        if ch in JOINERS:
            after = text[i + 1] if i + 1 < len(text) else ""
            if kept and _letter(kept[-1]) and _letter(after):
                kept.append(ch)
        elif not _dropped(ch):
            kept.append(ch)
    return "".join(kept)


def has_bidi_controls(text: str) -> bool:
    return any(ch in BIDI_CONTROLS for ch in text)


def reveal(text: str) -> str:
    """`text` with each embedding, override or isolate control shown as U+FFFD."""
    if not has_bidi_controls(text):
        return text
    return "".join(REPLACEMENT if ch in BIDI_CONTROLS else ch for ch in text)


def _strip_if_text(value: Any) -> Any:
    return strip_invisible(value) if isinstance(value, str) else value


# A Pydantic field type for names: cleaned before its length and pattern are checked.
NameText = Annotated[str, BeforeValidator(_strip_if_text)]
