"""Where each fact of an extraction was read: the span in the report and the sentence around it.

Every fact an analyst sees — the event's type, dates, place and participants, each organisation,
person, country and theme — carries the offsets it was read at, so that pages can show and
highlight the sentence that states it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from jusoor.monitor.reading.events import Event
from jusoor.monitor.reading.organizations import OrganizationMention
from jusoor.monitor.reading.persons import Person
from jusoor.monitor.reading.places import PlaceMention

_SENTENCE_END = re.compile(r"[.!?؟]+(?=\s)|\n+")
MAX_SENTENCE_CHARS = 1000  # a "sentence" longer than this is a paragraph without stops


@dataclass(frozen=True, slots=True)
class Evidence:
    """One fact and the span of the original text it was read from."""

    kind: str  # event_type, start, end, place, organization, person, country, theme, participants
    value: str
    start: int
    end: int


def collect(
    event: Event,
    *,
    organizations: Iterable[OrganizationMention],
    persons: Iterable[Person],
    places: Iterable[PlaceMention],
    countries: Iterable[str],
    theme_spans: Iterable[tuple[str, int, int]],
    participants: tuple[int, int, int] | None,
) -> tuple[Evidence, ...]:
    """The evidence of every fact of one extraction, in reading order."""
    found: list[Evidence] = []
    spans = {name: (start, end) for name, start, end in event.spans}
    if event.type and "type" in spans:
        found.append(Evidence("event_type", event.type, *spans["type"]))
    if "dates" in spans:
        if event.start:
            found.append(Evidence("start", event.start.isoformat(), *spans["dates"]))
        if event.end:
            found.append(Evidence("end", event.end.isoformat(), *spans["dates"]))
    if "place" in spans:
        place = event.city.id if event.city else event.country
        if place:
            found.append(Evidence("place", place, *spans["place"]))
    if participants is not None and event.participants == participants[0]:
        found.append(Evidence("participants", str(participants[0]), *participants[1:]))
    found += [Evidence("organization", o.organization.id, o.start, o.end) for o in organizations]
    found += [Evidence("person", p.key, *p.span) for p in persons if p.key]
    first_of_country: dict[str, PlaceMention] = {}
    for mention in places:
        first_of_country.setdefault(mention.place.country, mention)
    for code in countries:
        if code in first_of_country:
            m = first_of_country[code]
            found.append(Evidence("country", code, m.start, m.end))
    found += [Evidence("theme", label, start, end) for label, start, end in theme_spans]
    return tuple(sorted(found, key=lambda e: (e.start, e.kind)))


def sentence_starts(text: str) -> list[int]:
    """Where each sentence of `text` starts; pass it to `sentence_span` for many facts of a text."""
    return [0] + [m.end() for m in _SENTENCE_END.finditer(text)]


def sentence_span(
    text: str, start: int, end: int, *, starts: Sequence[int] | None = None
) -> tuple[int, int]:
    """The span of the sentence of `text` holding `start:end` (a headline counts as one)."""
    starts = starts if starts is not None else sentence_starts(text)
    i = bisect.bisect_right(starts, start) - 1
    first = starts[i]
    last = starts[i + 1] if i + 1 < len(starts) else len(text)
    last = max(last, end)
    if last - first > MAX_SENTENCE_CHARS:  # keep a window around the fact
        first = max(first, start - MAX_SENTENCE_CHARS // 2)
        last = min(last, max(end, first + MAX_SENTENCE_CHARS))
    return first, last


def sentence_of(text: str, start: int, end: int, *, starts: Sequence[int] | None = None) -> str:
    a, b = sentence_span(text, start, end, starts=starts)
    return text[a:b].strip()
