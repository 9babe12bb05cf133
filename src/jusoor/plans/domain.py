"""National action plans as a domain of the node: plans, their progress reports, the overdue
measures, the export for the annual national report."""

from __future__ import annotations

from jusoor.core.i18n import N_
from jusoor.core.registry import Domain, NavEntry

DOMAIN = Domain(
    name="plans",
    routers=("jusoor.plans.pages", "jusoor.plans.api"),
    cli={"plans": "jusoor.plans.cli:app"},
    nav=(NavEntry("/plans", N_("Action plan"), "plans.read", order=96),),
    home={
        "/plans": N_(
            "The national action plan: measures, who carries them out, overdue measures and "
            "progress against the targets."
        ),
    },
    models=("jusoor.plans.models",),
    templates="jusoor.plans",
)
