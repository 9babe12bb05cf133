"""A stored report shown for reading: its text cut into numbered sentences, so that a fact can link
to the sentence it came from (`/monitor/documents/{id}#s-12`)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from jusoor.monitor.provenance import sentence_span


@dataclass(frozen=True, slots=True)
class Sentence:
    number: int  # from 1, in reading order; the anchor is `s-{number}`
    start: int
    end: int
    text: str  # the sentence, trimmed
    raw: str  # the text from its start to the next sentence, line breaks and all


def sentences(text: str) -> list[Sentence]:
    """The text cut where the extractor cuts it (`provenance.sentence_span`), blank parts dropped.

    The pieces cover the whole text, so every fact offset falls in exactly one of them.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    while pos < len(text):
        end = max(sentence_span(text, pos, pos)[1], pos + 1)
        if spans and not text[pos:end].strip():
            spans[-1] = (spans[-1][0], end)  # blank lines belong to the sentence before them
        else:
            spans.append((pos, end))
        pos = end
    return [
        Sentence(n, start, end, text[start:end].strip(), text[start:end])
        for n, (start, end) in enumerate(spans, start=1)
        if text[start:end].strip()
    ]


def sentence_number(pieces: list[Sentence], offset: int) -> int | None:
    """The number of the sentence holding character `offset`; None when the text has none."""
    if not pieces:
        return None
    i = bisect.bisect_right([p.start for p in pieces], offset) - 1
    return pieces[max(i, 0)].number


def anchor(document_id: object, number: int | None) -> str:
    """The address of a sentence in its report (or of the report when the sentence is unknown)."""
    base = f"/monitor/documents/{document_id}"
    return f"{base}#s-{number}" if number else base
