"""Victim screening as a domain of the node: pages, API, CLI, menu entry, tables and data files."""

from __future__ import annotations

from jusoor.core.i18n import N_
from jusoor.core.registry import Domain, NavEntry

DOMAIN = Domain(
    name="screening",
    routers=("jusoor.screening.pages", "jusoor.screening.api"),
    cli={"screening": "jusoor.screening.cli:app"},
    nav=(NavEntry("/screening", N_("Screening"), "screening.conduct", order=40),),
    home={
        "/screening": N_(
            "Screen a person against the ILO indicators of trafficking, step by step, and see why."
        ),
    },
    models=("jusoor.screening.models",),
    data_files=(
        "jusoor.screening.catalogue",
        "jusoor.screening.rules",
        "jusoor.screening.questionnaire",
    ),
    templates="jusoor.screening",
)
