"""Pseudonymous case references `<CC>-<YYYY>-<NNNNNN>` (e.g. MA-2026-000123).

The sequence runs per country and year. It is taken with one atomic upsert on a counter row
(`INSERT … ON CONFLICT DO UPDATE … RETURNING`, on SQLite and PostgreSQL alike), so two
transactions opening cases at once never get the same number: the second waits on the row lock.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from jusoor.cases.models import Case, CaseReferenceCounter

REFERENCE_RE = re.compile(r"^[A-Z]{2}-\d{4}-\d{6}$")


def format_reference(country: str, year: int, number: int) -> str:
    return f"{country.upper()}-{year:04d}-{number:06d}"


def next_reference(session: Session, *, country: str, year: int) -> str:
    """Take the next number for (country, year) in the caller's transaction."""
    values = {"country": country.upper(), "year": year, "last_value": 1}
    bump = {"last_value": CaseReferenceCounter.last_value + 1}
    keys = ["country", "year"]
    stmt: postgresql.Insert | sqlite.Insert
    if session.get_bind().dialect.name == "postgresql":
        pg = postgresql.insert(CaseReferenceCounter).values(**values)
        stmt = pg.on_conflict_do_update(index_elements=keys, set_=bump)
    else:
        lite = sqlite.insert(CaseReferenceCounter).values(**values)
        stmt = lite.on_conflict_do_update(index_elements=keys, set_=bump)
    number = session.execute(stmt.returning(CaseReferenceCounter.last_value)).scalar_one()
    return format_reference(country, year, int(number))


def case_references(session: Session, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The pseudonymous references of these cases (MA-2026-000123), to name where entities
    come from. Only for cases of records the caller was shown (`entities.scope.visible` lets
    a record tied to a case through only to whom may read that case)."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    stmt = select(Case.id, Case.reference).where(Case.id.in_(wanted))
    return {case_id: reference for case_id, reference in session.execute(stmt)}
