"""The shapes of the synthetic generator's data (`data/names.yaml`, `data/agencies.yaml`), held
to strict models by `jusoor.core.datafiles`; `names.py` and `directory.py` read the checked plain
mapping and add their own cross-checks (styles, unique agency codes)."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

from jusoor.core.datafiles import StrictModel, declare

Text = Annotated[str, StringConstraints(min_length=1)]
Country = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]


class NamePart(StrictModel):
    ar: Text
    latin: dict[str, list[str]]
    countries: list[Country] | None = None


class CountryHabits(StrictModel):
    styles: dict[str, float]
    father: float
    grandfather: float
    family: float
    particles: float
    particle_male: Text | None = None
    particle_female: Text | None = None
    family_particle: bool | None = None


class ArabicVariant(StrictModel):
    name: Text
    pattern: Text
    replace: str
    parts: list[str] | None = None


class NamesFile(StrictModel):
    styles: list[Text]
    articles: dict[str, list[str]]
    particles: list[NamePart]
    countries: dict[str, CountryHabits]  # ISO alpha-2 codes, and "default"
    arabic_variants: list[ArabicVariant]
    male: list[NamePart]
    female: list[NamePart]
    family: list[NamePart]


class CountryNames(StrictModel):
    ar: Text
    en: Text
    fr: Text
    city_ar: Text
    city_en: Text
    city_fr: Text


class Committee(StrictModel):
    code: Text
    ar: Text
    en: Text
    fr: Text


class Template(StrictModel):
    suffix: Text
    kind: Text
    ar: Text
    en: Text
    fr: Text


class Names(StrictModel):
    ar: Text
    en: Text
    fr: Text


class Regional(StrictModel):
    code: Text
    country: Country
    kind: Text
    ar: Text
    en: Text
    fr: Text


class AgenciesFile(StrictModel):
    countries: dict[Country, CountryNames]
    committees: dict[Country, Committee]
    templates: list[Template]
    overrides: dict[str, Names]
    regional: list[Regional]


NAMES_FILE = declare("jusoor.synth", "data/names.yaml", NamesFile)
AGENCIES_FILE = declare("jusoor.synth", "data/agencies.yaml", AgenciesFile)
