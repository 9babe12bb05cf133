"""Reading the case forms of the HTML pages into the validated shapes, and their field labels."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData

from jusoor.cases.fields import profile_fields, profile_names
from jusoor.core.i18n import gettext as _

# The profile form's inputs by how they are typed, from the field catalogue (`fields.yaml`).
LIST_FIELDS = profile_names("countries", "languages")  # several codes, chosen by name from a list
CHECKED_FIELDS = profile_names("codes")  # one checkbox per code
TEXT_FIELDS = profile_names("text", "code", "int", "date")  # one value
YES_NO_FIELDS = profile_names("bool")  # "yes", "no" or not said


def labels() -> dict[str, str]:
    """The case forms' field labels: the profile's from the catalogue, then the other forms'."""
    return {
        **{f.name: _(f.label) for f in profile_fields() if f.label},
        "agency_code": _("Agency"),
        "owner_username": _("Case worker"),
        "stage": _("New stage"),
        "reason": _("Reason"),
        "early_end_reason": _("Why the period ends early"),
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


def chosen_codes(form: FormData, name: str) -> list[str]:
    """The codes of a list field: the options chosen in its picker (one form value each), or
    codes typed in one box by a program posting the form ("MA NG")."""
    return [code for v in form.getlist(name) if isinstance(v, str) for code in split_codes(v)]


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
        codes = chosen_codes(form, name)
        typed[name] = codes
        values[name] = codes
    for name in CHECKED_FIELDS:
        checked = [v for v in form.getlist(name) if isinstance(v, str)]
        typed[name] = checked
        values[name] = checked
    for name in YES_NO_FIELDS:
        said = form.get(name)
        typed[name] = said if isinstance(said, str) else ""
        if said in ("yes", "no"):
            values[name] = said == "yes"
    return values, typed


def is_empty_profile(values: dict[str, Any]) -> bool:
    """Nothing filled in (the gender select's "unknown" is its starting value, not an answer)."""
    return not any(v for k, v in values.items() if not (k == "gender" and v == "unknown"))


def text_of(form: FormData, *names: str) -> dict[str, str]:
    values = {}
    for name in names:
        raw = form.get(name)
        values[name] = raw.strip() if isinstance(raw, str) else ""
    return values
