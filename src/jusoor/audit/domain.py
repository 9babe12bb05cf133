"""The audit trail as a domain of the node: its pages, API, CLI, menu entry and table."""

from __future__ import annotations

from jusoor.core.i18n import N_
from jusoor.core.registry import Domain, NavEntry

DOMAIN = Domain(
    name="audit",
    routers=("jusoor.audit.pages", "jusoor.audit.api"),
    cli={"audit": "jusoor.audit.cli:app"},
    nav=(NavEntry("/audit", N_("Audit trail"), "audit.read", order=60),),
    home={
        "/audit": N_(
            "Read the tamper-evident record of who did what, and check that it is intact."
        ),
    },
    models=("jusoor.audit.models",),
    templates="jusoor.audit",
)
