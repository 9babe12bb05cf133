"""The indicator catalogue: the four ILO/EC lists (ILO 2009, WCMS_105023) as typed, validated data.

`indicators.yaml` in this package holds the lists; its header explains the layout and cites the
source. An indicator is one (profile, dimension, text) entry, because the ILO weighs the same
text differently by phase ("Confiscation of documents" is medium at recruitment, strong at
destination); its id is "<dimension code>.<text key>", e.g. "cd.confiscation_of_documents".

Country additions (forced begging, forced criminality, ...) are YAML files of the same shape, one
per country, in `<JUSOOR_DATA_DIR>/screening/indicators/*.yaml` (or passed to `load_catalogue`):

    country: MA                       # ISO 3166-1 alpha-2
    sources: {ma-2024: {title: ..., publisher: ..., year: 2024, url: ...}}
    texts: {forced_begging: {en: ..., ar: ..., fr: ...}}
    lists:
      child-labour:
        verified: true
        checked_against: [ma-2024]
        dimensions: {exploitative_conditions: {strong: [forced_begging]}}

They are validated like the ILO file; their ids carry the country ("ma:ex.forced_begging"), and
ILO ids never contain ":", so a country can never clash with, or override, an ILO indicator.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated

import pycountry
from pydantic import Field, StringConstraints

from jusoor.core.config import get_settings
from jusoor.core.datafiles import declare
from jusoor.core.errors import Invalid
from jusoor.core.i18n import gettext as _
from jusoor.screening.files import (
    CatalogueError,
    Key,
    LocalText,
    NonEmpty,
    SourceKey,
    StrictModel,
    TextModel,
    fault,
    read_validated,
)
from jusoor.screening.vocabulary import AgeGroup, Dimension, Profile, Strength

__all__ = [  # the vocabulary is re-exported: callers need only this module
    "AgeGroup",
    "Catalogue",
    "CatalogueError",
    "Dimension",
    "Indicator",
    "LocalText",
    "Profile",
    "Source",
    "Strength",
    "extension_dir",
    "ilo_catalogue",
    "load_catalogue",
    "node_catalogue",
    "parse_profile",
]


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    publisher: str
    year: int | None
    url: str | None


@dataclass(frozen=True)
class Indicator:
    id: str
    profile: Profile
    dimension: Dimension
    strength: Strength
    text: LocalText
    verified: bool
    # None for the ILO's own indicators; else the ISO code of the country that added it.
    country: str | None = None


@dataclass(frozen=True)
class Catalogue:
    dimension_labels: Mapping[Dimension, LocalText]
    indicators: tuple[Indicator, ...]
    sources: Mapping[str, Source]

    def for_profile(self, profile: Profile) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.profile is profile)

    def by_id(self, profile: Profile) -> dict[str, Indicator]:
        return {i.id: i for i in self.for_profile(profile)}


# --- the shape of the files -------------------------------------------------------------------


class _Source(StrictModel):
    title: NonEmpty
    publisher: NonEmpty
    year: int | None
    url: str | None


class _Entry(StrictModel):
    text: Key
    verified: bool


class _List(StrictModel):
    verified: bool
    checked_against: list[str]
    dimensions: dict[Dimension, dict[Strength, list[Key | _Entry]]]


class _DimensionInfo(StrictModel):
    code: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
    label: TextModel


class _File(StrictModel):
    sources: dict[SourceKey, _Source] = Field(min_length=1)
    texts: dict[Key, TextModel]
    lists: dict[Profile, _List]


class _IloFile(_File):
    dimensions: dict[Dimension, _DimensionInfo]


class _CountryFile(_File):
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]


# --- loading ----------------------------------------------------------------------------------

# Declared so that start-up (`check_all`) and the data-file test check its shape; the catalogue
# itself is read through `load_catalogue`, which adds the cross-file checks.
ILO_DATA_FILE = declare("jusoor.screening", "indicators.yaml", _IloFile)
ILO_FILE = ILO_DATA_FILE.path


def extension_dir() -> Path:
    """Where a node keeps its country additions: `<data_dir>/screening/indicators/`."""
    return get_settings().data_dir / "screening" / "indicators"


@cache
def ilo_catalogue() -> Catalogue:
    """The four ILO lists as shipped with Jusoor (read once)."""
    return load_catalogue()


def node_catalogue() -> Catalogue:
    """The ILO lists plus every country file in this node's `extension_dir()`."""
    folder = extension_dir()
    return load_catalogue(extensions=sorted(folder.glob("*.yaml")) if folder.is_dir() else ())


def load_catalogue(*, base: Path = ILO_FILE, extensions: Iterable[Path] = ()) -> Catalogue:
    """Read and validate the ILO file and the country files; raise `CatalogueError` on any fault."""
    ilo = read_validated(_IloFile, base)
    if missing := [p.value for p in Profile if p not in ilo.lists]:
        raise fault(base, _("lists: missing %(profiles)s.", profiles=", ".join(missing)))
    if missing := [d.value for d in Dimension if d not in ilo.dimensions]:
        raise fault(base, _("dimensions: missing %(dimensions)s.", dimensions=", ".join(missing)))
    codes = {dimension: info.code for dimension, info in ilo.dimensions.items()}
    if len(set(codes.values())) != len(codes):
        raise fault(base, _("dimensions: two dimensions share a code."))
    texts = {key: text.local() for key, text in ilo.texts.items()}
    seen: set[tuple[Profile, str]] = set()
    indicators = _indicators(base, ilo, codes, texts, seen, country=None)
    sources = _sources(ilo, prefix="")
    for path in extensions:
        country = read_validated(_CountryFile, path)
        if pycountry.countries.get(alpha_2=country.country) is None:
            raise fault(
                path, _("country: %(code)s is not an ISO 3166-1 code.", code=country.country)
            )
        if clash := sorted(set(country.texts) & set(texts)):
            raise fault(path, _("texts: %(key)s is already an ILO text.", key=clash[0]))
        own = {key: text.local() for key, text in country.texts.items()}
        merged = {**texts, **own}
        indicators += _indicators(path, country, codes, merged, seen, country=country.country)
        sources.update(_sources(country, prefix=f"{country.country.lower()}:"))
    labels = {dimension: info.label.local() for dimension, info in ilo.dimensions.items()}
    return Catalogue(labels, tuple(indicators), sources)


def _sources(file: _File, prefix: str) -> dict[str, Source]:
    return {
        prefix + key: Source(prefix + key, s.title, s.publisher, s.year, s.url)
        for key, s in file.sources.items()
    }


def _entries(file: _File) -> Iterator[tuple[Profile, Dimension, Strength, str, bool]]:
    """Every entry of a file's lists, verified as its list is unless the entry says otherwise."""
    for profile, checked in file.lists.items():
        for dimension, by_strength in checked.dimensions.items():
            for strength, entries in by_strength.items():
                for entry in entries:
                    if isinstance(entry, str):
                        yield profile, dimension, strength, entry, checked.verified
                    else:
                        yield profile, dimension, strength, entry.text, entry.verified


def _indicators(
    path: Path,
    file: _File,
    codes: Mapping[Dimension, str],
    texts: Mapping[str, LocalText],
    seen: set[tuple[Profile, str]],
    country: str | None,
) -> list[Indicator]:
    """A file's indicators, checked against the texts and sources it names and against the ids
    already `seen` (which it extends)."""
    for profile, checked in file.lists.items():
        if unknown := [key for key in checked.checked_against if key not in file.sources]:
            problem = _(
                "lists.%(profile)s: unknown source %(key)s.", profile=profile, key=unknown[0]
            )
            raise fault(path, problem)
    found: list[Indicator] = []
    prefix = f"{country.lower()}:" if country else ""
    for profile, dimension, strength, key, verified in _entries(file):
        if key not in texts:
            where = f"lists.{profile}.{dimension}.{strength}"
            raise fault(path, _("%(where)s: unknown text %(key)s.", where=where, key=key))
        indicator_id = f"{prefix}{codes[dimension]}.{key}"
        if (profile, indicator_id) in seen:
            raise fault(path, _("the indicator %(id)s is defined twice.", id=indicator_id))
        seen.add((profile, indicator_id))
        text = texts[key]
        found.append(Indicator(indicator_id, profile, dimension, strength, text, verified, country))
    if unused := sorted(set(file.texts) - {entry[3] for entry in _entries(file)}):
        raise fault(path, _("texts: %(key)s is in no list.", key=unused[0]))
    return found


PROFILE_CHOICES = ", ".join(p.value for p in Profile)


def parse_profile(value: str) -> Profile:
    """The profile named `value`; `Invalid` naming the choices otherwise."""
    try:
        return Profile(value.strip().lower())
    except ValueError:
        raise Invalid(
            "profile",
            _(
                "Unknown profile %(profile)s; expected one of %(choices)s.",
                profile=value,
                choices=PROFILE_CHOICES,
            ),
        ) from None
