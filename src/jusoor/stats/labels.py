"""The words shown for a table's dimensions and categories, in the reader's language."""

from __future__ import annotations

from collections.abc import Mapping

from jusoor.cases.labels import code_label, gender_label, stage_label
from jusoor.core.i18n import N_, localize_digits
from jusoor.core.i18n import gettext as _
from jusoor.stats import engine
from jusoor.stats.tables import UNKNOWN
from jusoor.web.labels import country_name

COUNTRY_DIMENSIONS = frozenset({"country", "citizenship", "origin", "transit", "exploitation"})
_AGE_GROUPS = {"child": N_("Children"), "adult": N_("Adults")}


def dimension_label(subject: str, name: str) -> str:
    if name in engine.PERIODS:
        return _(engine.PERIODS[name])
    found = engine.dimension_labels(engine.subject(subject)).get(name)
    return _(found) if found else name


def category_label(name: str, code: str, agencies: Mapping[str, str] | None = None) -> str:
    """The reader's word for `code`, a category of dimension `name` (a country's name, a stage,
    a form of exploitation...); periods keep their ISO form with the reader's digits."""
    if code == UNKNOWN:
        return _("Unknown")
    if name in engine.PERIODS:
        return localize_digits(code)
    if name in COUNTRY_DIMENSIONS:
        return country_name(code)
    if name == "agency":
        return (agencies or {}).get(code, code)
    if name == "stage":
        return stage_label(code)
    if name == "sex":
        return gender_label(code)
    if name == "form":
        return code_label("form", code)
    if name == "recruiter":
        return code_label("relation", code)
    if name == "age_group":
        return _(_AGE_GROUPS[code]) if code in _AGE_GROUPS else code
    if name == "age_band":
        return localize_digits(code)
    return code
