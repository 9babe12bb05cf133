"""Reading the case forms of the HTML pages into the validated shapes, and their field labels."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData

from jusoor.core.i18n import gettext as _

LIST_FIELDS = (
    "citizenship",
    "languages",
    "countries_of_origin",
    "countries_of_transit",
    "countries_of_exploitation",
)
CHECKED_FIELDS = ("forms_of_exploitation", "means_of_control")
TEXT_FIELDS = (
    "gender",
    "age",
    "age_band",
    "date_of_birth",
    "recruiter_relation",
    "name",
    "aliases",
    "contact",
    "identity_documents",
    "health_notes",
)


def labels() -> dict[str, str]:
    return {
        "gender": _("Gender"),
        "age": _("Age"),
        "age_band": _("Age band"),
        "date_of_birth": _("Date of birth"),
        "is_child": _("Child (under 18)"),
        "citizenship": _("Citizenship"),
        "languages": _("Languages"),
        "countries_of_origin": _("Countries of origin"),
        "countries_of_transit": _("Countries of transit"),
        "countries_of_exploitation": _("Countries of exploitation"),
        "forms_of_exploitation": _("Forms of exploitation"),
        "means_of_control": _("Means of control"),
        "recruiter_relation": _("Relation to the recruiter"),
        "name": _("Name"),
        "aliases": _("Other names"),
        "contact": _("Contact"),
        "identity_documents": _("Identity documents"),
        "health_notes": _("Health notes"),
        "agency_code": _("Agency"),
        "owner_username": _("Case worker"),
        "stage": _("New stage"),
        "reason": _("Reason"),
        "body": _("Note"),
        "title": _("Task"),
        "due_on": _("Due date"),
        "purpose": _("Purpose"),
        "language": _("Language of the consent"),
        "interpreter_name": _("Interpreter"),
        "witness_name": _("Witness"),
        "given_on": _("Date given"),
        "consent": _("Consent"),
        "relation": _("Relation to the child"),
        "step": _("Step"),
        "on": _("Date"),
    }


def split_codes(text: str) -> list[str]:
    """`"MA, ng eg"` → `["MA", "ng", "eg"]` (validation normalises case)."""
    return [part for part in text.replace(",", " ").split() if part]


def profile_values(
    form: FormData, *, clear_empty: bool = False
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The profile fields a form filled in (for validation) and the form as typed (to redisplay).
    With `clear_empty` (editing), an emptied field is sent as None, so that it is cleared."""
    typed: dict[str, Any] = {}
    values: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        raw = form.get(name)
        text = raw.strip() if isinstance(raw, str) else ""
        typed[name] = text
        if text:
            values[name] = text
        elif clear_empty and name != "gender":
            values[name] = None
    for name in LIST_FIELDS:
        raw = form.get(name)
        text = raw if isinstance(raw, str) else ""
        typed[name] = text
        values[name] = split_codes(text)
    for name in CHECKED_FIELDS:
        checked = [v for v in form.getlist(name) if isinstance(v, str)]
        typed[name] = checked
        values[name] = checked
    child = form.get("is_child")
    typed["is_child"] = child if isinstance(child, str) else ""
    if child in ("yes", "no"):
        values["is_child"] = child == "yes"
    return values, typed


def text_of(form: FormData, *names: str) -> dict[str, str]:
    values = {}
    for name in names:
        raw = form.get(name)
        values[name] = raw.strip() if isinstance(raw, str) else ""
    return values
