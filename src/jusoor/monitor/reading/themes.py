"""What a report is about: the 4 Ps it touches, the crime it concerns and how many took part.

Lexicons live in `gazetteers/events.yaml`. A theme counts when the report names it at least twice:
one passing "prevent and combat" in a conference report is boilerplate, not a theme.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from jusoor.monitor.reading.folding import Folded, fold
from jusoor.monitor.reading.gazetteer import PhraseIndex, Token, by_language, load

THEMES = ("prevention", "protection", "prosecution", "partnership")
CRIMES = ("trafficking_in_persons", "migrant_smuggling")
MIN_THEME_MENTIONS = 2
MAX_PARTICIPANTS = 100_000  # above this a number before "participants" is not a head count


@dataclass(frozen=True, slots=True)
class Themes:
    themes: tuple[str, ...]  # subset of THEMES, in THEMES order
    crime: str | None  # "trafficking_in_persons", "migrant_smuggling", "both" or None
    # The first mention of each theme and crime kept: (label, start, end) in the original text.
    spans: tuple[tuple[str, int, int], ...] = field(default=(), compare=False)


@cache
def _index(section: str, lang: str | None) -> PhraseIndex[str]:
    index: PhraseIndex[str] = PhraseIndex()
    for label, words in load("events.yaml")[section].items():
        for word in by_language(words, lang):
            index.add(word, label)
    return index


def _counts(
    section: str, tokens: list[Token], lang: str | None, firsts: dict[str, tuple[int, int]]
) -> dict[str, int]:
    counts: dict[str, int] = {}
    for m in _index(section, lang).find(tokens):
        for label in m.candidates:
            counts[label] = counts.get(label, 0) + 1
            firsts.setdefault(label, (m.start, m.end))
    return counts


def read_themes(tokens: list[Token], *, lang: str | None) -> Themes:
    """The themes the report dwells on and the crime it concerns."""
    firsts: dict[str, tuple[int, int]] = {}
    themes = _counts("themes", tokens, lang, firsts)
    crimes = _counts("crimes", tokens, lang, firsts)
    found = [c for c in CRIMES if crimes.get(c)]
    crime = "both" if len(found) == len(CRIMES) else (found[0] if found else None)
    kept = tuple(t for t in THEMES if themes.get(t, 0) >= MIN_THEME_MENTIONS)
    spans = tuple((label, *firsts[label]) for label in (*kept, *found))
    return Themes(kept, crime, spans)


@cache
def _participants_pattern(lang: str | None) -> re.Pattern[str]:
    nouns = sorted(
        {fold(w).text for w in by_language(load("events.yaml")["participants"], lang)},
        key=len,
        reverse=True,
    )
    alternation = "|".join(re.escape(n) for n in nouns)
    # "120 participants", "40 experts from", "بمشاركة 50 خبيرا", "some 60 national delegates"
    number = r"(?<![\d.,])(\d{1,3}(?:[ ,.]\d{3})*|\d+)"
    return re.compile(number + rf"\s+(?:[^\W\d_]+\s+)?(?:{alternation})(?![^\W\d_])", re.IGNORECASE)


def read_participants(folded: Folded, *, lang: str | None) -> int | None:
    """The number of participants the report gives, if it gives one."""
    found = find_participants(folded, lang=lang)
    return found[0] if found else None


@cache
def _lead_pattern(lang: str | None) -> re.Pattern[str]:
    leads = sorted(
        {fold(w).text for w in by_language(load("events.yaml")["participation_leads"], lang)},
        key=len,
        reverse=True,
    )
    alternation = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in leads)
    # "بمشاركة 25 من المدعين", "لفائدة 45 من مفتشي العمل": a count after a word of taking part.
    return re.compile(
        rf"(?<![^\W\d_])(?:{alternation})\s+(\d{{1,3}}(?:[ ,.]\d{{3}})*|\d+)\s+(?:من|of|de|d')\s",
        re.IGNORECASE,
    )


def find_participants(folded: Folded, *, lang: str | None) -> tuple[int, int, int] | None:
    """The number of participants and its span ("120 participants") in the original text."""
    found = [*_participants_pattern(lang).finditer(folded.text)]
    found += _lead_pattern(lang).finditer(folded.text)
    for match in sorted(found, key=lambda m: m.start()):
        value = int(re.sub(r"\D", "", match.group(1)))
        if 1 < value <= MAX_PARTICIPANTS and not 1900 <= value <= 2100:
            return (value, *folded.span(match.start(), match.end()))
    return None
