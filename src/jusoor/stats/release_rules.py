"""The rules of microdata releases (`release.yaml`, `regions.yaml`): which HTCDS columns a
release holds and how each quasi-identifier is generalised, one ladder level at a time."""

from __future__ import annotations

from functools import cache
from typing import Literal

from jusoor.core.datafiles import StrictModel, declare
from jusoor.stats.tables import UNKNOWN

Ladder = Literal["age", "country", "year", "value"]
Domain = Literal["vocabulary", "subregion", "status"]
SUPPRESSED = "*"
LIST_SEPARATOR = ";"
CHILD_BANDS = frozenset({"0-8", "9-17"})
# How many levels above the value each ladder has (the top one is always "*").
HEIGHTS: dict[str, int] = {"age": 2, "country": 3, "year": 2, "value": 1}


class ReleaseFile(StrictModel):
    quasi_identifiers: dict[str, Ladder]
    attributes: tuple[str, ...]
    synthetic: dict[str, Domain]


class RegionsFile(StrictModel):
    countries: dict[str, tuple[str, str]]


RELEASE_FILE = declare("jusoor.stats", "release.yaml", ReleaseFile)
REGIONS_FILE = declare("jusoor.stats", "regions.yaml", RegionsFile)


def rules() -> ReleaseFile:
    return RELEASE_FILE.load()


@cache
def regions() -> dict[str, tuple[str, str]]:
    return dict(REGIONS_FILE.load().countries)


def subregions() -> tuple[str, ...]:
    return tuple(sorted({sub for sub, _ in regions().values()}))


def subregion(country: str) -> str:
    """The M49 sub-region of an ISO 3166 alpha-2 code; a code UNODC's file lacks is `unknown`."""
    return regions().get(country, (UNKNOWN, UNKNOWN))[0]


def generalise(ladder: str, value: str, level: int) -> str:
    """`value` (a list joined by ";" for list columns) `level` steps up its ladder."""
    if level <= 0:
        return value
    if level >= HEIGHTS[ladder]:
        return SUPPRESSED
    if value == "":  # unknown stays unknown until the value is suppressed altogether
        return value
    if ladder == "age":
        return "0-17" if value in CHILD_BANDS else "18+"
    if ladder == "year":
        start = int(value) - int(value) % 2
        return f"{start}-{start + 1}"
    # country: level 1 is the sub-region, 2 the region; a list keeps each distinct one
    places = {regions().get(c, (UNKNOWN, UNKNOWN))[level - 1] for c in value.split(LIST_SEPARATOR)}
    return LIST_SEPARATOR.join(sorted(places))
