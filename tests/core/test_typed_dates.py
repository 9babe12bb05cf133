"""Dates as people type them: the reader's short format or ISO, impossible dates named."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticCustomError

from jusoor.core.errors import Invalid
from jusoor.core.i18n import LOCALES, use_locale
from jusoor.core.typed_dates import ISO_ONLY, TypedDate, example, parse, shown
from jusoor.core.validation import date_of, problems


@pytest.mark.parametrize(
    ("locale", "text", "expected"),
    [
        ("fr", "31/03/2026", dt.date(2026, 3, 31)),
        ("ar", "31/03/2026", dt.date(2026, 3, 31)),
        ("ar", "٣١/٠٣/٢٠٢٦", dt.date(2026, 3, 31)),  # Arabic-Indic digits
        ("ar", "31\u200f/3\u200f/2026", dt.date(2026, 3, 31)),  # as Babel writes it, marks and all
        ("en", "3/31/2026", dt.date(2026, 3, 31)),
        ("en", "2026-03-31", dt.date(2026, 3, 31)),  # ISO in every locale
        ("fr", " 2026-03-01 ", dt.date(2026, 3, 1)),
        ("fr", "01/03/26", dt.date(2026, 3, 1)),
    ],
)
def test_a_date_is_read_in_the_readers_format_or_iso(
    locale: str, text: str, expected: dt.date
) -> None:
    assert parse(text, locale) == expected


@pytest.mark.parametrize(
    ("locale", "text"),
    [("fr", "31/02/2023"), ("ar", "٣١/٠٢/٢٠٢٣"), ("en", "2/31/2023"), ("en", "31/02/2023"),
     ("fr", "2023-02-31")],
)  # fmt: skip
def test_an_impossible_date_is_named_not_emptied(locale: str, text: str) -> None:
    with pytest.raises(PydanticCustomError) as caught:
        parse(text, locale)
    assert caught.value.type == "date_impossible"
    assert caught.value.context == {"day": 31, "month": 2, "year": 2023}


def test_the_message_says_which_day_does_not_exist_in_the_readers_language() -> None:
    class Deadline(BaseModel):
        deadline: TypedDate

    for locale, expected in (
        ("en", "Deadline: there is no 31 February 2023."),
        ("fr", "31 février 2023"),
        ("ar", "فبراير"),
    ):
        with use_locale(locale):
            with pytest.raises(ValidationError) as caught:
                Deadline(deadline="31/02/2023")
            problem = problems(caught.value)[0][1]
        assert expected in problem.replace("deadline", "Deadline")
        assert "Input should" not in problem and "invalid" not in problem


def test_text_that_is_no_date_gets_an_example_in_the_readers_format() -> None:
    with use_locale("fr"), pytest.raises(Invalid) as caught:
        date_of("demain", field="due_on", label="Échéance")
    assert caught.value.field == "due_on"
    assert "Échéance" in caught.value.message and "31/03/2026" in caught.value.message
    with use_locale("fr"):
        assert date_of("  ", field="due_on", label="Échéance") is None


@pytest.mark.parametrize("locale", LOCALES)
def test_the_example_is_itself_read_back(locale: str) -> None:
    with use_locale(locale):
        assert parse(example()) == dt.date(2026, 3, 31)


@given(day=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)))
def test_every_date_shown_in_a_date_box_reads_back_as_itself(day: dt.date) -> None:
    for locale in LOCALES:
        with use_locale(locale):
            assert parse(shown(day)) == day
            assert parse(shown(day.isoformat())) == day


def test_what_was_typed_is_shown_again_as_typed() -> None:
    with use_locale("fr"):
        assert shown("31/02/2023") == "31/02/2023"
        assert shown("2026-01-05") == "05/01/2026"
        assert shown(None) == ""


def test_a_file_read_in_bulk_takes_iso_dates_only() -> None:
    class Row(BaseModel):
        born: TypedDate

    assert Row.model_validate({"born": "2020-04-03"}, context=ISO_ONLY).born == dt.date(2020, 4, 3)
    with use_locale("en"), pytest.raises(ValidationError):
        Row.model_validate({"born": "03/04/2020"}, context=ISO_ONLY)  # April 3 or March 4?
    with use_locale("en"):
        assert Row.model_validate({"born": "03/04/2020"}).born == dt.date(2020, 3, 4)  # a form
