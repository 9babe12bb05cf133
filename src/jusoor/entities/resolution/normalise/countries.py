"""Countries as ISO 3166-1 alpha-2 codes, from codes or names in Arabic, English and French
(مصر, Egypt, Égypte → "EG"), and from nationality words (موريتاني, mauritanienne → "MR")."""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from functools import cache

import pycountry

from jusoor.entities.resolution.normalise.namekeys import normalize_name
from jusoor.entities.resolution.normalise.tables import TableError, mapping, read_table, text_list

# Words that do not tell countries apart ("République de Guinée" = "Guinée").
_FILLER = frozenset({"the", "of", "and", "le", "la", "les", "l", "de", "du", "des", "d", "et", "و"})
_TRANSLATIONS = ("fr", "ar")


def country_key(text: str) -> str:
    """The lookup form of a country name: normalised words without fillers or the article ال."""
    words = normalize_name(text.replace("'", " ").replace("’", " ")).split()
    kept = [w[2:] if w.startswith("ال") and len(w) > 3 else w for w in words if w not in _FILLER]
    return " ".join(kept)


def _pycountry_names() -> Iterator[tuple[str, str]]:
    """(alpha-2, name) for every ISO name, official and common name, and their translations."""
    translators = [
        gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
        for lang in _TRANSLATIONS
    ]
    for country in pycountry.countries:
        code = str(country.alpha_2)
        for attribute in ("name", "official_name", "common_name"):
            name = getattr(country, attribute, None)
            if not isinstance(name, str):
                continue
            for spelling in [name, *(t.gettext(name) for t in translators)]:
                yield code, spelling
                if "," in spelling:  # "Iran, Islamic Republic of" → "Iran"
                    yield code, spelling.split(",")[0]


def _listed_names() -> Iterator[tuple[str, str]]:
    where = "countries.yaml"
    for code, entry in mapping(read_table(where), where).items():
        if pycountry.countries.get(alpha_2=code) is None:
            raise TableError(f"{where}: {code} is not an ISO 3166-1 alpha-2 code")
        fields = mapping(entry, f"{where} {code}")
        for field in ("names", "people"):
            if field in fields:
                for spelling in text_list(fields[field], f"{where} {code}.{field}"):
                    yield code, spelling


@cache
def _codes() -> dict[str, str]:
    codes: dict[str, str] = {}
    for country in pycountry.countries:
        codes[str(country.alpha_2)] = codes[str(country.alpha_3)] = str(country.alpha_2)
    return codes


@cache
def _index() -> dict[str, str]:
    index: dict[str, str] = {}
    # Listed names first: where a spelling is ambiguous ("Congo"), the list decides.
    for code, spelling in [*_listed_names(), *_pycountry_names()]:
        key = country_key(spelling)
        if key:
            index.setdefault(key, code)
    return index


def country_code(raw: str) -> str | None:
    """The ISO 3166-1 alpha-2 code `raw` names ("MAR", "Maroc", "المغرب", "marocaine" → "MA"),
    or None if it names no country this table knows."""
    code = _codes().get(raw.strip().upper())
    if code is not None:
        return code
    key = country_key(raw)
    return _index().get(key) if key else None
