"""Helpers for the match-review tests: cases opened with a person, entities recorded by hand."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.audit.models import AuditEvent
from jusoor.entities.models import Entity
from jusoor.entities.schemas import EntityCreate
from jusoor.entities.service import create_entity
from tests.cases.support import actor, open_case

__all__ = ["actions", "actor", "details", "open_case", "person", "record_person"]

ARABIC = "محمد الأمين ولد أكيك"
LATIN = "OULD AKIK Mohamed Lamine"


def person(session: Session, username: str = "caseworker.ma", **profile: Any) -> Any:
    """A case opened by `username` with this profile (name, date_of_birth, contact…)."""
    return open_case(session, username, **profile)


def record_person(session: Session, username: str, **properties: list[str]) -> Entity:
    """A Person entity recorded by hand (an investigator's report)."""
    entity_in = EntityCreate.model_validate({"schema": "Person", "properties": properties})
    return create_entity(session, actor=actor(session, username), entity_in=entity_in)


def actions(session: Session, prefix: str) -> list[AuditEvent]:
    stmt = select(AuditEvent).where(AuditEvent.action.startswith(prefix)).order_by(AuditEvent.seq)
    return list(session.scalars(stmt))


def details(event: AuditEvent) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(event.details)
    return found
