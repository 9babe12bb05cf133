"""Every domain of the node, in order, registered in one place (DESIGN.md "Layers").

Each package declares what it brings in its own `domain.py` (`core.registry.Domain`: routers, CLI
sub-apps, navigation, home cards, tables, data files, templates, extensions). This module lists them
and registers them: with the registry the app factory, the CLI, the metadata loader and the home
page read; with web's navigation and templates; and each domain's own extensions of the layers
below it (cases' grant sources, case panels, case events and on-saved hooks). A new domain adds its
`domain.py` and one line in DOMAINS, and edits no other domain's files.

`register_all()` is called by the app factory (`jusoor.app.create_app`), by the CLI's root
callback (`jusoor.cli.main`), by the migrations (`jusoor/migrations/env.py`) and by the test
fixtures; never by an import side effect.
"""

from __future__ import annotations

import importlib

from jusoor.agencies.domain import DOMAIN as AGENCIES
from jusoor.audit.domain import DOMAIN as AUDIT
from jusoor.auth.domain import DOMAIN as AUTH
from jusoor.cases import extensions
from jusoor.cases.domain import DOMAIN as CASES
from jusoor.core import registry
from jusoor.core.domain import DOMAIN as CORE
from jusoor.entities.domain import DOMAIN as ENTITIES
from jusoor.exchange.domain import DOMAIN as EXCHANGE
from jusoor.graph.domain import DOMAIN as GRAPH
from jusoor.investigations.domain import DOMAIN as INVESTIGATIONS
from jusoor.monitor.domain import DOMAIN as MONITOR
from jusoor.plans.domain import DOMAIN as PLANS
from jusoor.portal.domain import DOMAIN as PORTAL
from jusoor.referrals.domain import DOMAIN as REFERRALS
from jusoor.screening.domain import DOMAIN as SCREENING
from jusoor.stats.domain import DOMAIN as STATS
from jusoor.synth.domain import DOMAIN as SYNTH
from jusoor.web import templating
from jusoor.web.domain import DOMAIN as WEB

# In layer order (tests/architecture/test_layers.py). The order is the routers' mount order, the
# CLI's listing order and the order case panels are asked in; the menu has its own (NavEntry.order).
DOMAINS: tuple[registry.Domain, ...] = (
    CORE,
    AUDIT,
    AGENCIES,
    AUTH,
    WEB,
    CASES,
    SCREENING,
    REFERRALS,
    ENTITIES,
    MONITOR,
    EXCHANGE,
    GRAPH,
    INVESTIGATIONS,
    STATS,
    PLANS,
    SYNTH,
    PORTAL,
)


def register_all() -> None:
    """Register every domain and its extensions; calling it again changes nothing."""
    for domain in DOMAINS:
        registry.register_domain(domain)
    wire_registered()


def wire_registered() -> None:
    """Hand what the registered domains declare to the layers that use it (idempotent)."""
    # Each data-file module declares its files when imported (core.datafiles.declare), so that
    # `check_all` sees every file, not only those of the modules imported so far.
    for module in registry.data_file_modules():
        importlib.import_module(module)
    templating.set_navigation(registry.nav())
    templating.set_template_packages(registry.template_packages())
    for register in registry.registrations():
        register()
    extensions.mark_registered()
