"""Statistics as a domain of the node: the engine's subjects, dashboards, reports and releases."""

from __future__ import annotations

from jusoor.core.registry import Domain

DOMAIN = Domain(
    name="stats",
    routers=("jusoor.stats.release_api",),
    cli={"stats": "jusoor.stats.cli:app"},
    templates="jusoor.stats",
)
