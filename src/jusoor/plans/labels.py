"""Names shown to people for the codes of action plans, in the reader's language."""

from __future__ import annotations

from typing import Any

from jusoor.core.i18n import N_
from jusoor.core.i18n import gettext as _
from jusoor.plans.models import Plan

PLAN_STATUS = {"draft": N_("Draft"), "adopted": N_("Adopted"), "closed": N_("Closed")}
PILLAR = {
    "prevention": N_("Prevention"),
    "protection": N_("Protection"),
    "prosecution": N_("Prosecution"),
    "partnership": N_("Partnership"),
}
MEASURE_STATUS = {
    "planned": N_("Planned"),
    "in_progress": N_("In progress"),
    "done": N_("Done"),
    "delayed": N_("Delayed"),
    "cancelled": N_("Cancelled"),
}
DIRECTION = {"up": N_("Should rise"), "down": N_("Should fall")}
SOURCE = {"engine": N_("Computed from the records"), "manual": N_("Entered by hand")}


def _label(table: dict[str, str], code: object) -> str:
    key = str(getattr(code, "value", code))
    return _(table[key]) if key in table else key


def plan_status_label(code: object) -> str:
    return _label(PLAN_STATUS, code)


def pillar_label(code: object) -> str:
    return _label(PILLAR, code)


def measure_status_label(code: object) -> str:
    return _label(MEASURE_STATUS, code)


def direction_label(code: object) -> str:
    return _label(DIRECTION, code)


def source_label(code: object) -> str:
    return _label(SOURCE, code)


def plan_title(plan: Plan, locale: str) -> str:
    """The title in the reader's language, else the first one written."""
    own = {"ar": plan.title_ar, "fr": plan.title_fr}.get(locale, plan.title_en)
    return own or plan.title_en or plan.title_ar or plan.title_fr


def template_helpers() -> dict[str, Any]:
    return {
        "plan_status_label": plan_status_label,
        "pillar_label": pillar_label,
        "measure_status_label": measure_status_label,
        "direction_label": direction_label,
        "source_label": source_label,
        "plan_title": plan_title,
    }
