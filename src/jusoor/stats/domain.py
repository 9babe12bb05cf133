"""Statistics as a domain of the node: the engine's subjects, dashboards, reports and releases."""

from __future__ import annotations

from jusoor.core.i18n import N_
from jusoor.core.registry import Domain, NavEntry

DOMAIN = Domain(
    name="stats",
    # Fixed words under /stats (glotip, explore, report.pdf) before any page reading a parameter.
    routers=(
        "jusoor.stats.glotip_pages",
        "jusoor.stats.pages",
        "jusoor.stats.api",
        "jusoor.stats.statistics_api",
        "jusoor.stats.glotip_api",
        "jusoor.stats.release_api",
    ),
    cli={"stats": "jusoor.stats.cli:app"},
    nav=(
        NavEntry("/stats", N_("Statistics"), "stats.read", order=55),
        NavEntry("/stats/glotip", N_("UNODC figures"), "stats.read", order=97),
    ),
    home={
        "/stats": N_(
            "The situation in figures: victims by year, stage, sex and age, form of "
            "exploitation, citizenship and route, with tables and downloads."
        ),
        "/stats/glotip": N_(
            "UNODC's published figures for your country and its neighbours, beside the node's own."
        ),
    },
    models=("jusoor.stats.glotip.models",),
    data_files=("jusoor.stats.glotip.vocabulary", "jusoor.stats.definitions"),
    templates="jusoor.stats",
)
