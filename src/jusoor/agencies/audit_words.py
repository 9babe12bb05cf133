"""How the audit trail names accounts and agencies (registered by `agencies.domain.register`):
a person by their name with the username an administrator looks for, an agency by its name in
the reader's language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.agencies.models import Agency, User
from jusoor.audit import sentences
from jusoor.core.i18n import current_locale


def user_names(session: Session, ids: Sequence[str]) -> Mapping[str, str]:
    """User id -> "Amina Benali (caseworker.ma)"."""
    rows = session.execute(
        select(User.id, User.display_name, User.username).where(
            User.id.in_(sentences.object_uuids(ids))
        )
    )
    return {str(key): f"{name} ({username})" for key, name, username in rows}


def agency_names(session: Session, ids: Sequence[str]) -> Mapping[str, str]:
    locale = current_locale()
    agencies = session.scalars(select(Agency).where(Agency.id.in_(sentences.object_uuids(ids))))
    return {str(agency.id): agency.name(locale) for agency in agencies}


def register() -> None:
    sentences.register_namer("user", user_names)
    sentences.register_namer("agency", agency_names)
