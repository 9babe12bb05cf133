"""The questionnaire file: every question feeds real indicators, every indicator is asked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from jusoor.screening import Answer, Profile, assess, ilo_catalogue
from jusoor.screening.catalogue import CatalogueError, LocalText
from jusoor.screening.questionnaire import (
    QUESTIONS_FILE,
    Question,
    Questionnaire,
    Step,
    indicator_answers,
    load_questionnaire,
    questionnaire,
)
from tests.screening.conftest import write_yaml


@pytest.fixture
def questions_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(QUESTIONS_FILE.read_text(encoding="utf-8"))
    return data


def test_every_question_maps_to_existing_indicators() -> None:
    every_id = {i.id for i in ilo_catalogue().indicators}
    for step in questionnaire().steps:
        for question in step.questions:
            assert question.indicators, question.id
            assert set(question.indicators) <= every_id, question.id


@pytest.mark.parametrize("profile", list(Profile))
def test_every_indicator_of_the_profile_is_asked_or_listed_as_not_asked(profile: Profile) -> None:
    form = questionnaire()
    asked = {i for q in form.questions(profile).values() for i in q.indicators}
    expected = {i.id for i in ilo_catalogue().for_profile(profile)}
    assert expected - asked - set(form.not_asked) == set()


@pytest.mark.parametrize("profile", list(Profile))
def test_every_step_and_question_has_its_three_languages(profile: Profile) -> None:
    for step in questionnaire().for_profile(profile):
        for text in (step.title, step.hint, *(q.text for q in step.questions)):
            assert text.en and text.ar and text.fr
            assert text.ar != text.en and text.fr != text.en


def test_questions_of_a_profile_only_feed_its_own_indicators() -> None:
    # "No social protection" is not in the child lists: the question is not asked of a child.
    assert "no_protection" in questionnaire().questions(Profile.ADULT_LABOUR)
    assert "no_protection" not in questionnaire().questions(Profile.CHILD_LABOUR)


def test_an_unknown_indicator_is_refused_naming_the_question(
    tmp_path: Path, questions_data: dict[str, Any]
) -> None:
    questions_data["steps"][0]["questions"][0]["indicators"] = ["dr.no_such_thing"]
    path = write_yaml(tmp_path / "questions.yaml", questions_data)
    with pytest.raises(CatalogueError, match=r"job_different.*dr\.no_such_thing"):
        load_questionnaire(path)


def test_a_question_defined_twice_is_refused(
    tmp_path: Path, questions_data: dict[str, Any]
) -> None:
    first = questions_data["steps"][0]["questions"][0]
    questions_data["steps"][1]["questions"].append(first)
    path = write_yaml(tmp_path / "questions.yaml", questions_data)
    with pytest.raises(CatalogueError, match="job_different"):
        load_questionnaire(path)


def test_a_question_without_indicators_is_refused(
    tmp_path: Path, questions_data: dict[str, Any]
) -> None:
    questions_data["steps"][0]["questions"][0]["indicators"] = []
    path = write_yaml(tmp_path / "questions.yaml", questions_data)
    with pytest.raises(CatalogueError, match="indicators"):
        load_questionnaire(path)


def test_one_question_feeds_the_same_fact_in_every_dimension_it_belongs_to() -> None:
    answers = indicator_answers(Profile.ADULT_LABOUR, {"documents_kept": Answer.YES})
    assert answers == {
        "cr.confiscation_of_documents": Answer.YES,
        "cd.confiscation_of_documents": Answer.YES,
    }


@pytest.mark.parametrize(
    ("first", "second", "combined"),
    [
        (Answer.NO, Answer.YES, Answer.YES),
        (Answer.UNKNOWN, Answer.YES, Answer.YES),
        (Answer.NO, Answer.UNKNOWN, Answer.UNKNOWN),
        (Answer.NO, Answer.NO, Answer.NO),
    ],
)
def test_yes_beats_unknown_and_unknown_beats_no_when_two_questions_share_an_indicator(
    first: Answer, second: Answer, combined: Answer
) -> None:
    text = LocalText("q", "س", "q")
    both = (Question("a", text, None, ("dr.wages",)), Question("b", text, None, ("dr.wages",)))
    form = Questionnaire((Step("s", text, text, both),), {})
    for answers in ({"a": first, "b": second}, {"b": second, "a": first}):
        assert indicator_answers(Profile.ADULT_LABOUR, answers, form) == {"dr.wages": combined}


def test_unknown_answers_never_count_as_present() -> None:
    every = {q: Answer.UNKNOWN for q in questionnaire().questions(Profile.ADULT_LABOUR)}
    result = assess(Profile.ADULT_LABOUR, indicator_answers(Profile.ADULT_LABOUR, every))
    assert result.outcome.value == "no_indication"
    assert not any(d.positive or d.present for d in result.dimensions)
