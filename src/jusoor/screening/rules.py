"""The assessment rules (ILO 2009, WCMS_105023 p.3) as typed data, read from `rules.yaml`.

The file's header explains the three steps: when a dimension is positive, which positive
dimensions make a presumed victim (adults and children), and what still makes a possible victim.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import Field

from jusoor.core.datafiles import declare
from jusoor.core.i18n import gettext as _
from jusoor.screening.files import Key, LocalText, StrictModel, TextModel, fault, read_validated
from jusoor.screening.vocabulary import AgeGroup, Dimension, Strength


@dataclass(frozen=True)
class Requirement:
    """At least `count` present indicators whose strength is one of `strengths`."""

    strengths: frozenset[Strength]
    count: int


@dataclass(frozen=True)
class Clause:
    """One way for a dimension to be positive, e.g. (b) one strong and one medium-or-weak;
    `label` says it in plain words for the screener."""

    id: str
    at_least: tuple[Requirement, ...]
    label: LocalText

    def holds(self, counts: Mapping[Strength, int]) -> bool:
        return all(
            sum(counts.get(strength, 0) for strength in need.strengths) >= need.count
            for need in self.at_least
        )


@dataclass(frozen=True)
class Element:
    """A part of the trafficking definition; it holds when any of its dimensions is positive."""

    id: str
    label: LocalText
    any_of: tuple[Dimension, ...]


@dataclass(frozen=True)
class Combination:
    elements: tuple[Element, ...]
    verified: bool


@dataclass(frozen=True)
class Rules:
    clauses: tuple[Clause, ...]
    clauses_verified: bool
    presumed_victim: Mapping[AgeGroup, Combination]
    possible_when_any_dimension_positive: bool
    possible_when_any_strong_indicator: bool

    def positive_clause(self, counts: Mapping[Strength, int]) -> Clause | None:
        """The first clause that makes a dimension with these counts positive, if any."""
        return next((clause for clause in self.clauses if clause.holds(counts)), None)


# --- the shape of the file --------------------------------------------------------------------


class _Requirement(StrictModel):
    strengths: list[Strength] = Field(min_length=1)
    count: int = Field(ge=1)


class _Clause(StrictModel):
    id: Key
    label: TextModel
    at_least: list[_Requirement] = Field(min_length=1)


class _DimensionRule(StrictModel):
    verified: bool
    clauses: list[_Clause] = Field(min_length=1)


class _Element(StrictModel):
    id: Key
    label: TextModel
    any_of: list[Dimension] = Field(min_length=1)


class _Combination(StrictModel):
    verified: bool
    elements: list[_Element] = Field(min_length=1)


class _PossibleVictim(StrictModel):
    when_any_dimension_positive: bool
    when_any_strong_indicator: bool


class _RulesFile(StrictModel):
    dimension_positive: _DimensionRule
    presumed_victim: dict[AgeGroup, _Combination]
    possible_victim: _PossibleVictim


# Declared so that start-up (`check_all`) and the data-file test check its shape.
RULES_DATA_FILE = declare("jusoor.screening", "rules.yaml", _RulesFile)
RULES_FILE = RULES_DATA_FILE.path


@cache
def ilo_rules() -> Rules:
    """The rules as shipped with Jusoor (read once)."""
    return load_rules()


def load_rules(path: Path = RULES_FILE) -> Rules:
    """Read and validate a rules file; raise `CatalogueError` on any fault."""
    data = read_validated(_RulesFile, path)
    if missing := [g.value for g in AgeGroup if g not in data.presumed_victim]:
        raise fault(path, _("presumed_victim: missing %(groups)s.", groups=", ".join(missing)))
    clauses = tuple(_clause(path, clause) for clause in data.dimension_positive.clauses)
    if len({clause.id for clause in clauses}) != len(clauses):
        raise fault(path, _("dimension_positive: two clauses share an id."))
    combinations = {
        group: Combination(
            tuple(Element(e.id, e.label.local(), tuple(e.any_of)) for e in combination.elements),
            combination.verified,
        )
        for group, combination in data.presumed_victim.items()
    }
    return Rules(
        clauses=clauses,
        clauses_verified=data.dimension_positive.verified,
        presumed_victim=combinations,
        possible_when_any_dimension_positive=data.possible_victim.when_any_dimension_positive,
        possible_when_any_strong_indicator=data.possible_victim.when_any_strong_indicator,
    )


def _clause(path: Path, clause: _Clause) -> Clause:
    needs = tuple(Requirement(frozenset(n.strengths), n.count) for n in clause.at_least)
    counted: set[Strength] = set()
    for need in needs:
        # One indicator must not satisfy two requirements of the same clause.
        if counted & need.strengths:
            raise fault(
                path,
                _("dimension_positive: clause %(id)s counts a strength twice.", id=clause.id),
            )
        counted |= need.strengths
    return Clause(clause.id, needs, clause.label.local())
