"""Victim screening as a domain of the node: pages, API, CLI, menu entries, tables and data
files, and what it adds to cases: the case page's screening panel and the identification events
of the case timeline."""

from __future__ import annotations

from jusoor.audit import sentences
from jusoor.cases import extensions
from jusoor.core.i18n import N_
from jusoor.core.registry import Domain, NavEntry
from jusoor.screening import case_events, case_panel, labels


def register() -> None:
    extensions.register_case_panel(
        "screening",
        case_panel.case_panel,
        template="screening/_case_screening.html",
        place="after_profile",
    )
    extensions.register_case_events("screening", case_events.LABELS)
    # How the audit trail says what a screening and an identification recorded.
    sentences.register_detail_words("screening.", "outcome", labels.outcome_label)
    sentences.register_detail_words("identification.", "status", labels.status_label)


DOMAIN = Domain(
    name="screening",
    routers=("jusoor.screening.pages", "jusoor.screening.api"),
    cli={"screening": "jusoor.screening.cli:app"},
    nav=(
        NavEntry("/screening", N_("Screening"), "screening.conduct", order=40),
        NavEntry("/identification", N_("Identification"), "identification.decide", order=42),
    ),
    home={
        "/screening": N_(
            "Screen a person against the ILO indicators of trafficking, step by step, and see why."
        ),
        "/identification": N_(
            "Presumed and possible victims waiting for your formal identification decision."
        ),
    },
    models=("jusoor.screening.models",),
    data_files=(
        "jusoor.screening.catalogue",
        "jusoor.screening.rules",
        "jusoor.screening.questionnaire",
        "jusoor.screening.deadlines",
    ),
    templates="jusoor.screening",
    register=register,
    # The ILO lists, the rules and the questionnaire a screening and its result read.
    warm=(
        "jusoor.screening.catalogue:ilo_catalogue",
        "jusoor.screening.rules:ilo_rules",
        "jusoor.screening.questionnaire:questionnaire",
    ),
)
