"""Statistics as a domain of the node: the engine's subjects, dashboards, reports and releases."""

from __future__ import annotations

from jusoor.core.registry import Domain

DOMAIN = Domain(
    name="stats",
    cli={"stats": "jusoor.stats.cli:app"},
    models=("jusoor.stats.glotip.models",),
    data_files=("jusoor.stats.glotip.vocabulary",),
    templates="jusoor.stats",
)
