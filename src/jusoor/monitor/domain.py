"""News monitoring as a domain of the node: pages, CLI, menu entry, tables and gazetteers."""

from __future__ import annotations

from jusoor.core.i18n import N_
from jusoor.core.registry import Domain, NavEntry

DOMAIN = Domain(
    name="monitor",
    routers=("jusoor.monitor.pages",),
    cli={"monitor": "jusoor.monitor.cli:app"},
    nav=(NavEntry("/monitor", N_("News monitoring"), "monitor.read", order=90),),
    home={
        "/monitor": N_("Regional events from the press: calendar, map, organisations and persons."),
    },
    models=("jusoor.monitor.models",),
    data_files=("jusoor.monitor.reading.gazetteer_files", "jusoor.monitor.views.map"),
    templates="jusoor.monitor",
    warm=(
        "jusoor.monitor.views.map:warm",
        "jusoor.monitor.views.titles:warm",
        "jusoor.monitor.reading.organizations:catalogue",
    ),
)
