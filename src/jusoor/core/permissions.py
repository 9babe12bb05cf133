"""Access control in two parts (after Primero): what a role may *do* — the role × action matrix in
`permissions.yaml` — and which records it may *see* — the scope (own, agency, country, all).

Services receive an `Actor` and call `actor.require(action)` and `scope_clause(...)` themselves, so the
web, the API, the CLI and tests share one path. Deny by default.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from pydantic import model_validator
from sqlalchemy import ColumnElement, false, true

from jusoor.core.datafiles import StrictModel, declare
from jusoor.core.errors import Forbidden
from jusoor.core.i18n import gettext as _


class Scope(enum.IntEnum):
    """Record scopes, ordered from narrowest to widest."""

    own = 1
    agency = 2
    country = 3
    all = 4


class Action(enum.StrEnum):
    """Every action of `permissions.yaml`, for new code and the tests (`tests/core/test_actions.py`
    proves the two agree both ways, and that every action literal in `src` is one of these)."""

    node_status = "node.status"
    agencies_read = "agencies.read"
    agencies_manage = "agencies.manage"
    users_read = "users.read"
    users_manage = "users.manage"
    audit_read = "audit.read"
    profile_manage = "profile.manage"
    tokens_manage_own = "tokens.manage_own"
    services_read = "services.read"
    services_manage = "services.manage"
    referrals_read = "referrals.read"
    referrals_create = "referrals.create"
    referrals_respond = "referrals.respond"
    monitor_read = "monitor.read"
    monitor_ingest = "monitor.ingest"
    screening_conduct = "screening.conduct"
    screening_read = "screening.read"
    identification_decide = "identification.decide"
    cases_read = "cases.read"
    cases_create = "cases.create"
    cases_update = "cases.update"
    cases_move = "cases.move"
    cases_consent = "cases.consent"
    cases_consent_override = "cases.consent_override"
    cases_export = "cases.export"
    cases_import = "cases.import"
    exchange_read = "exchange.read"
    exchange_send = "exchange.send"
    exchange_refer = "exchange.refer"
    exchange_manage = "exchange.manage"
    exchange_directory_read = "exchange.directory.read"
    exchange_directory_manage = "exchange.directory.manage"
    entities_read = "entities.read"
    entities_manage = "entities.manage"
    entities_judge = "entities.judge"
    investigations_read = "investigations.read"
    investigations_open = "investigations.open"
    investigations_update = "investigations.update"
    investigations_prosecute = "investigations.prosecute"
    investigations_witness = "investigations.witness"
    investigations_figures = "investigations.figures"
    stats_read = "stats.read"
    stats_export = "stats.export"
    stats_release = "stats.release"
    stats_import = "stats.import"
    plans_read = "plans.read"
    plans_manage = "plans.manage"
    plans_report = "plans.report"


@dataclass(frozen=True)
class PermissionMatrix:
    roles: tuple[str, ...]
    actions: dict[str, dict[str, Scope]]

    def scope(self, roles: frozenset[str], action: str) -> Scope | None:
        """The widest scope any of `roles` has for `action`, or None when none may do it."""
        grants = self.actions.get(action, {})
        scopes = [grants[r] for r in roles if r in grants]
        return max(scopes) if scopes else None


class PermissionsFile(StrictModel):
    """`permissions.yaml`, the one list of roles (`ROLES` is read from it): each role listed once,
    and grants only to those roles, with a known scope."""

    roles: tuple[str, ...]
    actions: dict[str, dict[str, str] | None]

    @model_validator(mode="after")
    def _known_roles_and_scopes(self) -> PermissionsFile:
        if not self.roles or len(set(self.roles)) != len(self.roles):
            raise ValueError(f"permissions.yaml: roles must be listed once each: {self.roles}")
        for action, grants in self.actions.items():
            for role, scope in (grants or {}).items():
                if role not in self.roles:
                    raise ValueError(f"permissions.yaml: unknown role {role!r} in {action}")
                if scope not in Scope.__members__:
                    raise ValueError(f"permissions.yaml: unknown scope {scope!r} in {action}")
        return self

    def matrix(self) -> PermissionMatrix:
        return PermissionMatrix(
            roles=self.roles,
            actions={
                action: {role: Scope[scope] for role, scope in (grants or {}).items()}
                for action, grants in self.actions.items()
            },
        )


PERMISSIONS_FILE = declare("jusoor.core", "permissions.yaml", PermissionsFile)
# Every role, in the file's order (forms offer them in it). Read when the module is imported: a
# bad file stops the process at once, with the loader's one-line error.
ROLES: tuple[str, ...] = PERMISSIONS_FILE.load().roles


def parse_matrix(data: dict[str, Any]) -> PermissionMatrix:
    """Validate the YAML structure; unknown roles or scopes are configuration errors (ValueError)."""
    return PermissionsFile.model_validate(data).matrix()


@lru_cache(maxsize=1)
def matrix() -> PermissionMatrix:
    return PERMISSIONS_FILE.load().matrix()


@dataclass(frozen=True)
class Actor:
    """Who is acting, from where. Built once per request, CLI command or job."""

    user_id: uuid.UUID | None
    username: str
    agency_id: uuid.UUID | None
    country: str | None
    roles: frozenset[str] = field(default_factory=frozenset)
    via: str = "session"  # session | token | cli | system
    client_addr: str | None = None
    request_id: str | None = None

    def scope(self, action: str) -> Scope | None:
        """The actor's widest scope for `action`, None when denied.

        An action missing from `permissions.yaml` is a programming error, not a deny: it raises
        ValueError so a typo fails its test instead of silently denying everyone (OWASP ASVS 4.0.3
        V4.1.3, V4.1.5). `tests/core/test_actions.py` proves every action literal in src exists.
        """
        if action not in matrix().actions:
            raise ValueError(f"unknown permission action {action!r}: not in permissions.yaml")
        if self.via == "system":
            return Scope.all
        return matrix().scope(self.roles, action)

    def can(self, action: str) -> bool:
        return self.scope(action) is not None

    def require(self, action: str) -> Scope:
        """The actor's scope for `action`; raises Forbidden when the actor may not do it."""
        scope = self.scope(action)
        if scope is None:
            raise Forbidden(_("You are not allowed to do this."))
        return scope


def system_actor(label: str = "system", *, request_id: str | None = None) -> Actor:
    """The node itself (migrations, demo loading, CLI operators acting on the server)."""
    return Actor(
        user_id=None,
        username=label,
        agency_id=None,
        country=None,
        via="system",
        request_id=request_id,
    )


def scope_clause(
    actor: Actor,
    action: str,
    *,
    agency_col: Any,
    country_col: Any,
    owner_col: Any | None = None,
) -> ColumnElement[bool]:
    """A WHERE clause restricting a query to the records `actor` may reach for `action`."""
    scope = actor.scope(action)
    if scope is None:
        return false()
    if scope is Scope.all:
        return true()
    if scope is Scope.country:
        return country_col == actor.country if actor.country else false()
    if scope is Scope.agency:
        return agency_col == actor.agency_id if actor.agency_id else false()
    if owner_col is not None and actor.user_id is not None:
        return owner_col == actor.user_id  # type: ignore[no-any-return]
    return false()


def in_scope(
    actor: Actor, action: str, *, agency_id: Any, country: str | None, owner_id: Any = None
) -> bool:
    """The same rule as `scope_clause`, for a single loaded record."""
    scope = actor.scope(action)
    if scope is None:
        return False
    if scope is Scope.all:
        return True
    if scope is Scope.country:
        return actor.country is not None and country == actor.country
    if scope is Scope.agency:
        return actor.agency_id is not None and agency_id == actor.agency_id
    return owner_id is not None and owner_id == actor.user_id
