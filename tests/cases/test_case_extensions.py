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

CASE_TEMPLATES = Path(__file__).resolve().parents[2] / "src/jusoor/cases/templates/cases"


def test_events_of_other_domains_are_labelled_by_them() -> None:
    register_all()
    assert extensions.case_events() == {
        "referral": "Referral",
        "referral_abroad": "Transnational referral",
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


def test_the_case_page_includes_no_other_domains_template_by_name() -> None:
    page = (CASE_TEMPLATES / "case.html").read_text(encoding="utf-8")
    named = re.findall(r"{%\s*include\s+\"([^\"]+)\"", page)
    assert named and all(name.startswith("cases/") for name in named), named


def test_each_panel_brings_its_template_and_place() -> None:
    register_all()
    placed = [(p.template, p.place) for p in extensions.panel_templates()]
    assert placed == [
        ("referrals/_case_referrals.html", "after_consents"),
        ("entities/_case_matches_card.html", "after_profile"),
        ("exchange/_case_exchange.html", "after_consents"),
    ]
