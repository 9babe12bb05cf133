"""Statistics as a domain of the node: the engine's subjects, dashboards, reports and releases."""

from __future__ import annotations

from jusoor.core.i18n import N_
from jusoor.core.registry import Domain, NavEntry

DOMAIN = Domain(
    name="stats",
    routers=("jusoor.stats.glotip_pages", "jusoor.stats.release_api"),
    cli={"stats": "jusoor.stats.cli:app"},
    nav=(NavEntry("/stats/glotip", N_("UNODC figures"), "stats.read", order=97),),
    models=("jusoor.stats.glotip.models",),
    data_files=("jusoor.stats.glotip.vocabulary",),
    templates="jusoor.stats",
)
