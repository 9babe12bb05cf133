"""Audit events read as sentences: a person's name, what they did to what, details in words."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from jusoor.audit.chain import canonical_json
from jusoor.audit.models import AuditEvent
from jusoor.audit.readable_api import words
from jusoor.audit.sentences import (
    SENTENCES,
    object_uuids,
    register_detail_words,
    say,
)
from jusoor.core.db import utcnow
from jusoor.core.i18n import use_locale
from jusoor.domains import register_all
from tests.support.web import translated

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
    assert said.sentence == "Amina Haddad changed the language of their account"
    assert ("Fields", "Language") in said.details and ("Overdue", "no") in said.details
    assert not any("[" in value or "False" in value for _, value in said.details)


def test_an_action_without_a_sentence_is_named_in_words() -> None:
    said = say(_event("backup.restore", {}), who="ops")
    assert said.sentence == "ops: backup restore"


def test_every_action_in_the_code_has_a_sentence_of_its_own() -> None:
    """No action written in the code is said by its family's "recorded <code words>" sentence or
    the fallback: each has a sentence a person reads (issue 19: no code where a word belongs)."""
    actions = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        actions |= set(re.findall(r'\baction\s*=\s*"([a-z_]+\.[a-z_.]+)"', text))
    assert len(actions) > 130
    without = sorted(a for a in actions if a not in SENTENCES)
    assert without == []
    assert all("%(who)s" in text or "%(object)s" in text for text in SENTENCES.values())


def test_a_change_of_several_settings_is_one_sentence_naming_them_in_words() -> None:
    said = say(_event("profile.update", {"fields": ["locale", "timezone"]}), who="Amina Haddad")
    assert said.sentence == "Amina Haddad changed the settings of their account"
    assert ("Fields", "Language, Time zone") in said.details


def test_internal_ids_stay_in_the_details_as_recorded_only() -> None:
    case_id = str(uuid.uuid4())
    said = say(_event("referral.read", {"case_id": case_id, "box": "all"}), who="Amina Haddad")
    assert all(case_id not in value for _, value in said.details)
    assert case_id in said.raw


def test_the_sentence_does_not_repeat_the_kind_of_an_unnamed_object() -> None:
    object_id = str(uuid.uuid4())
    said = say(_event("case.note", {}, object_type="case", object_id=object_id), who="Amina Haddad")
    assert said.sentence == f"Amina Haddad added a note to case …{object_id[-8:]}"


def test_a_domain_says_the_codes_it_records_through_registered_words() -> None:
    register_detail_words("test.", "state", lambda code: f"<{code}>")
    said = say(_event("test.move", {"state": "open", "other": "x_y"}), who="Amina")
    assert ("State", "<open>") in said.details
    assert ("Other", "x_y") in said.details  # unregistered values are kept as recorded


def test_case_stages_and_purposes_are_said_by_their_labels_in_arabic() -> None:
    register_all()
    event = _event("case.transition", {"from": "identification", "to": "assistance"})
    with use_locale("ar"):
        said = say(event, who="أمينة")
    assert (translated("From", "ar"), translated("Identification", "ar")) in said.details
    assert (translated("To", "ar"), translated("Assistance and support", "ar")) in said.details


def test_countries_languages_and_dates_are_said_in_words_in_french() -> None:
    event = _event(
        "case.consent", {"language": "wo", "country": "MA", "on": "2026-07-12", "count": 3}
    )
    with use_locale("fr"):
        said = dict(say(event, who="Amina", words=words).details)
    assert said[translated("Language", "fr")] == "Wolof"
    assert said[translated("Country", "fr")] == "Maroc"
    assert said["Date"] == "12 juil. 2026"  # the same word in French
    assert said[translated("Count", "fr")] == "3"


def test_namers_are_given_only_the_ids_that_are_uuids() -> None:
    # A failed sign-in records the username typed as its object id; it names nothing.
    one = uuid.uuid4()
    assert object_uuids([str(one), "caseworker.ma", "", "MA-2026-000001"]) == [one]
