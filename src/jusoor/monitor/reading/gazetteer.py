"""Find gazetteer phrases (names, acronyms, keywords) in a text, longest match first.

Matching works on tokens of the folded text, so "Sharm El-Sheikh" and "Sharm El Sheikh" meet, and
an Arabic phrase is also found behind the proclitics that attach to the first word in Arabic script
(و، ف، ب، ل، ك and لل for ل + ال): "بمدينة الرباط", "والمغرب", "للهجرة". A phrase can stand for
several entries (an acronym shared by two bodies): the caller decides, and never invents when
unsure.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, Generic, TypeVar

from jusoor.monitor.reading.folding import TOKEN, Folded, fold
from jusoor.monitor.reading.gazetteer_files import GAZETTEERS

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # folded, case kept (for acronyms)
    key: str  # folded and case-folded (for names)
    start: int  # span in the original text
    end: int


@dataclass(frozen=True, slots=True)
class Match(Generic[T]):
    """A phrase found in a text: its original span, its tokens, the entries it may stand for."""

    start: int
    end: int
    first: int
    last: int
    candidates: tuple[T, ...]
    proclitic: str = ""  # Arabic letters stripped from the first word: "ب" in "بالرباط"


def tokenize(folded: Folded) -> list[Token]:
    tokens = []
    for m in TOKEN.finditer(folded.text):
        start, end = folded.span(m.start(), m.end())
        tokens.append(Token(m.group(), m.group().casefold(), start, end))
    return tokens


def _is_arabic(word: str) -> bool:
    return "\u0600" <= word[:1] <= "\u06ff"


@cache
def arabic_readings(word: str) -> tuple[str, ...]:
    """The word itself and the stems left after stripping attached proclitics."""
    if not _is_arabic(word) or len(word) < 3:
        return (word,)
    readings = [word]
    bases = [word]
    if word[0] in "وف":
        bases.append(word[1:])
    for base in bases:
        if base is not word:
            readings.append(base)
        if len(base) > 3 and base[0] in "بلك":
            readings.append(base[1:])
        if len(base) > 3 and base.startswith("لل"):
            readings.append("ا" + base[1:])  # ل + ال is written لل
    return tuple(dict.fromkeys(readings))


def _proclitic(word: str, reading: str) -> str:
    if word == reading:
        return ""
    if len(word) == len(reading):  # لل written for ل + ال
        return word[0]
    return word[: len(word) - len(reading)]


class PhraseIndex(Generic[T]):
    """Phrases mapped to entries; `find` returns non-overlapping longest matches, left to right."""

    def __init__(self) -> None:
        self._names: dict[tuple[str, ...], list[T]] = {}
        self._acronyms: dict[tuple[str, ...], list[T]] = {}
        # Phrase lengths by first word, longest first: a text position is tried only against the
        # lengths of phrases that can start there, which keeps `find` linear in the text.
        self._name_lengths: dict[str, list[int]] = {}
        self._acronym_lengths: dict[str, list[int]] = {}

    def add(self, phrase: str, entry: T, *, case_sensitive: bool = False) -> None:
        words = TOKEN.findall(fold(phrase).text)
        if not words:
            raise ValueError(f"empty phrase for {entry!r}")
        key = tuple(words) if case_sensitive else tuple(w.casefold() for w in words)
        table = self._acronyms if case_sensitive else self._names
        bucket = table.setdefault(key, [])
        if entry not in bucket:
            bucket.append(entry)
        lengths = (self._acronym_lengths if case_sensitive else self._name_lengths).setdefault(
            key[0], []
        )
        if len(key) not in lengths:
            lengths.append(len(key))
            lengths.sort(reverse=True)

    def __len__(self) -> int:
        return len(self._names) + len(self._acronyms)

    def _longest_at(self, tokens: list[Token], i: int) -> tuple[int, list[T], str] | None:
        """(length, entries, proclitic) of the longest phrase starting at token `i`."""
        best: tuple[int, list[T], str] | None = None
        word = tokens[i].key
        for first in arabic_readings(word):
            for n in self._name_lengths.get(first, ()):
                if best is not None and n <= best[0]:
                    break
                if i + n <= len(tokens):
                    found = self._names.get((first, *(t.key for t in tokens[i + 1 : i + n])))
                    if found:
                        best = (n, found, _proclitic(word, first))
                        break
        for n in self._acronym_lengths.get(tokens[i].text, ()):
            if best is not None and n <= best[0]:
                break
            found = self._acronyms.get(tuple(t.text for t in tokens[i : i + n]))
            if found and i + n <= len(tokens):
                best = (n, found, "")
                break
        return best

    def find(self, tokens: list[Token]) -> list[Match[T]]:
        matches: list[Match[T]] = []
        i = 0
        while i < len(tokens):
            best = self._longest_at(tokens, i)
            if best is None:
                i += 1
                continue
            n, found, proclitic = best
            last = i + n - 1
            matches.append(
                Match(tokens[i].start, tokens[last].end, i, last, tuple(found), proclitic)
            )
            i = last + 1
        return matches


def load(name: str) -> Any:
    """A YAML file shipped in `jusoor/monitor/reading/gazetteers/`, checked against its strict model
    (`gazetteer_files.py`, through `jusoor.core.datafiles`) and read once."""
    return GAZETTEERS[name].plain()


def by_language(aliases: dict[str, Iterable[str]] | None, lang: str | None) -> Iterator[str]:
    """Aliases that apply to a text in `lang`: its own language's, and those listed under `any`.

    With the language unknown every alias applies.
    """
    for key, names in (aliases or {}).items():
        if lang is None or key in (lang, "any"):
            yield from names
