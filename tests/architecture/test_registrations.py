"""The domains' registrations with the extension points below them (jusoor/domains.py) are all
made, by one explicit call, and a case is never saved without them."""

from __future__ import annotations

from typing import Any, cast

import pytest

from jusoor.cases import access, extensions
from jusoor.domains import register_all
from jusoor.entities.case_persons import index_case


def test_register_all_wires_every_extension_once() -> None:
    register_all()
    register_all()  # twice changes nothing: each registration is keyed by name
    assert [s.name for s in access.grant_sources()] == ["referrals"]
    assert list(extensions._PANELS) == [
        "screening",
        "referrals",
        "entities",
        "exchange",
        "investigations",
    ]
    assert list(extensions._SAVED_HOOKS) == ["entities"]
    assert extensions._SAVED_HOOKS["entities"] is index_case


def test_a_case_is_not_saved_before_the_domains_are_registered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A save that skipped the person index would be silent; it must fail instead."""
    monkeypatch.setattr(extensions, "_registered", False)
    case = cast(Any, object())
    with pytest.raises(RuntimeError, match="register_all"):
        extensions.case_saved(cast(Any, None), actor=cast(Any, None), case=case)
