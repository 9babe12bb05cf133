"""Agencies and their users as a domain of the node: pages, API, CLI, menu entries and tables."""

from __future__ import annotations

from jusoor.agencies import audit_words
from jusoor.core.i18n import N_
from jusoor.core.registry import Domain, NavEntry


def register() -> None:
    audit_words.register()


DOMAIN = Domain(
    name="agencies",
    routers=("jusoor.agencies.pages", "jusoor.agencies.api"),
    cli={"users": "jusoor.agencies.cli:users_app", "agencies": "jusoor.agencies.cli:agencies_app"},
    nav=(
        NavEntry("/admin/users", N_("Users"), "users.read", order=20),
        NavEntry("/admin/agencies", N_("Agencies"), "agencies.read", order=30),
    ),
    home={
        "/admin/users": N_("Create accounts, assign roles, and reset passwords or second factors."),
        "/admin/agencies": N_(
            "The agencies that work on this node, with their names in three languages."
        ),
    },
    models=("jusoor.agencies.models",),
    templates="jusoor.agencies",
    register=register,
)
