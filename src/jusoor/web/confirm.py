"""Asking before an action that ends or removes something, with or without the script.

With the script, the form's `data-confirm` question is asked in a dialog (static/js/forms.js);
the question is written once, in `questions.py`.
Without it, the form carries `ask=yes` (inside `<noscript>`: `_forms.html` `ask_first()`), and
the route answers with `confirmation_page` instead of acting: the question, and the same form
again without `ask`, to confirm or go back. A client that sends no `ask` (the script, the API's
own routes, a test) is not asked twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from fastapi import Request
from fastapi.responses import HTMLResponse

from jusoor.web.questions import confirm_question
from jusoor.web.templating import render

ASK = "ask"


def form_pairs(form: Iterable[tuple[str, object]]) -> list[tuple[str, str]]:
    """The text fields of a submitted form, names repeated as sent, without the CSRF token and
    `ask` (the confirmation page adds its own token)."""
    return [(k, v) for k, v in form if isinstance(v, str) and k not in ("csrf_token", ASK)]


def asks_first(ask: str | None) -> bool:
    """True when the form was sent by a browser that did not ask (no script)."""
    return (ask or "") == "yes"


def confirmation_page(
    request: Request,
    *,
    question_key: str,
    fields: Mapping[str, str] | Iterable[tuple[str, str]],
    back: str,
) -> HTMLResponse:
    """The question of `question_key` (`questions.question`) with the same form to send again
    (`fields` hidden: a mapping, or the pairs of a form whose names repeat), to the same address
    and query, and a way back."""
    pairs = list(fields.items()) if isinstance(fields, Mapping) else list(fields)
    query = request.url.query
    return render(
        request,
        "confirm.html",
        {
            "question": confirm_question(question_key),
            "action": request.url.path + (f"?{query}" if query else ""),
            "fields": pairs,
            "back": back if back.startswith("/") and not back.startswith("//") else "/",
        },
    )
