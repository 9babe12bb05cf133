"""The guided questionnaire (`questions.yaml`): plain-language questions mapped to ILO indicators.

`questionnaire()` loads and validates the file against the indicator catalogue; `for_profile()`
gives the steps a screener walks through for one profile; `indicator_answers()` turns answers to
questions into the per-indicator answers `assess()` takes. The file's header explains the layout.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from pydantic import Field

from jusoor.core.datafiles import declare
from jusoor.core.errors import Invalid
from jusoor.core.i18n import gettext as _
from jusoor.screening.assessment import Answer
from jusoor.screening.catalogue import Catalogue, Profile, ilo_catalogue
from jusoor.screening.files import (
    Key,
    LocalText,
    NonEmpty,
    StrictModel,
    TextModel,
    fault,
    read_validated,
)

QUESTIONS_FILE = Path(str(resources.files("jusoor.screening").joinpath("questions.yaml")))


@dataclass(frozen=True)
class Question:
    id: str
    text: LocalText
    hint: LocalText | None
    indicators: tuple[str, ...]


@dataclass(frozen=True)
class Step:
    id: str
    title: LocalText
    hint: LocalText
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Questionnaire:
    steps: tuple[Step, ...]
    not_asked: Mapping[str, str]  # indicator id -> why no question covers it

    def for_profile(self, profile: Profile, catalogue: Catalogue | None = None) -> tuple[Step, ...]:
        """The steps for `profile`, each with only the questions that feed one of its indicators."""
        known = (catalogue or ilo_catalogue()).by_id(profile)
        steps = []
        for step in self.steps:
            asked = tuple(
                Question(q.id, q.text, q.hint, tuple(i for i in q.indicators if i in known))
                for q in step.questions
                if any(i in known for i in q.indicators)
            )
            if asked:
                steps.append(Step(step.id, step.title, step.hint, asked))
        return tuple(steps)

    def questions(self, profile: Profile) -> dict[str, Question]:
        return {q.id: q for step in self.for_profile(profile) for q in step.questions}


# --- the shape of the file --------------------------------------------------------------------


class _Question(StrictModel):
    id: Key
    text: TextModel
    hint: TextModel | None = None
    indicators: list[NonEmpty] = Field(min_length=1)


class _Step(StrictModel):
    id: Key
    title: TextModel
    hint: TextModel
    questions: list[_Question] = Field(min_length=1)


class _File(StrictModel):
    steps: list[_Step] = Field(min_length=1)
    not_asked: dict[NonEmpty, NonEmpty]


# Declared so that start-up (`check_all`) and the data-file test check its shape; the questions
# are read through `load_questionnaire`, which adds the checks against the catalogue.
QUESTIONS_DATA_FILE = declare("jusoor.screening", "questions.yaml", _File)


@cache
def questionnaire() -> Questionnaire:
    """The questionnaire as shipped with Jusoor (read once)."""
    return load_questionnaire()


def load_questionnaire(
    path: Path = QUESTIONS_FILE, catalogue: Catalogue | None = None
) -> Questionnaire:
    """Read and validate a questions file; raise `CatalogueError` on any fault."""
    data = read_validated(_File, path)
    every_id = {i.id for i in (catalogue or ilo_catalogue()).indicators}
    seen_steps: set[str] = set()
    seen_questions: set[str] = set()
    for step in data.steps:
        if step.id in seen_steps:
            raise fault(path, _("steps: the step %(id)s is defined twice.", id=step.id))
        seen_steps.add(step.id)
        for question in step.questions:
            if question.id in seen_questions:
                raise fault(path, _("the question %(id)s is defined twice.", id=question.id))
            seen_questions.add(question.id)
            if unknown := [i for i in question.indicators if i not in every_id]:
                problem = _(
                    "question %(id)s: unknown indicator %(indicator)s.",
                    id=question.id,
                    indicator=unknown[0],
                )
                raise fault(path, problem)
    if unknown := sorted(set(data.not_asked) - every_id):
        raise fault(path, _("not_asked: unknown indicator %(indicator)s.", indicator=unknown[0]))
    steps = tuple(
        Step(
            s.id,
            s.title.local(),
            s.hint.local(),
            tuple(
                Question(
                    q.id, q.text.local(), q.hint.local() if q.hint else None, tuple(q.indicators)
                )
                for q in s.questions
            ),
        )
        for s in data.steps
    )
    return Questionnaire(steps, dict(data.not_asked))


def parse_answer(question_id: str, value: str) -> Answer:
    """`value` as an answer to `question_id`; `Invalid` naming the field otherwise."""
    try:
        return Answer(value.strip().lower())
    except ValueError:
        raise Invalid(
            f"answers.{question_id}",
            _(
                "The answer to %(question)s must be yes, no or unknown, not %(value)s.",
                question=question_id,
                value=repr(value),
            ),
        ) from None


def indicator_answers(
    profile: Profile, answers: Mapping[str, Answer], form: Questionnaire | None = None
) -> dict[str, Answer]:
    """Per-indicator answers from per-question ones: yes on any question that feeds an indicator
    makes it present; else unknown on any makes it unknown; else no. Unasked indicators are left
    out (the engine counts them as absent)."""
    questions = (form or questionnaire()).questions(profile)
    result: dict[str, Answer] = {}
    for question_id, answer in answers.items():
        question = questions.get(question_id)
        if question is None:
            continue
        for indicator in question.indicators:
            result[indicator] = _stronger(result.get(indicator), answer)
    return result


_ORDER = (Answer.NO, Answer.UNKNOWN, Answer.YES)


def _stronger(current: Answer | None, new: Answer) -> Answer:
    if current is None:
        return new
    return max(current, new, key=_ORDER.index)
