"""Screening a person against one ILO list (ILO 2009, WCMS_105023): pure functions, no I/O.

`assess(profile, answers)` takes an answer per indicator id (yes, no or unknown; an indicator
not answered counts as no) and applies `rules.yaml`: which dimensions are positive, whether the
ILO combination of dimensions makes a presumed victim, and otherwise whether the signs still call
for referral as a possible victim. "Unknown" is never counted as present; it is only reported.
Reasons come as structured data (`code`, `params`) and as a sentence in the current language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from babel.lists import format_list

from jusoor.core.errors import Invalid
from jusoor.core.i18n import babel_locale, format_number, ngettext
from jusoor.core.i18n import gettext as _
from jusoor.screening.catalogue import (
    AgeGroup,
    Catalogue,
    Dimension,
    Indicator,
    Profile,
    Strength,
    ilo_catalogue,
)
from jusoor.screening.rules import Element, Rules, ilo_rules


class Answer(StrEnum):
    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


class Outcome(StrEnum):
    """Screening outcomes, from least to most serious."""

    NO_INDICATION = "no_indication"
    POSSIBLE_VICTIM = "possible_victim"
    PRESUMED_VICTIM = "presumed_victim"

    @property
    def rank(self) -> int:
        return list(Outcome).index(self)


@dataclass(frozen=True)
class DimensionResult:
    dimension: Dimension
    positive: bool
    clause: str | None  # the rule clause (a, b, c, d) that made it positive
    present: tuple[Indicator, ...]
    unknown: tuple[Indicator, ...]

    def counts(self) -> dict[Strength, int]:
        return {s: sum(1 for i in self.present if i.strength is s) for s in Strength}


@dataclass(frozen=True)
class ElementResult:
    element: Element
    through: tuple[Dimension, ...]  # its positive dimensions; empty when it does not hold

    @property
    def holds(self) -> bool:
        return bool(self.through)


Param = str | int | tuple[str, ...]


@dataclass(frozen=True)
class Reason:
    code: str
    params: Mapping[str, Param]
    text: str


@dataclass(frozen=True)
class Assessment:
    profile: Profile
    outcome: Outcome
    dimensions: tuple[DimensionResult, ...]
    elements: tuple[ElementResult, ...]
    reasons: tuple[Reason, ...]
    verified: bool  # False when an unverified weight or rule was used

    def dimension(self, dimension: Dimension) -> DimensionResult:
        return next(d for d in self.dimensions if d.dimension is dimension)

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of `jusoor screening assess --json` (and, later, of the API)."""
        return {
            "profile": self.profile.value,
            "outcome": self.outcome.value,
            "dimensions": [
                {
                    "dimension": d.dimension.value,
                    "status": "positive" if d.positive else "negative",
                    "clause": d.clause,
                    "counts": {s.value: n for s, n in d.counts().items()},
                    "indicators": [{"id": i.id, "strength": i.strength.value} for i in d.present],
                    "unknown": [i.id for i in d.unknown],
                }
                for d in self.dimensions
            ],
            "reasons": [
                {
                    "code": r.code,
                    "params": {k: _jsonable(v) for k, v in r.params.items()},
                    "text": r.text,
                }
                for r in self.reasons
            ],
            "verified": self.verified,
        }


class UnknownIndicator(Invalid):
    def __init__(self, profile: Profile, ids: Sequence[str]) -> None:
        super().__init__(
            "indicators",
            _(
                "Unknown indicator for the profile %(profile)s: %(ids)s.",
                profile=profile.value,
                ids=", ".join(ids),
            ),
        )
        self.ids = tuple(ids)


def present(ids: Iterable[str]) -> dict[str, Answer]:
    """Answers where exactly the given indicators are present (what the CLI takes)."""
    return {indicator_id: Answer.YES for indicator_id in ids}


def assess(
    profile: Profile,
    answers: Mapping[str, Answer],
    *,
    catalogue: Catalogue | None = None,
    rules: Rules | None = None,
) -> Assessment:
    """Apply the ILO rules to `answers`; raise `UnknownIndicator` for an id not in the profile."""
    catalogue = catalogue or ilo_catalogue()
    rules = rules or ilo_rules()
    known = catalogue.by_id(profile)
    if unknown_ids := [i for i in answers if i not in known]:
        raise UnknownIndicator(profile, unknown_ids)
    yes = [known[i] for i, answer in answers.items() if answer is Answer.YES]
    unsure = [known[i] for i, answer in answers.items() if answer is Answer.UNKNOWN]
    dimensions = tuple(_dimension(d, yes, unsure, rules) for d in Dimension)
    positive = {d.dimension for d in dimensions if d.positive}
    combination = rules.presumed_victim[profile.age_group]
    elements = tuple(
        ElementResult(e, tuple(d for d in e.any_of if d in positive)) for e in combination.elements
    )
    strong = [i for i in yes if i.strength is Strength.STRONG]
    if all(e.holds for e in elements):
        outcome = Outcome.PRESUMED_VICTIM
    elif (rules.possible_when_any_dimension_positive and positive) or (
        rules.possible_when_any_strong_indicator and strong
    ):
        outcome = Outcome.POSSIBLE_VICTIM
    else:
        outcome = Outcome.NO_INDICATION
    verified = rules.clauses_verified and combination.verified and all(i.verified for i in yes)
    reasons = _reasons(
        profile, outcome, dimensions, elements, strong, len(unsure), catalogue, rules
    )
    return Assessment(profile, outcome, dimensions, elements, reasons, verified)


def _dimension(
    dimension: Dimension, yes: Sequence[Indicator], unsure: Sequence[Indicator], rules: Rules
) -> DimensionResult:
    mine = tuple(i for i in yes if i.dimension is dimension)
    counts = {s: sum(1 for i in mine if i.strength is s) for s in Strength}
    clause = rules.positive_clause(counts)
    unknown = tuple(i for i in unsure if i.dimension is dimension)
    return DimensionResult(
        dimension, clause is not None, clause.id if clause else None, mine, unknown
    )


def _reasons(
    profile: Profile,
    outcome: Outcome,
    dimensions: Sequence[DimensionResult],
    elements: Sequence[ElementResult],
    strong: Sequence[Indicator],
    unknown_count: int,
    catalogue: Catalogue,
    rules: Rules,
) -> tuple[Reason, ...]:
    """Why: the outcome first, then each element of the combination, then the evidence."""
    label = {d: catalogue.dimension_labels[d].get() for d in Dimension}
    reasons = [Reason("outcome", {"outcome": outcome.value}, _outcome_sentence(outcome, profile))]
    # With no sign at all, listing every missing element would only repeat the outcome.
    if outcome is not Outcome.NO_INDICATION:
        reasons += [_element_reason(e, label) for e in elements]
    clauses = {clause.id: clause.label.get() for clause in rules.clauses}
    reasons += [_dimension_reason(d, label, clauses) for d in dimensions if d.positive]
    if outcome is Outcome.POSSIBLE_VICTIM:
        reasons += [_strong_reason(i, label) for i in strong]
    if unknown_count:
        text = ngettext(
            "%(num)s answer is unknown and was not counted as present.",
            "%(num)s answers are unknown and were not counted as present.",
            unknown_count,
        )
        reasons.append(Reason("unknown_answers", {"count": unknown_count}, text))
    return tuple(reasons)


def _element_reason(e: ElementResult, label: Mapping[Dimension, str]) -> Reason:
    element = e.element.label.get()
    if e.holds:
        names = _list([label[d] for d in e.through])
        text = _("%(element)s: established by %(dimensions)s.", element=element, dimensions=names)
        return Reason("element_holds", {"element": e.element.id, "dimensions": e.through}, text)
    names = _list([label[d] for d in e.element.any_of], style="or")
    text = _(
        "%(element)s: not established, as none of %(dimensions)s is positive.",
        element=element,
        dimensions=names,
    )
    params: dict[str, Param] = {"element": e.element.id, "dimensions": e.element.any_of}
    return Reason("element_missing", params, text)


def _dimension_reason(
    d: DimensionResult, label: Mapping[Dimension, str], clauses: Mapping[str, str]
) -> Reason:
    """Why a dimension counts: the rule in plain words, the counts, and the rule's letter in the
    ILO text last, as a reference for whoever checks it."""
    counts = d.counts()
    text = _(
        "%(dimension)s counts as present: the ILO rule asks for %(rule)s, and %(strong)s strong, %(medium)s medium and %(weak)s weak indicators were found (ILO 2009, rule %(clause)s).",
        dimension=label[d.dimension],
        rule=clauses.get(d.clause or "", ""),
        clause=d.clause,
        **{s.value: format_number(counts[s]) for s in Strength},
    )
    params: dict[str, Param] = {
        "dimension": d.dimension.value,
        "clause": d.clause or "",
        **{s.value: counts[s] for s in Strength},
        "indicators": tuple(i.id for i in d.present),
    }
    return Reason("dimension_positive", params, text)


def _strong_reason(i: Indicator, label: Mapping[Dimension, str]) -> Reason:
    text = _(
        "A strong indicator is present: %(indicator)s (%(dimension)s).",
        indicator=i.text.get(),
        dimension=label[i.dimension],
    )
    return Reason("strong_indicator", {"indicator": i.id, "dimension": i.dimension.value}, text)


def _outcome_sentence(outcome: Outcome, profile: Profile) -> str:
    if outcome is Outcome.PRESUMED_VICTIM and profile.age_group is AgeGroup.CHILD:
        return _(
            "Presumed victim: every element of the ILO combination for children is established; for a child the means are not required."
        )
    if outcome is Outcome.PRESUMED_VICTIM:
        return _("Presumed victim: every element of the ILO combination for adults is established.")
    if outcome is Outcome.POSSIBLE_VICTIM:
        return _(
            "Possible victim: the ILO combination is not established, but the answers show signs that call for referral."
        )
    return _(
        "No indication: the answers meet no ILO rule; this does not show that the person is not a victim."
    )


def _list(items: Sequence[str], style: Literal["standard", "or"] = "standard") -> str:
    return format_list(list(items), style=style, locale=babel_locale())


def _jsonable(value: Param) -> str | int | list[str]:
    return list(value) if isinstance(value, tuple) else value
