"""Networks of entities as a domain of the node: pages, API, CLI and menu entry."""

from __future__ import annotations

from jusoor.core.i18n import N_
from jusoor.core.registry import Domain, NavEntry

DOMAIN = Domain(
    name="graph",
    routers=("jusoor.graph.pages", "jusoor.graph.api"),
    cli={"graph": "jusoor.graph.cli:app"},
    nav=(NavEntry("/network", N_("Networks"), "entities.read", order=140),),
    home={
        "/network": N_(
            "See who is linked to whom: communities, central figures and shortest paths."
        ),
    },
    templates="jusoor.graph",
)
