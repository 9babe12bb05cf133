"""A stored report shown for reading: its text cut into numbered sentences, so that a fact can link
to the sentence it came from (`/monitor/documents/{id}#s-12`)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from jusoor.monitor.reading.provenance import sentence_span


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


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    label: str | None = None  # the kind of fact read from this text, when it is one


def segments(sentence: Sentence, spans: list[tuple[int, int, str]]) -> list[Segment]:
    """The sentence's text cut around the facts read from it (`(start, end, label)` in offsets of
    the whole report); a span that overlaps one already marked is left unmarked."""
    found: list[Segment] = []
    pos = sentence.start
    for start, end, label in sorted(spans):
        start, end = max(start, sentence.start), min(end, sentence.end)
        if start < pos or start >= end:
            continue
        if start > pos:
            found.append(Segment(sentence.raw[pos - sentence.start : start - sentence.start]))
        found.append(Segment(sentence.raw[start - sentence.start : end - sentence.start], label))
        pos = end
    found.append(Segment(sentence.raw[pos - sentence.start :]))
    return [segment for segment in found if segment.text]


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


def web_link(url: str | None) -> str | None:
    """A report's address if it may be a link: http(s) only, never `javascript:` or a file path
    (a feed can carry anything in its links)."""
    if url and url.lower().startswith(("https://", "http://")):
        return url
    return None
