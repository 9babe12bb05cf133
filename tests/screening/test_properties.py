"""Properties of the screening that must hold for every combination of answers."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from jusoor.screening.assessment import Answer, Outcome, assess, present
from jusoor.screening.catalogue import Profile, Strength, ilo_catalogue

IDS = {p: sorted(ilo_catalogue().by_id(p)) for p in Profile}


@st.composite
def screenings(draw: st.DrawFn) -> tuple[Profile, set[str], str]:
    """A profile, a set of present indicators, and one more indicator of that profile."""
    profile = draw(st.sampled_from(list(Profile)))
    ids = draw(st.sets(st.sampled_from(IDS[profile]), max_size=20))
    extra = draw(st.sampled_from(IDS[profile]))
    return profile, ids, extra


@given(screenings())
def test_adding_a_present_indicator_never_lowers_the_outcome(
    case: tuple[Profile, set[str], str],
) -> None:
    profile, ids, extra = case
    before = assess(profile, present(ids))
    after = assess(profile, present(ids | {extra}))
    assert after.outcome.rank >= before.outcome.rank
    for old, new in zip(before.dimensions, after.dimensions, strict=True):
        assert new.positive or not old.positive


@given(screenings(), st.sets(st.integers(min_value=0, max_value=80), max_size=10))
def test_unknown_answers_change_nothing_compared_to_absent(
    case: tuple[Profile, set[str], str], picks: set[int]
) -> None:
    profile, ids, _extra = case
    unsure = {IDS[profile][n % len(IDS[profile])] for n in picks} - ids
    absent = assess(profile, present(ids))
    answers = present(ids) | dict.fromkeys(unsure, Answer.UNKNOWN)
    with_unknown = assess(profile, answers)
    assert with_unknown.outcome is absent.outcome
    assert [d.positive for d in with_unknown.dimensions] == [d.positive for d in absent.dimensions]


@given(screenings())
def test_no_indication_exactly_when_nothing_is_positive_and_nothing_strong(
    case: tuple[Profile, set[str], str],
) -> None:
    profile, ids, _extra = case
    result = assess(profile, present(ids))
    strong = any(i.strength is Strength.STRONG for d in result.dimensions for i in d.present)
    signs = strong or any(d.positive for d in result.dimensions)
    assert (result.outcome is Outcome.NO_INDICATION) is not signs


@given(screenings())
def test_a_presumed_victim_has_every_element_of_the_combination(
    case: tuple[Profile, set[str], str],
) -> None:
    profile, ids, _extra = case
    result = assess(profile, present(ids))
    if result.outcome is Outcome.PRESUMED_VICTIM:
        assert all(e.holds for e in result.elements)
        assert len(result.elements) == (3 if profile.age_group.value == "adult" else 2)
