"""A page read on SQLite writes its audit event just before its commit (core.reading.write_late):
it does not hold the single writer's lock while it goes on reading and rendering, the event is on
the chain once the page's unit of work commits, and a unit that fails writes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from jusoor.audit.models import AuditEvent
from jusoor.audit.service import record
from jusoor.audit.verification import verify_chain
from jusoor.core.db import Database
from tests.support.sqlite_lock import writer_free


def _events(db: Database, action: str) -> int:
    with db.reading() as session:
        stmt = select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
        return int(session.scalar(stmt) or 0)


def test_a_page_read_on_sqlite_takes_the_lock_only_to_commit_its_event(db_url: str) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("PostgreSQL readers and writers do not share one lock")
    from jusoor.core import migrate

    db = Database(db_url)
    migrate.upgrade(db.engine)
    with db.reading() as session:
        session.execute(select(AuditEvent.seq).limit(1)).all()
        record(session, actor=None, action="case.read", username="caseworker.ma")
        assert writer_free(db)  # the event is kept for the commit: others may write now
        session.execute(select(AuditEvent.seq).limit(1)).all()  # the page goes on reading
        assert writer_free(db)
    assert _events(db, "case.read") == 1
    with db.reading() as session:
        chain = verify_chain(session)  # chained (no anchor file in this test: "unanchored")
        assert chain.events == 1 and chain.pending == 0 and chain.first_bad_seq is None, chain
    with pytest.raises(RuntimeError), db.reading() as session:
        record(session, actor=None, action="case.read", username="caseworker.ma")
        raise RuntimeError("the page failed")
    assert _events(db, "case.read") == 1  # rolled back with the page
    with db.unit_of_work() as session:  # an ordinary unit of work writes at once, as before
        record(session, actor=None, action="case.update", username="caseworker.ma")
        assert not writer_free(db)
    db.dispose()
