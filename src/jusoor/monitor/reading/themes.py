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


def _words(section: str, lang: str | None) -> list[str]:
    return sorted(
        {fold(w).text for w in by_language(load("events.yaml")[section], lang)},
        key=len,
        reverse=True,
    )


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)


@cache
def _number_words(lang: str | None) -> dict[str, int]:
    table: dict[str, int] = {}
    for code, words in load("events.yaml")["number_words"].items():
        if lang is None or code in (lang, "any"):
            table.update({fold(w).text.casefold(): v for w, v in words.items()})
    return table


@cache
def _number(lang: str | None) -> str:
    """A count in digits ("1,100", "120") or in words ("Thirty-two", "quarante-deux", "خمسة
    وعشرون"), as one capturing group."""
    words = sorted(_number_words(lang), key=len, reverse=True)
    word = rf"(?:{_alternation(words)})(?![^\W\d_])"
    spelled = rf"(?<![^\W\d_]){word}(?:(?:\s*-\s*|\s+(?:et|and)\s+|\s+)(?:و)?{word})*"
    return rf"((?<![\d.,])\d{{1,3}}(?:[ ,.]\d{{3}})*(?![\d])|(?<![\d.,])\d+|{spelled})"


def _value(count: str, lang: str | None) -> int:
    """The number a count stands for; a count in words is the sum of its parts."""
    if count[:1].isdigit():
        return int(re.sub(r"\D", "", count))
    table = _number_words(lang)
    words = sorted(table, key=len, reverse=True)
    found = re.finditer(rf"(?:{_alternation(words)})(?![^\W\d_])", count.casefold())
    return sum(table[re.sub(r"\s+", " ", m.group())] for m in found)


@cache
def _participants_pattern(lang: str | None) -> re.Pattern[str]:
    alternation = "|".join(re.escape(n) for n in _words("participants", lang))
    units = _alternation(_words("not_participants", lang))
    # "120 participants", "40 experts from", "بمشاركة 50 خبيرا", "some 60 national delegates",
    # "Twenty-eight border and residency officers": up to three words between the count and its
    # noun, none of them a unit that counts something else ("15 countries and experts").
    between = rf"(?:(?!(?:{units})(?![^\W\d_]))[^\W\d_]+\s+){{0,3}}"
    return re.compile(_number(lang) + rf"\s+{between}(?:{alternation})(?![^\W\d_])", re.IGNORECASE)


def read_participants(folded: Folded, *, lang: str | None) -> int | None:
    """The number of participants the report gives, if it gives one."""
    found = find_participants(folded, lang=lang)
    return found[0] if found else None


@cache
def _lead_pattern(lang: str | None) -> re.Pattern[str]:
    leads = _alternation(_words("participation_leads", lang))
    units = _alternation(_words("not_participants", lang))
    # "بمشاركة 25 من المدعين", "لفائدة 45 من مفتشي العمل", "بمشاركة 70 متفقدا للشغل", "for 60
    # police and prosecution officers": a count after a word of taking part, unless what it counts
    # is years, countries or cases.
    return re.compile(
        rf"(?<![^\W\d_])(?:{leads})\s+{_number(lang)}\s+"
        rf"(?:(?:من|of|de|d')\s|(?!(?:{units})(?![^\W\d_]))[^\W\d_])",
        re.IGNORECASE,
    )


@cache
def _took_part_pattern(lang: str | None) -> re.Pattern[str]:
    verbs = _alternation(_words("took_part", lang))
    # "Thirty social workers and police officers took part"
    return re.compile(
        _number(lang) + rf"(?:\s+[^\W\d_]+){{1,6}}\s+(?:{verbs})(?![^\W\d_])", re.IGNORECASE
    )


def find_participants(folded: Folded, *, lang: str | None) -> tuple[int, int, int] | None:
    """The number of participants and its span ("120 participants") in the original text."""
    found = [*_participants_pattern(lang).finditer(folded.text)]
    found += _lead_pattern(lang).finditer(folded.text)
    found += _took_part_pattern(lang).finditer(folded.text)
    for match in sorted(found, key=lambda m: m.start()):
        value = _value(match.group(1), lang)
        if 1 < value <= MAX_PARTICIPANTS and not 1900 <= value <= 2100:
            return (value, *folded.span(match.start(), match.end()))
    return None
