"""Sign-in, sessions, tokens and the profile page as a domain of the node."""

from __future__ import annotations

from jusoor.core.i18n import N_
from jusoor.core.registry import Domain, NavEntry

DOMAIN = Domain(
    name="auth",
    routers=("jusoor.auth.pages", "jusoor.auth.api"),
    nav=(NavEntry("/profile", N_("Profile"), "profile.manage", order=160),),
    home={
        "/profile": N_("Your language, digits, time zone, password, second factor and API tokens."),
    },
    models=("jusoor.auth.models",),
    templates="jusoor.auth",
)
