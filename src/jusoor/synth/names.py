"""Synthetic person names: written once in Arabic script, rendered in the Latin habits of a region.

A name is drawn once (given name, nasab chain, family name) and can then be written the way an
Egyptian registry, a Gulf passport, a Moroccan police report or Mauritanian civil status would write
it, so that entity resolution is developed against the variation real case files show. The names,
their spellings and the country habits are data (``data/names.yaml``); this module only assembles.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from jusoor.synth.data_files import NAMES_FILE

STYLES = ("egyptian", "levantine_gulf", "maghrebi_french", "mauritanian")
UPPER = "upper"  # passport/police style: SURNAME first in capitals, then the other names
GENDERS = ("male", "female")
_ARTICLE = "ال"
_USUAL = 0.6  # with an rng, how often the most usual spelling is chosen over the others
_LOCAL_FAMILY = 0.8  # how often a family name is one typical of the country, not a pan-Arab one


@dataclass(frozen=True)
class NamePart:
    """One name of the table: its Arabic spelling and its Latin spellings in every style."""

    arabic: str
    spellings: tuple[tuple[str, tuple[str, ...]], ...]  # (style, spellings, most usual first)
    countries: tuple[str, ...] = ()  # where the name is common; empty means anywhere

    def spellings_in(self, style: str) -> tuple[str, ...]:
        """All Latin spellings of this name in ``style``, most usual first."""
        for name, forms in self.spellings:
            if name == style:
                return forms
        raise ValueError(f"unknown transliteration style {style!r}")

    def latin(self, style: str, rng: random.Random | None = None) -> str:
        """The usual spelling in ``style``; with ``rng``, any of them (the usual one most often)."""
        return _pick(self.spellings_in(style), rng)


@dataclass(frozen=True)
class ArabicVariant:
    """A habit of writing Arabic (bare alef, haa for taa marbuta...) as a substitution."""

    name: str
    pattern: re.Pattern[str]
    replace: str
    parts: tuple[str, ...] = ()  # roles it applies to ("family", "particle"...); empty means all

    def apply(self, text: str, role: str) -> str:
        """``text`` (one part of a name, playing ``role``) as a writer with this habit spells it."""
        if self.parts and role not in self.parts:
            return text
        return self.pattern.sub(self.replace, text)


@dataclass(frozen=True)
class CountryProfile:
    """How names are built and transliterated in one country."""

    styles: tuple[tuple[str, float], ...]  # transliteration styles and their weights
    father: float  # probability that each part is present / that particles are written
    grandfather: float
    family: float
    particles: float
    particle_male: NamePart
    particle_female: NamePart
    family_particle: bool  # Mauritania: the family name too follows Ould/Mint

    @property
    def usual_style(self) -> str:
        """The style this country's own documents use most."""
        return max(self.styles, key=lambda pair: pair[1])[0]

    def particle(self, gender: str) -> NamePart:
        """The nasab particle for a person of ``gender`` (bin/bint, ould/mint)."""
        return self.particle_female if gender == "female" else self.particle_male


@dataclass(frozen=True)
class NameTable:
    """The loaded, validated contents of ``data/names.yaml``."""

    male: tuple[NamePart, ...]
    female: tuple[NamePart, ...]
    family: tuple[NamePart, ...]
    articles: Mapping[str, tuple[str, ...]]
    variants: tuple[ArabicVariant, ...]
    countries: Mapping[str, CountryProfile]

    def profile(self, country: str) -> CountryProfile:
        """The profile of ``country`` (ISO alpha-2), or the default one for other countries."""
        return self.countries.get(country.upper(), self.countries["default"])


_Segment = tuple[str, NamePart | None, NamePart]  # (role, particle written before it, name)


@dataclass(frozen=True)
class PersonName:
    """A synthetic person's name: Arabic parts, rendered on demand in Arabic or Latin script."""

    gender: str
    given: NamePart
    father: NamePart | None
    grandfather: NamePart | None
    family: NamePart | None
    country: str
    particles: bool = False  # the nasab chain is written with bin/ben/ould/mint

    def arabic(self, *, variant: bool = False, rng: random.Random | None = None) -> str:
        """The name in Arabic script, given name first.

        ``variant=False`` gives the canonical spelling. ``variant=True`` applies informal writing
        habits (احمد for أحمد, فاطمه for فاطمة, عبدالرحمن for عبد الرحمن...): each habit with
        probability one half when ``rng`` is given, all of them when it is not.
        """
        rules = name_table().variants if variant else ()
        if variant and rng is not None:
            rules = tuple(rule for rule in rules if rng.random() < 0.5)
        words = []
        for role, particle, part in self._segments():
            if particle is not None:
                words.append(_vary(particle.arabic, "particle", rules))
            words.append(_vary(part.arabic, role, rules))
        return " ".join(words)

    def latin(
        self, style: str | None = None, *, rng: random.Random | None = None, short: bool = False
    ) -> str:
        """The name in Latin script as a source using ``style`` writes it.

        ``style=None`` is the country's own habit; ``"upper"`` is the passport/police form (surname
        first in capitals, unaccented, then the other names, in the country's habit). Without
        ``rng`` each part takes its most usual spelling; with it, spellings vary as they do between
        documents. ``short`` keeps the given name and the family name (or the father's name).
        """
        if style is not None and style != UPPER and style not in STYLES:
            raise ValueError(f"unknown transliteration style {style!r}")
        base = style if style in STYLES else self._country_style(rng)
        segments = self._segments()
        if short:
            # Given name and family name, or the father's name (with its bint/mint) without one.
            segments = segments[:1] + [seg for seg in segments[1:] if seg[0] != "grandfather"][-1:]
        words = [_render(segment, base, rng) for segment in segments]
        if style != UPPER:
            return " ".join(words)
        # The surname is the family name, else the whole Ould/Mint chain (Mauritanian practice),
        # else the last name of the chain (Egyptian and Gulf passports carry it as the surname).
        split = 1 if self.family is None and self.particles else len(words) - 1
        surname, others = " ".join(words[split:]), words[:split]
        return " ".join([_plain(surname).upper(), *(_plain(word) for word in others)])

    def _segments(self) -> list[_Segment]:
        """(role, particle before it, part) in Arabic order; absent parts are left out."""
        profile = name_table().profile(self.country)
        link = profile.particle(self.gender) if self.particles else None
        male_link = profile.particle_male if self.particles else None
        segments: list[_Segment] = [("given", None, self.given)]
        if self.father is not None:
            segments.append(("father", link, self.father))
        if self.grandfather is not None:
            segments.append(("grandfather", male_link, self.grandfather))
        if self.family is not None:
            segments.append(("family", link if profile.family_particle else None, self.family))
        return segments

    def _country_style(self, rng: random.Random | None) -> str:
        profile = name_table().profile(self.country)
        if rng is None or len(profile.styles) == 1:
            return profile.usual_style
        styles = [style for style, _ in profile.styles]
        return rng.choices(styles, weights=[weight for _, weight in profile.styles])[0]


def _render(segment: _Segment, style: str, rng: random.Random | None) -> str:
    role, particle, part = segment
    word = part.latin(style, rng)
    if role == "family" and part.arabic.startswith(_ARTICLE):
        article = _pick(name_table().articles[style], rng)
        # An article with no separator is glued on, as Gulf passports print it: Alotaibi.
        glued = bool(article) and article[-1] not in " -"
        word = article + (word.lower() if glued else word)
    return word if particle is None else f"{particle.latin(style, rng)} {word}"


def random_person_name(
    rng: random.Random, *, country: str, gender: str | None = None
) -> PersonName:
    """Draw a plausible name for a person from ``country`` (ISO alpha-2), using only ``rng``.

    Which parts are present, whether the nasab chain uses bin/ben/ould, and which names are
    chosen follow the country's profile; a name always has at least two parts.
    """
    table = name_table()
    country = country.upper()
    profile = table.profile(country)
    if gender is None:
        gender = rng.choice(GENDERS)
    elif gender not in GENDERS:
        raise ValueError(f"gender must be one of {GENDERS}, not {gender!r}")
    given = rng.choice(_common_in(table.male if gender == "male" else table.female, country))
    fathers = [part for part in _common_in(table.male, country) if part != given]
    father = rng.choice(fathers) if rng.random() < profile.father else None
    grandfather = None
    if father is not None and rng.random() < profile.grandfather:
        grandfather = rng.choice([part for part in fathers if part != father])
    family = _family_name(rng, table, country) if rng.random() < profile.family else None
    if father is None and family is None:
        father = rng.choice(fathers)
    particles = rng.random() < profile.particles
    return PersonName(gender, given, father, grandfather, family, country, particles)


def _family_name(rng: random.Random, table: NameTable, country: str) -> NamePart:
    local = [part for part in table.family if country in part.countries]
    if local and rng.random() < _LOCAL_FAMILY:
        return rng.choice(local)
    return rng.choice([part for part in table.family if not part.countries])


def _common_in(parts: Sequence[NamePart], country: str) -> list[NamePart]:
    return [part for part in parts if not part.countries or country in part.countries]


def _pick(forms: Sequence[str], rng: random.Random | None) -> str:
    if rng is None or len(forms) == 1 or rng.random() < _USUAL:
        return forms[0]
    return rng.choice(forms[1:])


def _vary(text: str, role: str, rules: Sequence[ArabicVariant]) -> str:
    for rule in rules:
        text = rule.apply(text, role)
    return text


def _plain(text: str) -> str:
    # Passports and police databases print names without accents: Fayçal -> Faycal.
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@cache
def name_table() -> NameTable:
    """The name table from ``data/names.yaml``, loaded and validated once per process."""
    raw = NAMES_FILE.plain()  # shape checked by `data_files.NamesFile`
    if tuple(raw["styles"]) != STYLES:
        raise ValueError(f"names.yaml: styles must be {STYLES}")
    particles = {part.arabic: part for part in map(_name_part, raw["particles"])}
    return NameTable(
        male=tuple(map(_name_part, raw["male"])),
        female=tuple(map(_name_part, raw["female"])),
        family=tuple(map(_name_part, raw["family"])),
        articles={style: tuple(raw["articles"][style]) for style in STYLES},
        variants=tuple(map(_arabic_variant, raw["arabic_variants"])),
        countries={
            code: _profile(code, entry, particles) for code, entry in raw["countries"].items()
        },
    )


def _name_part(entry: Mapping[str, Any]) -> NamePart:
    latin = entry["latin"]
    spellings = []
    for style in STYLES:
        forms = latin.get(style, latin.get("all"))
        if not forms:
            raise ValueError(f"names.yaml: {entry['ar']} has no spelling in style {style}")
        spellings.append((style, tuple(str(form) for form in forms)))
    countries = tuple(str(code) for code in entry.get("countries", ()))
    return NamePart(str(entry["ar"]), tuple(spellings), countries)


def _arabic_variant(entry: Mapping[str, Any]) -> ArabicVariant:
    parts = tuple(str(part) for part in entry.get("parts", ()))
    return ArabicVariant(str(entry["name"]), re.compile(entry["pattern"]), entry["replace"], parts)


def _profile(
    code: str, entry: Mapping[str, Any], particles: Mapping[str, NamePart]
) -> CountryProfile:
    styles = tuple((str(style), float(weight)) for style, weight in entry["styles"].items())
    if not styles or any(style not in STYLES for style, _ in styles):
        raise ValueError(f"names.yaml: country {code} has unknown styles {styles}")
    return CountryProfile(
        styles=styles,
        father=float(entry["father"]),
        grandfather=float(entry["grandfather"]),
        family=float(entry["family"]),
        particles=float(entry["particles"]),
        particle_male=particles[entry.get("particle_male", "بن")],
        particle_female=particles[entry.get("particle_female", "بنت")],
        family_particle=bool(entry.get("family_particle", False)),
    )
