"""The YAML tables behind the normalisers: read once from the package, checked as they load.

Each loader returns a frozen, typed view of one file; a malformed file raises `TableError` naming
the file and the entry, so a bad edit fails the test suite rather than a matching run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from jusoor.entities.resolution.normalise.table_files import TABLES

PROFILES = ("cross_script", "same_script")
SYMBOL_KINDS = (
    "consonant",
    "glottal",
    "semivowel",
    "long_vowel",
    "latin_long",
    "short_vowel",
    "weak",
    "aspirate",
)
VOWEL_KINDS = ("long_vowel", "latin_long", "short_vowel", "weak")
VOWEL_SUBSTITUTIONS = ("same_quality", "short_short", "long_short", "long_long")


class TableError(ValueError):
    """A data file of the resolution package is malformed."""


def read_table(name: str) -> object:
    """The parsed content of `name` (a YAML file beside this module), its shape first checked by
    the strict model of `table_files.py` (one-line `DataFileError` naming file, line and field)."""
    loaded: object = TABLES[name].plain()
    return loaded


def mapping(value: object, where: str) -> dict[str, object]:
    if not isinstance(value, dict) or not all(isinstance(key, str) for key in value):
        raise TableError(f"{where}: expected a mapping with text keys")
    return {str(key): item for key, item in value.items()}


def sequence(value: object, where: str) -> list[object]:
    if not isinstance(value, list):
        raise TableError(f"{where}: expected a list")
    return list(value)


def text_list(value: object, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise TableError(f"{where}: expected a list of non-empty texts")
    items = [str(item) for item in value]
    if len(set(items)) != len(items):
        raise TableError(f"{where}: duplicate entries")
    return items


def text_map(value: object, where: str) -> dict[str, str]:
    raw = mapping(value, where)
    for key, item in raw.items():
        if not key or not isinstance(item, str):
            raise TableError(f"{where}.{key}: expected a text value")
    return {key: str(item) for key, item in raw.items()}


def number(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise TableError(f"{where}: expected a number between 0 and 1")
    return float(value)


@dataclass(frozen=True)
class Letters:
    """Character folding for the Arabic and Latin name normalisers (letters.yaml)."""

    arabic: Mapping[str, str]
    arabic_marks: tuple[tuple[int, int], ...]
    latin: Mapping[str, str]
    latin_joiners: frozenset[str]


@cache
def letters() -> Letters:
    raw = mapping(read_table("letters.yaml"), "letters.yaml")
    marks: list[tuple[int, int]] = []
    for i, span in enumerate(sequence(raw.get("arabic_marks"), "letters.yaml arabic_marks")):
        bounds = sequence(span, f"letters.yaml arabic_marks[{i}]")
        try:
            low, high = (int(str(bound), 16) for bound in bounds)
        except ValueError as exc:
            raise TableError(
                f"letters.yaml arabic_marks[{i}]: expected [low, high] in hex"
            ) from exc
        if low > high:
            raise TableError(f"letters.yaml arabic_marks[{i}]: empty range")
        marks.append((low, high))
    joiners = raw.get("latin_joiners")
    if not isinstance(joiners, str):
        raise TableError("letters.yaml latin_joiners: expected a text")
    return Letters(
        arabic=MappingProxyType(text_map(raw.get("arabic"), "letters.yaml arabic")),
        arabic_marks=tuple(marks),
        latin=MappingProxyType(text_map(raw.get("latin"), "letters.yaml latin")),
        latin_joiners=frozenset(joiners),
    )


@dataclass(frozen=True)
class Particles:
    """Name particles by role, both scripts together (particles.yaml)."""

    connectors: frozenset[str]
    articles: frozenset[str]
    compound_heads: frozenset[str]
    compound_tails: tuple[str, ...]  # longest first
    glued_prefixes: tuple[str, ...]  # longest first


@cache
def particles() -> Particles:
    raw = mapping(read_table("particles.yaml"), "particles.yaml")
    roles: dict[str, list[str]] = {}
    for role in ("connectors", "articles", "compound_heads", "compound_tails", "glued_prefixes"):
        scripts = mapping(raw.get(role), f"particles.yaml {role}")
        roles[role] = [
            word
            for script in ("latin", "arabic")
            for word in text_list(scripts.get(script), f"particles.yaml {role}.{script}")
        ]
    return Particles(
        connectors=frozenset(roles["connectors"]),
        articles=frozenset(roles["articles"]),
        compound_heads=frozenset(roles["compound_heads"]),
        compound_tails=tuple(sorted(roles["compound_tails"], key=len, reverse=True)),
        glued_prefixes=tuple(sorted(roles["glued_prefixes"], key=len, reverse=True)),
    )


@dataclass(frozen=True)
class Phonetics:
    """The common phonetic alphabet of Arabic and Latin name words (phonetics.yaml)."""

    kinds: Mapping[str, str]
    vowel_groups: Mapping[str, frozenset[str]]
    arabic: Mapping[str, str]
    latin: Mapping[str, str]
    costs: Mapping[str, Mapping[str, float]]
    vowel_substitution: Mapping[str, Mapping[str, float]]
    near: Mapping[tuple[str, str], float]
    blocking_merge: Mapping[str, str]
    blocking_drop: frozenset[str]
    blocking_length: int


def _blocking(
    value: object, kinds: Mapping[str, str], where: str
) -> tuple[dict[str, str], list[str], int]:
    raw = mapping(value, where)
    merge = text_map(raw.get("merge"), f"{where}.merge")
    drop = text_list(raw.get("drop"), f"{where}.drop")
    for symbol in [*merge, *merge.values(), *drop]:
        _symbols_of(symbol, kinds, where)
    length = raw.get("length")
    if not isinstance(length, int) or isinstance(length, bool) or length < 1:
        raise TableError(f"{where}.length: expected a positive whole number")
    return merge, drop, length


def _symbols_of(spelling: str, kinds: Mapping[str, str], where: str) -> str:
    unknown = [symbol for symbol in spelling if symbol not in kinds]
    if unknown:
        raise TableError(f"{where}: unknown phonetic symbols {unknown}")
    return spelling


def _cost_table(value: object, names: tuple[str, ...], where: str) -> dict[str, dict[str, float]]:
    raw = mapping(value, where)
    table: dict[str, dict[str, float]] = {}
    for profile in PROFILES:
        entries = mapping(raw.get(profile), f"{where}.{profile}")
        if set(entries) != set(names):
            raise TableError(f"{where}.{profile}: expected exactly {list(names)}")
        table[profile] = {
            name: number(entries[name], f"{where}.{profile}.{name}") for name in names
        }
    return table


@cache
def phonetics() -> Phonetics:
    where = "phonetics.yaml"
    raw = mapping(read_table(where), where)
    kinds: dict[str, str] = {}
    symbols = mapping(raw.get("symbols"), f"{where} symbols")
    for kind in SYMBOL_KINDS:
        for symbol in text_list(symbols.get(kind), f"{where} symbols.{kind}"):
            if len(symbol) != 1 or symbol in kinds:
                raise TableError(
                    f"{where} symbols.{kind}: {symbol!r} is not a new single character"
                )
            kinds[symbol] = kind
    groups = {
        symbol: frozenset(text_list(group, f"{where} vowel_groups.{symbol}"))
        for symbol, group in mapping(raw.get("vowel_groups"), f"{where} vowel_groups").items()
    }
    vowels = {s for s, kind in kinds.items() if kind in VOWEL_KINDS}
    if set(groups) != vowels:
        raise TableError(f"{where} vowel_groups: expected one entry per vowel symbol")
    arabic = text_map(raw.get("arabic"), f"{where} arabic")
    latin = text_map(raw.get("latin"), f"{where} latin")
    for table_name, table in (("arabic", arabic), ("latin", latin)):
        for spelling, symbols_ in table.items():
            _symbols_of(symbols_, kinds, f"{where} {table_name}.{spelling}")
    near: dict[tuple[str, str], float] = {}
    for i, entry in enumerate(sequence(raw.get("near"), f"{where} near")):
        if not isinstance(entry, list) or len(entry) != 3:
            raise TableError(f"{where} near[{i}]: expected [symbol, symbol, cost]")
        first = _symbols_of(str(entry[0]), kinds, f"{where} near[{i}]")
        second = _symbols_of(str(entry[1]), kinds, f"{where} near[{i}]")
        cost = number(entry[2], f"{where} near[{i}]")
        near[(first, second)] = near[(second, first)] = cost
    merge, drop, length = _blocking(raw.get("blocking"), kinds, f"{where} blocking")
    return Phonetics(
        kinds=MappingProxyType(kinds),
        vowel_groups=MappingProxyType(groups),
        arabic=MappingProxyType(arabic),
        latin=MappingProxyType(latin),
        costs=MappingProxyType(_cost_table(raw.get("costs"), SYMBOL_KINDS, f"{where} costs")),
        vowel_substitution=MappingProxyType(
            _cost_table(
                raw.get("vowel_substitution"), VOWEL_SUBSTITUTIONS, f"{where} vowel_substitution"
            )
        ),
        near=MappingProxyType(near),
        blocking_merge=MappingProxyType(merge),
        blocking_drop=frozenset(drop),
        blocking_length=length,
    )


@cache
def given_names() -> Mapping[str, str]:
    """Each listed regional spelling → the id of its name group (given_names.yaml)."""
    where = "given_names.yaml"
    forms: dict[str, str] = {}
    for group, scripts in mapping(read_table(where), where).items():
        spellings = mapping(scripts, f"{where} {group}")
        for script in ("latin", "arabic"):
            for form in text_list(spellings.get(script), f"{where} {group}.{script}"):
                if forms.setdefault(form, group) != group:
                    raise TableError(f"{where} {group}: {form!r} already belongs to {forms[form]}")
    return MappingProxyType(forms)
