"""Statistics as a domain of the node: the engine's subjects, dashboards, reports and releases."""

from __future__ import annotations

from jusoor.core.registry import Domain

DOMAIN = Domain(
    name="stats",
    cli={"stats": "jusoor.stats.cli:app"},
    templates="jusoor.stats",
    data_files=("jusoor.stats.definitions",),
)
