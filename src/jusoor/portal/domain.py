"""The portal: the home page, the language switcher and the node's status for administrators."""

from __future__ import annotations

from jusoor.core.i18n import N_
from jusoor.core.registry import Domain, NavEntry

DOMAIN = Domain(
    name="portal",
    routers=("jusoor.portal.home",),
    nav=(NavEntry("/", N_("Home"), None, order=10),),
    templates="jusoor.portal",
)
