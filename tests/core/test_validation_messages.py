"""Validation messages: every Pydantic error type a form meets is a translated sentence naming
the field, never Pydantic's English, never an internal name such as `_form`."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from pydantic import BaseModel, Field, ValidationError, model_validator

from jusoor.core.i18n import LOCALES, use_locale
from jusoor.core.validation import message_of, problems
from jusoor.web.forms import field_errors
from tests.support.web import translated


class Everything(BaseModel):
    day: dt.date
    count: int = Field(ge=1, le=9)
    ratio: float
    flag: bool
    ident: uuid.UUID
    short: str = Field(max_length=3)
    words: list[str] = Field(min_length=1)


BAD = {
    "day": "31-31-2023",
    "count": "twelve",
    "ratio": "x",
    "flag": "perhaps",
    "ident": "nope",
    "short": "abcd",
    "words": [],
}


@pytest.mark.parametrize("locale", LOCALES)
def test_no_pydantic_english_reaches_a_reader(locale: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Everything.model_validate(BAD)
    with use_locale(locale):
        found = dict(problems(caught.value))
    assert set(found) == set(BAD)
    for field, message in found.items():
        assert field in message, message  # named (pages pass the label here)
        for english in ("Input should", "invalid character", "Value error", "unable to parse"):
            assert english not in message, message
    if locale != "en":
        assert found["count"] == translated(
            "The field %(field)s must be a whole number, such as 12.", locale, field="count"
        )


def test_a_bound_is_said_with_its_value() -> None:
    with pytest.raises(ValidationError) as caught:
        Everything.model_validate({**BAD, "count": 12})
    with use_locale("en"):
        assert dict(problems(caught.value))["count"] == "The field count must be at most 9."


class Period(BaseModel):
    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError("The end of the period must not be before its start.")
        return self


def test_a_problem_of_the_whole_form_is_said_without_a_field_name() -> None:
    with pytest.raises(ValidationError) as caught:
        Period(start=dt.date(2026, 2, 1), end=dt.date(2026, 1, 1))
    with use_locale("en"):
        errors = field_errors(caught.value, {"start": "Start", "end": "End"})
    assert errors == {"_form": "The end of the period must not be before its start."}
    assert message_of({"type": "value_error", "loc": (), "msg": "Value error, x"}) == "x"
