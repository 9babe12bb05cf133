"""What exchange pages show for codes and fields: labels in the reader's language, and values as
people read them.

Templates reach these through one namespace, `xl` (`{{ xl.status(m.status) }}`), so that the
case page, which also holds the referrals panel's helpers, has no clash of names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from jusoor.cases.labels import value_label
from jusoor.core.i18n import gettext as _
from jusoor.exchange.request.labels import (
    CONTACT_KIND_LABELS,
    HANDLING_LABELS,
    INFORMATION_EVALUATION_LABELS,
    SOURCE_EVALUATION_LABELS,
    STATUS_LABELS,
    TYPE_LABELS,
    UNSENT_LABELS,
    URGENCY_LABELS,
    law_in_words,
)
from jusoor.exchange.request.validation import FieldSpec
from jusoor.referrals.labels import field_label
from jusoor.web.labels import country_name, role_label

# "UNTOC art. 18(15)(b)" → "b": the element of art. 18(15) a field answers to.
_ELEMENT = re.compile(r"18\(15\)\(([a-f])\)")
# How a node names a message's author (`outbox.author_of`): "liaison.eg (liaison_officer,analyst)".
_AUTHOR = re.compile(r"^(?P<who>.+?) \((?P<roles>[a-z_]+(?:,[a-z_]+)*)\)$")


def _label(table: Mapping[str, str], value: object) -> str:
    key = getattr(value, "value", value)
    return _(table[str(key)]) if key is not None and str(key) in table else str(key or "")


class Labels:
    """The label functions of exchange templates."""

    @staticmethod
    def type(value: object) -> str:
        return _label(TYPE_LABELS, value)

    @staticmethod
    def status(value: object) -> str:
        return _label(STATUS_LABELS, value)

    @staticmethod
    def thread_status(value: object, unsent: object = None) -> str:
        """A request's status as its thread page and lists show it: what was written here and
        not yet delivered, while it is so; else the status both nodes share."""
        if unsent is not None:
            return _label(UNSENT_LABELS, unsent)
        return _label(STATUS_LABELS, value)

    @staticmethod
    def types(values: list[str]) -> str:
        return ", ".join(_label(TYPE_LABELS, value) for value in values)

    @staticmethod
    def urgency(value: object) -> str:
        return _label(URGENCY_LABELS, value)

    @staticmethod
    def handling(value: object) -> str:
        return _label(HANDLING_LABELS, value)

    @staticmethod
    def source_evaluation(value: object) -> str:
        return _label(SOURCE_EVALUATION_LABELS, value)

    @staticmethod
    def information_evaluation(value: object) -> str:
        return _label(INFORMATION_EVALUATION_LABELS, value)

    @staticmethod
    def contact_kind(value: object) -> str:
        return _label(CONTACT_KIND_LABELS, value)

    @staticmethod
    def country(node_id: str | None) -> str:
        """The peer's country in the reader's language (`MA-RABAT` → Morocco)."""
        return country_name((node_id or "")[:2]) if node_id else ""

    @staticmethod
    def author(text: str | None) -> str:
        """A message's author with their roles in words: "liaison.eg (Liaison officer)"."""
        found = _AUTHOR.match(text or "")
        if not found:
            return text or ""
        roles = ", ".join(role_label(role) for role in found["roles"].split(","))
        return _("%(who)s (%(roles)s)", who=found["who"], roles=roles)

    @staticmethod
    def law(spec: FieldSpec) -> str:
        """What the rule the field answers to asks, in plain words ("" when not known)."""
        return law_in_words(spec.legal_basis)

    @staticmethod
    def element(spec: FieldSpec) -> str | None:
        """The letter of the UNTOC art. 18(15) element the field answers to, if any."""
        found = _ELEMENT.search(spec.legal_basis or "")
        return found.group(1) if found else None

    @staticmethod
    def shown(spec: FieldSpec, value: Any) -> str:
        """A field's value as people read it: choices by their label, lists one per line."""
        if value is None or value == "" or value == []:
            return ""
        if spec.kind == "bool":
            return _("yes") if value else _("no")
        names = dict(spec.choices or [])
        if isinstance(value, list):
            return "\n".join(_person(v) if isinstance(v, dict) else _named(names, v) for v in value)
        return _named(names, value)

    @staticmethod
    def shared_field(name: str) -> str:
        return field_label(name)

    @staticmethod
    def shared_value(name: str, value: Any) -> str:
        """A case field's value as the sender stored it, in the reader's words (countries and
        languages by name, codes by their label)."""
        return value_label(name, value)


def _named(names: Mapping[str, str], value: Any) -> str:
    return _(names[str(value)]) if str(value) in names else str(value)


def _person(person: Mapping[str, Any]) -> str:
    nationality = str(person.get("nationality") or "")
    parts = [
        str(person.get("name") or ""),
        str(person.get("location") or ""),
        country_name(nationality) if nationality else "",
    ]
    return " — ".join(p for p in parts if p)


LABELS = Labels()


def helpers() -> dict[str, object]:
    return {"xl": LABELS}
