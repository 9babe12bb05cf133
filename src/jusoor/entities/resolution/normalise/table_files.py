"""The shapes of the resolution tables (`*.yaml` beside this module), held to strict models by
`jusoor.core.datafiles`. `tables.read_table` returns the checked plain mapping; the table loaders
then add the checks a schema cannot say (one character per symbol, no spelling in two groups...).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, RootModel, StringConstraints

from jusoor.core.datafiles import DataFile, StrictModel, declare

Text = Annotated[str, StringConstraints(min_length=1)]
PACKAGE = "jusoor.entities.resolution.normalise"


class Scripts(StrictModel):
    latin: list[Text]
    arabic: list[Text]


class CountryNames(StrictModel):
    names: list[Text]
    people: list[Text] = Field(default_factory=list)


CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]


class CountriesFile(RootModel[dict[CountryCode, CountryNames]]):
    """`countries.yaml`: ISO 3166 alpha-2 code -> local names and demonyms."""


class GivenNamesFile(RootModel[dict[str, Scripts]]):
    """`given_names.yaml`: name group -> its regional spellings in both scripts."""


class LettersFile(StrictModel):
    arabic: dict[str, str]
    arabic_marks: list[tuple[str, str]]
    latin: dict[str, str]
    latin_joiners: str


class MonthsFile(RootModel[dict[str, list[Text]]]):
    """`months.yaml`: month number -> its spellings."""


class ParticlesFile(StrictModel):
    connectors: Scripts
    articles: Scripts
    compound_heads: Scripts
    compound_tails: Scripts
    glued_prefixes: Scripts


class Blocking(StrictModel):
    merge: dict[str, str]
    drop: list[str]
    length: int


class PhoneticsFile(StrictModel):
    symbols: dict[str, list[Text]]
    vowel_groups: dict[str, list[Text]]
    arabic: dict[str, str]
    latin: dict[str, str]
    costs: dict[str, dict[str, float]]
    vowel_substitution: dict[str, dict[str, float]]
    near: list[tuple[str, str, float]]
    blocking: Blocking


class TransliterationFile(StrictModel):
    """`transliteration.yaml`: Arabic letters and whole names -> Latin, and the Maghreb spellings
    that glue the article as a bare l."""

    letters: dict[Text, Text]
    names: dict[Text, Text]
    maghreb_article: list[Text]


TABLES: dict[str, DataFile[BaseModel]] = {
    "countries.yaml": declare(PACKAGE, "countries.yaml", CountriesFile),
    "given_names.yaml": declare(PACKAGE, "given_names.yaml", GivenNamesFile),
    "letters.yaml": declare(PACKAGE, "letters.yaml", LettersFile),
    "months.yaml": declare(PACKAGE, "months.yaml", MonthsFile),
    "particles.yaml": declare(PACKAGE, "particles.yaml", ParticlesFile),
    "phonetics.yaml": declare(PACKAGE, "phonetics.yaml", PhoneticsFile),
    "transliteration.yaml": declare(PACKAGE, "transliteration.yaml", TransliterationFile),
}
