"""Helpers for case tests: demo users as actors, and a case opened by a case worker."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.agencies.models import User
from jusoor.agencies.service import actor_for
from jusoor.audit.models import AuditEvent
from jusoor.cases import service
from jusoor.cases.models import Case
from jusoor.cases.schemas import CaseCreate
from jusoor.core.permissions import Actor


def actor(session: Session, username: str) -> Actor:
    user = session.scalars(select(User).where(User.username == username)).one()
    return actor_for(user, via="session")


def open_case(session: Session, username: str = "caseworker.ma", **profile: Any) -> Case:
    values: dict[str, Any] = {"gender": "feminine", "age": 24, "citizenship": ["NG"]}
    values.update(profile)
    return service.open_case(
        session, actor=actor(session, username), case_in=CaseCreate.model_validate(values)
    )


def audit_actions(session: Session, object_id: object) -> list[str]:
    stmt = select(AuditEvent.action).where(AuditEvent.object_id == str(object_id))
    return list(session.scalars(stmt.order_by(AuditEvent.seq)).all())
