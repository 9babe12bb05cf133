"""Cities and countries named in a text, resolved to ISO 3166-1 alpha-2 codes.

Country names come from pycountry in English, French and Arabic (its bundled gettext catalogues)
plus the short and adjectival forms in `gazetteers/places.yaml`; cities come from that file alone.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Literal

import pycountry

from jusoor.monitor.reading.folding import Folded, fold
from jusoor.monitor.reading.gazetteer import Match, PhraseIndex, Token, by_language, load

PlaceKind = Literal["city", "country"]


@dataclass(frozen=True, slots=True)
class Place:
    id: str  # a city id from places.yaml, or the country's alpha-2 code
    kind: PlaceKind
    country: str  # ISO 3166-1 alpha-2
    name: str  # English display name


@dataclass(frozen=True, slots=True)
class PlaceMention:
    place: Place
    start: int  # span in the original text
    end: int
    first: int  # index of the first token, to look at the word before it
    last: int
    proclitic: str = ""  # Arabic letters attached to the name: "ب" (in) in "بالرباط"


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name)


def _pycountry_names(lang: str) -> Iterator[tuple[str, str]]:
    """(alpha-2, name) pairs in `lang`, from pycountry's ISO 3166-1 catalogue."""
    translate = (lambda s: s) if lang == "en" else _catalogue(lang).gettext
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                yield country.alpha_2, translate(str(value))


def _catalogue(lang: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)


def _country(code: str) -> Place:
    return Place(code, "country", code, country_name(code))


@cache
def _index(lang: str | None) -> PhraseIndex[Place | None]:
    data = load("places.yaml")
    index: PhraseIndex[Place | None] = PhraseIndex()
    for code_lang in ("en", "fr", "ar"):
        if lang is None or lang == code_lang:
            for code, name in _pycountry_names(code_lang):
                index.add(name, _country(code))
    for code, aliases in data["countries"].items():
        for alias in by_language(aliases, lang):
            index.add(alias, _country(code))
    for city in data["cities"]:
        english = next(iter(city["names"].get("en") or city["names"].get("any") or [city["id"]]))
        place = Place(city["id"], "city", city["country"], english)
        for alias in by_language(city["names"], lang):
            index.add(alias, place)
    for alias in by_language(data["not_places"], lang):
        index.add(alias, None)
    return index


@cache
def _context_index(lang: str | None) -> PhraseIndex[Place]:
    index: PhraseIndex[Place] = PhraseIndex()
    for city in load("places.yaml")["cities"]:
        english = next(iter(city["names"].get("en") or city["names"].get("any") or [city["id"]]))
        place = Place(city["id"], "city", city["country"], english)
        for alias in by_language(city.get("in_context"), lang):
            index.add(alias, place)
    return index


@cache
def _context_leads(lang: str | None) -> frozenset[str]:
    words = by_language(load("places.yaml")["context_leads"], lang)
    return frozenset(fold(w).text.casefold() for w in words)


def _in_context(m: Match[Place], tokens: list[Token], lang: str | None) -> bool:
    """Whether a name that is also a common word stands where a place does: after a word of
    place («في العقبة»), with the proclitic ب («بالعقبة»), or as the report's first word, where
    its dateline names a city ("العقبة 3 آذار (بترا) -")."""
    if "ب" in m.proclitic or m.first == 0:
        return True
    return m.first > 0 and tokens[m.first - 1].key in _context_leads(lang)


def find_places(
    tokens: list[Token], *, lang: str | None, hints: Iterable[str] = ()
) -> list[PlaceMention]:
    """Places named in the text, in order. A name shared by places in different countries is kept
    only when another, unambiguous mention names one of those countries, or one of the `hints`
    does (the countries of the national bodies named: عمان is Amman beside Jordan's committee);
    otherwise it is dropped. A city name that is also a common word counts only in context."""
    found: list[Match[Place | None]] = [
        m for m in _index(lang).find(tokens) if None not in m.candidates
    ]
    taken = {i for m in found for i in range(m.first, m.last + 1)}
    found += [
        Match(m.start, m.end, m.first, m.last, tuple[Place | None, ...](m.candidates), m.proclitic)
        for m in _context_index(lang).find(tokens)
        if not taken & set(range(m.first, m.last + 1)) and _in_context(m, tokens, lang)
    ]
    found.sort(key=lambda m: m.start)
    sure = {c.country for m in found if len(m.candidates) == 1 for c in m.candidates if c}
    sure |= set(hints)
    mentions: list[PlaceMention] = []
    for m in found:
        places = [c for c in m.candidates if c is not None]
        chosen = (
            places[0] if len(places) == 1 else next((p for p in places if p.country in sure), None)
        )
        if chosen is not None:
            mentions.append(PlaceMention(chosen, m.start, m.end, m.first, m.last, m.proclitic))
    return mentions


def countries_of(mentions: Iterable[PlaceMention]) -> list[str]:
    """Distinct country codes of the mentions (a city counts for its country), in order."""
    return list(dict.fromkeys(m.place.country for m in mentions))


@cache
def _cities() -> dict[str, Place]:
    places = {}
    for city in load("places.yaml")["cities"]:
        english = next(iter(city["names"].get("en") or city["names"].get("any") or [city["id"]]))
        places[city["id"]] = Place(city["id"], "city", city["country"], english)
    return places


def capital_of(country: str) -> Place | None:
    """The capital of a country, when the gazetteer lists it."""
    city_id = load("places.yaml")["capitals"].get(country)
    return _cities().get(city_id) if city_id else None


@cache
def _capital_words(lang: str | None) -> re.Pattern[str]:
    words = sorted({fold(w).text for w in by_language(load("places.yaml")["capital_words"], lang)})
    alternation = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
    return re.compile(rf"(?<![^\W\d_])(?:{alternation})(?![^\W\d_])", re.IGNORECASE)


def names_the_capital(text: str | Folded, *, lang: str | None) -> re.Match[str] | None:
    """Where the (folded) text says "in the capital" («بالعاصمة», "à la capitale"), if it does."""
    return _capital_words(lang).search(text.text if isinstance(text, Folded) else fold(text).text)
