"""Exchange forms read back into a message body: the fields of `requests.FIELDS[kind]` from a
posted form, and the values to show again when validation refuses them."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData

from jusoor.exchange.request.validation import FIELDS
from jusoor.exchange.vocabulary import MessageType


def form_body(
    kind: MessageType, form: FormData, *, skip: frozenset[str] = frozenset()
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the body for validation, the values to show again) from a form of `FIELDS[kind]`.

    Empty fields are left out, so that validation says what is missing in the instrument's words.
    """
    body: dict[str, Any] = {}
    shown: dict[str, Any] = {}
    for spec in FIELDS[kind]:
        if spec.name in skip:
            continue
        if spec.kind == "list" and spec.choices:
            chosen = [v for v in form.getlist(spec.name) if isinstance(v, str) and v]
            shown[spec.name] = chosen
            if chosen:
                body[spec.name] = chosen
            continue
        raw = form.get(spec.name)
        text = raw.strip() if isinstance(raw, str) else ""
        if spec.kind == "bool":
            shown[spec.name] = bool(text)
            if text:
                body[spec.name] = True
            continue
        shown[spec.name] = text
        if text:
            body[spec.name] = text
    return body, shown
