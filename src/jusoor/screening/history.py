""" "My screenings": the caller's completed screenings, with what became of them.

Each row says the outcome, the date, the latest formal identification decision, and the case
reference when a case was opened: the reference only, which a screener who cannot read the case
may still quote to the case worker (the case opened page shows them the same).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jusoor.audit.service import record
from jusoor.cases.models import Case
from jusoor.core.permissions import Actor
from jusoor.screening.identification import latest_by_screening
from jusoor.screening.models import Screening, ScreeningStatus, TraffickingStatus
from jusoor.screening.service import CONDUCT

MAX_LIMIT = 100


@dataclass(frozen=True)
class CompletedRow:
    screening_id: uuid.UUID
    reference: str
    label: str | None
    profile: str
    outcome: str
    completed_at: dt.datetime
    decision: TraffickingStatus | None
    case_reference: str | None


@dataclass(frozen=True)
class CompletedPage:
    rows: list[CompletedRow]
    total: int
    limit: int
    offset: int


def my_completed(
    session: Session, *, actor: Actor, limit: int = 20, offset: int = 0
) -> CompletedPage:
    """One page of the screenings the caller completed, newest first (audited as a list)."""
    actor.require(CONDUCT)
    mine = (Screening.screener_id == actor.user_id) & (
        Screening.status == ScreeningStatus.completed
    )
    total = int(session.scalar(select(func.count(Screening.id)).where(mine)) or 0)
    limit = max(1, min(limit, MAX_LIMIT))
    found = session.scalars(
        select(Screening)
        .where(mine)
        .order_by(Screening.completed_at.desc(), Screening.id.desc())
        .offset(max(offset, 0))
        .limit(limit)
    ).all()
    decisions = latest_by_screening(session, [s.id for s in found])
    case_ids = [s.case_id for s in found if s.case_id is not None]
    references: dict[uuid.UUID, str] = {}
    if case_ids:
        found_cases = session.execute(select(Case.id, Case.reference).where(Case.id.in_(case_ids)))
        references = {case_id: reference for case_id, reference in found_cases}
    rows = [
        CompletedRow(
            screening_id=s.id,
            reference=s.reference,
            label=s.label,
            profile=s.profile,
            outcome=s.outcome or "",
            completed_at=s.completed_at or s.updated_at,
            decision=decisions.get(s.id),
            case_reference=references.get(s.case_id) if s.case_id else None,
        )
        for s in found
    ]
    record(
        session,
        actor=actor,
        action="screening.list",
        object_type="screening",
        details={"completed": [str(r.screening_id) for r in rows], "total": total},
    )
    return CompletedPage(rows=rows, total=total, limit=limit, offset=offset)
