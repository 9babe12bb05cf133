"""What other domains add to a case through cases.extensions (registered by jusoor.domains):
their timeline events and their case-page panels. cases names none of them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, cast

import pytest

from jusoor.cases import extensions, labels
from jusoor.cases.timeline import record_event
from jusoor.domains import register_all

CASE_TEMPLATES = Path(__file__).resolve().parents[2] / "src/jusoor/cases/templates"


def test_events_of_other_domains_are_labelled_by_them() -> None:
    register_all()
    assert extensions.case_events() == {
        "identified": "Identified as a victim of trafficking",
        "not_identified": "Not identified as a victim of trafficking",
        "identified_possible": "Identified as a possible victim of trafficking",
        "referral": "Referral",
        "referral_abroad": "Transnational referral",
        "referral_from_abroad": "Referral from abroad accepted",
        "criminal_file_witness": "Victim-witness in a criminal file",
        "witness_protection": "Witness protection measure",
    }
    assert labels.code_label("event", "referral") == "Referral"
    assert labels.code_label("event", "referral_abroad") == "Transnational referral"
    assert labels.code_label("event", "opened") == "Case opened"  # cases' own, unchanged


def test_an_event_no_domain_registered_is_refused() -> None:
    register_all()
    nobody = cast(Any, None)
    with pytest.raises(ValueError, match="unknown case event 'investigation_opened'"):
        record_event(nobody, actor=nobody, case=nobody, kind="investigation_opened")


def test_two_domains_cannot_write_one_event_code() -> None:
    register_all()
    with pytest.raises(ValueError, match="referral"):
        extensions.register_case_events("investigations", {"referral": "Referral"})


INCLUDE = re.compile(r"{%-?\s*(?:include|import|from|extends)\s+[\"']([^\"']+)[\"']")
# Templates of the web layer, below cases, that any page may use.
SHARED = {"base.html", "_forms.html", "_pickers.html"}


def test_no_cases_template_names_another_domains_template() -> None:
    pages = sorted(CASE_TEMPLATES.rglob("*.html"))
    assert {p.name for p in pages} >= {"case.html", "profile.html"}
    for page in pages:
        named = INCLUDE.findall(page.read_text(encoding="utf-8"))
        foreign = [n for n in named if not n.startswith("cases/") and n not in SHARED]
        assert not foreign, (page.name, foreign)


def test_the_profile_form_draws_the_registered_fragments() -> None:
    register_all()
    assert extensions.profile_fragments() == ["entities/_case_matches_profile.html"]


def test_each_panel_brings_its_template_and_place() -> None:
    register_all()
    placed = [(p.template, p.place) for p in extensions.panel_templates()]
    assert placed == [
        ("screening/_case_screening.html", "after_profile"),
        ("referrals/_case_referrals.html", "after_consents"),
        ("entities/_case_matches_card.html", "after_profile"),
        ("exchange/_case_exchange.html", "after_consents"),
        ("investigations/_case_witness.html", "after_consents"),
    ]
