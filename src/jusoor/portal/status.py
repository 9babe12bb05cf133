"""The state of this node, for its administrators: who uses it, and whether the audit trail holds."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jusoor import __version__
from jusoor.agencies.models import Agency, User
from jusoor.audit import service as audit
from jusoor.audit.findings import describe
from jusoor.auth import service as auth
from jusoor.core.config import get_settings
from jusoor.core.permissions import Actor


@dataclass(frozen=True)
class NodeStatus:
    node_id: str
    version: str
    engine: str
    users: int
    active_users: int
    agencies: int
    active_sessions: int
    audit: audit.TrailState  # what is new since the last checkpoint, and the last whole check
    audit_finding: str


def _count(session: Session, model: type[User] | type[Agency], *where: object) -> int:
    stmt = select(func.count()).select_from(model)
    for clause in where:
        stmt = stmt.where(clause)  # type: ignore[arg-type]
    return int(session.scalar(stmt) or 0)


def node_status(session: Session, *, actor: Actor) -> NodeStatus:
    """Counts and checks for the home page of an administrator.

    Verifies only the audit events since the last anchored checkpoint (the cost does not grow
    with the log) and names the last check of the whole chain (`jusoor audit verify`).
    """
    actor.require("node.status")
    trail = audit.trail_state(session)
    return NodeStatus(
        node_id=get_settings().node_id,
        version=__version__,
        engine=session.get_bind().dialect.name,
        users=_count(session, User),
        active_users=_count(session, User, User.active.is_(True)),
        agencies=_count(session, Agency),
        active_sessions=auth.count_active_sessions(session),
        audit=trail,
        audit_finding=describe(trail.recent),
    )
