"""Audit events read as sentences: a person's name, what they did to what, details in words."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from jusoor.audit.chain import canonical_json
from jusoor.audit.models import AuditEvent
from jusoor.audit.sentences import FALLBACK, SENTENCES, say, sentence_for
from jusoor.core.db import utcnow

SRC = Path(__file__).resolve().parents[2] / "src" / "jusoor"


def _event(action: str, details: dict[str, object], **fields: object) -> AuditEvent:
    return AuditEvent(
        id=uuid.uuid4(),
        at=utcnow(),
        actor_username="amina",
        action=action,
        outcome="success",
        details=canonical_json(details),
        **fields,
    )


def test_a_case_read_names_the_person_and_the_case_by_its_reference() -> None:
    event = _event(
        "case.read",
        {"reference": "MA-2026-00012", "via": "page"},
        object_type="case",
        object_id=str(uuid.uuid4()),
    )
    said = say(event, who="Amina Haddad (Case worker, Rabat shelter)")
    assert said.sentence == "Amina Haddad (Case worker, Rabat shelter) read case MA-2026-00012"
    assert ("Reference", "MA-2026-00012") in said.details
    assert said.raw == event.details


def test_details_are_labelled_values_in_words_not_python() -> None:
    said = say(
        _event("profile.update", {"fields": ["locale"], "overdue": False}), who="Amina Haddad"
    )
    assert said.sentence == "Amina Haddad changed the settings of their account"
    assert ("Fields", "Locale") in said.details and ("Overdue", "no") in said.details
    assert not any("[" in value or "False" in value for _, value in said.details)


def test_an_action_without_a_sentence_is_named_in_words() -> None:
    said = say(_event("backup.restore", {}), who="ops")
    assert said.sentence == "ops: backup restore"


def test_every_action_in_the_code_gets_its_own_or_its_familys_sentence() -> None:
    actions = set()
    for path in SRC.rglob("*.py"):
        actions |= set(re.findall(r'action="([a-z_.]+)"', path.read_text(encoding="utf-8")))
    assert len(actions) > 100
    without = sorted(a for a in actions if sentence_for(a) == FALLBACK)
    # Families cover the rest; what is left falls back to the action in words.
    assert len(without) <= len(actions) // 4, without
    assert all("%(who)s" in text or "%(object)s" in text for text in SENTENCES.values())
