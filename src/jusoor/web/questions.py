"""The questions asked before an action that ends or removes something, written once.

A page module registers each question under a key (`question`, its English text marked with
`N_`); the form's template asks it in the script's dialog (`data-confirm="{{ confirm_question(key)
}}"`) and the route asks the same words on a page of its own when the script did not run
(`confirm.confirmation_page(request, question_key=key, …)`). One text, so the two cannot drift.
"""

from __future__ import annotations

from jusoor.core.i18n import gettext

_QUESTIONS: dict[str, str] = {}


def question(key: str, text: str) -> str:
    """Register `text` (English, marked `N_`) as the question asked before the action `key`;
    returns the key. A key holds one question only."""
    if _QUESTIONS.setdefault(key, text) != text:
        raise ValueError(f"two questions registered for {key!r}")
    return key


def confirm_question(key: str) -> str:
    """The question of `key` in the reader's language. An unregistered key is a programming
    error and raises `KeyError`."""
    return gettext(_QUESTIONS[key])
