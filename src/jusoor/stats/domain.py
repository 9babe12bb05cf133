"""Statistics as a domain of the node: the engine's subjects, dashboards, reports and releases."""

from __future__ import annotations

from jusoor.core.i18n import N_
from jusoor.core.registry import Domain, NavEntry

DOMAIN = Domain(
    name="stats",
    routers=("jusoor.stats.pages", "jusoor.stats.api"),
    cli={"stats": "jusoor.stats.cli:app"},
    nav=(NavEntry("/stats", N_("Statistics"), "stats.read", order=55),),
    home={
        "/stats": N_(
            "The situation in figures: victims by year, stage, sex and age, form of "
            "exploitation, citizenship and route, with tables and downloads."
        ),
    },
    templates="jusoor.stats",
)
