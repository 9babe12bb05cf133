"""The victims' cases counted in UNODC's categories (sex, age, form of exploitation),
so that the engine counts each victim once per UNODC category: two Jusoor forms that fall in one
UNODC form, or two Jusoor genders that UNODC calls "Other", count a person once."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from jusoor.core.i18n import N_
from jusoor.stats import engine
from jusoor.stats.glotip.vocabulary import vocabulary
from jusoor.stats.tables import UNKNOWN

SUBJECT = "glotip_victims"
SEX = "glotip_sex"
AGE = "glotip_age"
FORM = "glotip_form"


def _code(value: Any) -> str:
    if value is None or value == "":
        return UNKNOWN
    return str(getattr(value, "value", value))


def _codes(value: Any) -> list[str]:
    """The codes of a JSON list as the engine groups it (its stored text)."""
    items = json.loads(value) if isinstance(value, str) else value
    return [str(item) for item in items or () if item not in (None, "")]


def _sex(value: Any) -> list[str]:
    v = vocabulary()
    return [v.sex.get(code, v.unknown) for code in [_code(value)]]


def _age(value: Any) -> list[str]:
    v = vocabulary()
    return [v.age.get(code, v.unknown) for code in [_code(value)]]


def _form(value: Any) -> list[str]:
    v = vocabulary()
    forms = {v.form[c] for c in _codes(value) if c in v.form}
    return sorted(forms) or [v.unknown]


def register() -> None:
    """Register the subject `glotip_victims`: the cases subject (same rows, scope and dates) with
    the UNODC dimensions added (idempotent). A subject of its own, so that the cases subject's
    dimensions stay as its module declares them."""
    if SUBJECT in engine.subjects():
        return
    cases = engine.subject("cases")
    assert isinstance(cases, engine.Subject)  # the cases subject is counted in SQL
    sex, age, form = (cases.dimensions[n] for n in ("sex", "age_group", "form"))
    dimensions = dict(cases.dimensions)
    dimensions[SEX] = engine.Dimension(SEX, N_("Sex"), sex.expression, _sex)
    dimensions[AGE] = engine.Dimension(AGE, N_("Child or adult"), age.expression, _age)
    dimensions[FORM] = engine.Dimension(
        FORM, N_("Form of exploitation"), form.expression, _form, multi=True
    )
    engine.register_subject(
        dataclasses.replace(
            cases, name=SUBJECT, label=N_("Victims in UNODC's categories"), dimensions=dimensions
        )
    )
