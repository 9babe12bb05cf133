"""Audit events as people read them, for the audit page (and any adapter that shows events).

An adapter-level module (the `_api` suffix puts it with audit's pages, API and CLI in the layer
contract, tests/architecture/test_layers.py): it may read the identity tables (people's display
names, roles, agencies), which the audit service below them may not, and pages may not query.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from jusoor.agencies.models import User
from jusoor.audit.models import AuditEvent
from jusoor.audit.sentences import Said, object_names, say
from jusoor.core.i18n import current_locale, format_date
from jusoor.core.permissions import ROLES
from jusoor.web.labels import (
    countries_label,
    is_country,
    kind_label,
    languages_label,
    role_label,
    roles_label,
    timezone_name,
)


def people(session: Session, events: Sequence[AuditEvent]) -> dict[uuid.UUID, str]:
    """ "Amina Haddad (Case worker, Rabat shelter)" for each actor of `events` (one query)."""
    ids = {event.actor_id for event in events if event.actor_id is not None}
    if not ids:
        return {}
    locale = current_locale()
    named: dict[uuid.UUID, str] = {}
    for user in session.scalars(
        select(User).where(User.id.in_(ids)).options(selectinload(User.role_rows))
    ):
        roles = sorted(row.role for row in user.role_rows)
        role = role_label(roles[0]) if roles else ""
        where = ("، " if locale == "ar" else ", ").join(
            part for part in (role, user.agency.name(locale)) if part
        )
        named[user.id] = f"{user.display_name} ({where})" if where else user.display_name
    return named


_COUNTRY_KEYS = frozenset({"country", "peer", "from", "to"})
_LANGUAGE_KEYS = frozenset({"language", "locale", "languages"})
_ROLE_KEYS = frozenset({"role", "roles"})


def words(action: str, key: str, value: Any) -> str | None:
    """Values the audit records in standard codes, said in the reader's words: countries and
    languages by name, roles by label, ISO dates with the month by name, time zones by place."""
    codes = value if isinstance(value, list) else [value]
    if not codes or not all(isinstance(code, str) and code for code in codes):
        return None
    if key in _COUNTRY_KEYS and all(is_country(code) for code in codes):
        return countries_label(codes)
    if key in _LANGUAGE_KEYS and all(code.isalpha() and len(code) <= 3 for code in codes):
        return languages_label(codes)
    if key in _ROLE_KEYS and all(code in ROLES for code in codes):
        return roles_label(codes)
    if key == "kind" and action.startswith("agency.") and isinstance(value, str):
        return kind_label(value)
    if key == "timezone":
        return ", ".join(timezone_name(code) for code in codes)
    try:
        days = [dt.date.fromisoformat(code) for code in codes if len(code) == 10]
    except ValueError:
        return None
    return ", ".join(format_date(day) for day in days) if len(days) == len(codes) else None


def readable(session: Session, events: Sequence[AuditEvent]) -> dict[int, Said]:
    names = object_names(session, events)
    who = people(session, events)
    return {
        event.seq: say(
            event,
            who=who.get(event.actor_id, event.actor_username)
            if event.actor_id
            else event.actor_username,
            names=names,
            words=words,
        )
        for event in events
    }
