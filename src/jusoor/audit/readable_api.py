"""Audit events as people read them, for the audit page (and any adapter that shows events).

An adapter-level module (the `_api` suffix puts it with audit's pages, API and CLI in the layer
contract, tests/architecture/test_layers.py): it may read the identity tables (people's display
names, roles, agencies), which the audit service below them may not, and pages may not query.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from jusoor.agencies.models import User
from jusoor.audit.models import AuditEvent
from jusoor.audit.sentences import Said, object_names, say
from jusoor.core.i18n import current_locale
from jusoor.web.labels import role_label


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
        where = ", ".join(part for part in (role, user.agency.name(locale)) if part)
        named[user.id] = f"{user.display_name} ({where})" if where else user.display_name
    return named


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
        )
        for event in events
    }
