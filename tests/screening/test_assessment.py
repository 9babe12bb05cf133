"""Outcomes of a screening: presumed victim, possible victim, no indication, with the reasons."""

from __future__ import annotations

import pytest

from jusoor.core.i18n import use_locale
from jusoor.screening.assessment import Answer, Outcome, UnknownIndicator, assess, present
from jusoor.screening.catalogue import Dimension, Profile
from jusoor.screening.rules import ilo_rules

# Positive dimensions for adults, labour (each by rule (b): one strong + one medium).
DECEPTION = ["dr.nature_of_job", "dr.wages"]
EXPLOITATION = ["ex.excessive_hours", "ex.low_or_no_salary"]
COERCION = ["cd.debt_bondage", "cd.threats_of_violence"]
# For children, labour: coercive recruitment by two strong indicators.
CHILD_RECRUITMENT = ["cr.violence_on_victims", "cr.abduction_or_sale"]


def codes(profile: Profile, ids: list[str]) -> list[str]:
    return [r.code for r in assess(profile, present(ids)).reasons]


def test_adult_with_recruitment_exploitation_and_means_is_a_presumed_victim() -> None:
    result = assess(Profile.ADULT_LABOUR, present(DECEPTION + EXPLOITATION + COERCION))
    assert result.outcome is Outcome.PRESUMED_VICTIM
    assert [e.holds for e in result.elements] == [True, True, True]
    assert result.reasons[0].code == "outcome"
    assert "adults" in result.reasons[0].text


def test_adult_means_may_be_abuse_of_vulnerability_at_destination() -> None:
    vulnerability = ["vd.dependency_on_exploiters", "vd.unknown_area", "vd.economic_reasons"]
    result = assess(Profile.ADULT_LABOUR, present(DECEPTION + EXPLOITATION + vulnerability))
    assert result.outcome is Outcome.PRESUMED_VICTIM


def test_adult_without_means_is_not_a_presumed_victim() -> None:
    result = assess(Profile.ADULT_LABOUR, present(DECEPTION + EXPLOITATION))
    assert result.outcome is Outcome.POSSIBLE_VICTIM
    missing = [r for r in result.reasons if r.code == "element_missing"]
    assert [r.params["element"] for r in missing] == ["means"]


def test_adult_without_exploitation_is_not_a_presumed_victim() -> None:
    result = assess(Profile.ADULT_LABOUR, present(DECEPTION + COERCION))
    assert result.outcome is Outcome.POSSIBLE_VICTIM


def test_child_needs_no_means() -> None:
    result = assess(Profile.CHILD_LABOUR, present(CHILD_RECRUITMENT + EXPLOITATION))
    assert result.outcome is Outcome.PRESUMED_VICTIM
    assert [e.element.id for e in result.elements] == ["recruitment", "exploitation"]
    assert "child" in result.reasons[0].text


def test_child_still_needs_recruitment_and_exploitation() -> None:
    assert assess(Profile.CHILD_LABOUR, present(EXPLOITATION)).outcome is Outcome.POSSIBLE_VICTIM
    assert (
        assess(Profile.CHILD_SEXUAL, present(CHILD_RECRUITMENT)).outcome is Outcome.POSSIBLE_VICTIM
    )


def test_a_single_strong_indicator_makes_a_possible_victim() -> None:
    result = assess(Profile.ADULT_LABOUR, present(["cd.debt_bondage"]))
    assert result.outcome is Outcome.POSSIBLE_VICTIM
    assert not any(d.positive for d in result.dimensions)
    [strong] = [r for r in result.reasons if r.code == "strong_indicator"]
    assert strong.params == {"indicator": "cd.debt_bondage", "dimension": "coercion_at_destination"}


def test_one_positive_dimension_without_a_strong_indicator_makes_a_possible_victim() -> None:
    medium_only = ["vr.economic_reasons", "vr.illegal_status", "vr.lack_of_information"]
    result = assess(Profile.ADULT_LABOUR, present(medium_only))
    assert result.outcome is Outcome.POSSIBLE_VICTIM
    assert result.dimension(Dimension.RECRUITMENT_BY_ABUSE_OF_VULNERABILITY).clause == "c"
    assert "dimension_positive" in codes(Profile.ADULT_LABOUR, medium_only)


def test_medium_and_weak_signs_below_every_rule_give_no_indication() -> None:
    result = assess(Profile.ADULT_LABOUR, present(["dr.wages", "dr.education_opportunities"]))
    assert result.outcome is Outcome.NO_INDICATION
    assert codes(Profile.ADULT_LABOUR, []) == ["outcome"]


def test_unknown_answers_are_reported_but_never_counted() -> None:
    answers = {"cd.debt_bondage": Answer.UNKNOWN, "cd.isolation": Answer.UNKNOWN}
    answers |= {"dr.wages": Answer.YES, "dr.housing": Answer.NO}
    result = assess(Profile.ADULT_LABOUR, answers)
    assert result.outcome is Outcome.NO_INDICATION
    coercion = result.dimension(Dimension.COERCION_AT_DESTINATION)
    assert not coercion.positive and not coercion.present
    assert [i.id for i in coercion.unknown] == ["cd.debt_bondage", "cd.isolation"]
    [unknown] = [r for r in result.reasons if r.code == "unknown_answers"]
    assert unknown.params == {"count": 2}


def test_an_unknown_indicator_is_an_error_naming_it() -> None:
    with pytest.raises(UnknownIndicator) as caught:
        assess(Profile.ADULT_LABOUR, present(["dr.wages", "dr.nonsense"]))
    assert caught.value.ids == ("dr.nonsense",)
    assert "dr.nonsense" in caught.value.message


def test_an_indicator_of_another_list_is_unknown_to_this_one() -> None:
    # "No social protection" is in the adults-labour list only.
    with pytest.raises(UnknownIndicator):
        assess(Profile.CHILD_LABOUR, present(["ex.no_social_protection"]))


def test_an_assessment_using_unverified_data_says_so() -> None:
    assert not assess(Profile.ADULT_SEXUAL, present(["cd.debt_bondage"])).verified


def test_reasons_name_dimensions_in_the_current_language() -> None:
    with use_locale("ar"):
        result = assess(Profile.ADULT_LABOUR, present(DECEPTION))
    [positive] = [r for r in result.reasons if r.code == "dimension_positive"]
    assert "التجنيد بالخداع" in positive.text
    assert positive.params["dimension"] == "deceptive_recruitment"
    assert positive.params["indicators"] == tuple(DECEPTION)


def test_a_positive_dimension_explains_the_ilo_rule_in_plain_words() -> None:
    with use_locale("fr"):
        result = assess(Profile.ADULT_LABOUR, present(DECEPTION))
    [positive] = [r for r in result.reasons if r.code == "dimension_positive"]
    clause = result.dimension(Dimension.DECEPTIVE_RECRUITMENT).clause
    wanted = {c.id: c for c in ilo_rules().clauses}[clause or ""]
    with use_locale("fr"):
        assert wanted.label.get() in positive.text
    assert "clause" not in positive.text
    assert f"règle {clause}" in positive.text  # the letter of the ILO text, as a reference
