"""`jusoor demo load --cases N`: a national database in one transaction, all or nothing.

The directory (agencies, demo users, services) must be there (`synth.demo.load`); this adds case
workers to match the caseload, then N cases with their screenings, consents, notes, tasks,
timelines, persons and referrals, standalone screenings, and the audit trail of the years they
cover, in batches, through COPY on PostgreSQL and Core `executemany` on SQLite (`tables`). Memory
stays bounded: a batch's rows are written and dropped; the audit trail draws from a fixed-size
sample of the cases. The whole load is one transaction: if anything fails, nothing of it stays.
"""

from __future__ import annotations

import random
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Table, select, text
from sqlalchemy.orm import Session

from jusoor.audit import service as audit
from jusoor.cases.models import CaseReferenceCounter
from jusoor.core.db import Base, Database, utcnow
from jusoor.core.permissions import Actor
from jusoor.synth.scale import activity
from jusoor.synth.scale.audit_trail import AuditChain
from jusoor.synth.scale.caseload import Batch, Caseload
from jusoor.synth.scale.referrals import ReferralRows
from jusoor.synth.scale.screenings import ScreeningRows
from jusoor.synth.scale.staff import ensure_case_workers, read_staff
from jusoor.synth.scale.tables import TableWriter, writer_for

# Parents before children (foreign keys are checked row by row, inside the one transaction).
ORDER = (
    "cases",
    "screenings",
    "identifications",
    "entities",
    "entity_keys",
    "entity_links",
    "case_consents",
    "case_notes",
    "case_tasks",
    "case_events",
    "transitions",
    "transition_moves",
    "service_deliveries",
)
STANDALONE_SCREENINGS = 0.5  # per case
Progress = Callable[[str, int, int], None]  # (phase, done, total)


@dataclass
class TableFigures:
    rows: int = 0
    seconds: float = 0.0  # writing only


@dataclass
class LoadReport:
    cases: int
    case_workers_created: int
    tables: dict[str, TableFigures] = field(default_factory=dict)
    generate_seconds: float = 0.0
    total_seconds: float = 0.0
    analyze_seconds: float = 0.0
    peak_rss_mb: float = 0.0


def _write(
    writer: TableWriter, table: Table, rows: list[dict[str, object]], report: LoadReport
) -> None:
    started = time.perf_counter()
    writer.write(table, rows)
    figures = report.tables.setdefault(table.name, TableFigures())
    figures.rows += len(rows)
    figures.seconds += time.perf_counter() - started


def _counters(session: Session) -> dict[tuple[str, int], int]:
    rows = session.execute(select(CaseReferenceCounter)).scalars()
    return {(c.country, c.year): c.last_value for c in rows}


def _save_counters(session: Session, counters: dict[tuple[str, int], int]) -> None:
    for (country, year), value in counters.items():
        session.merge(CaseReferenceCounter(country=country, year=year, last_value=value))
    session.flush()


def load(
    db: Database,
    *,
    actor: Actor,
    password: str,
    cases: int,
    seed: int = 2026,
    years: int = 5,
    audit_events: int | None = None,
    batch: int = 10_000,
    progress: Progress | None = None,
) -> LoadReport:
    """Load `cases` cases (and `audit_events` events, 3 per case by default) in one transaction."""
    started = time.perf_counter()
    tell = progress or (lambda _phase, _done, _total: None)
    events_wanted = 3 * cases if audit_events is None else audit_events
    now = utcnow().replace(microsecond=0)
    rng = random.Random(seed * 31 + 7)  # noqa: S311 - reproducible synthetic data
    tables = Base.metadata.tables
    with db.unit_of_work() as session:
        created = ensure_case_workers(session, actor=actor, cases=cases, password=password)
        report = LoadReport(cases=cases, case_workers_created=created)
        staff = read_staff(session)
        counters = _counters(session)
        screenings = ScreeningRows(staff, random.Random(seed + 2), now)  # noqa: S311
        referrals = ReferralRows(session, staff, random.Random(seed + 3))  # noqa: S311
        caseload = Caseload(
            staff=staff,
            now=now,
            seed=seed,
            counters=counters,
            referrals=referrals,
            screenings=screenings,
            years=years,
        )
        writer = writer_for(session.connection())
        reservoir = activity.Reservoir(random.Random(seed + 4))  # noqa: S311
        done = 0
        while done < cases:
            size = min(batch, cases - done)
            generating = time.perf_counter()
            rows = Batch()
            for _ in range(size):
                caseload.add(rows)
                if rng.random() < STANDALONE_SCREENINGS:
                    caseload.add_screening(rows)
            report.generate_seconds += time.perf_counter() - generating
            for name in ORDER:
                _write(writer, tables[name], rows.rows.get(name, []), report)
            for sample in rows.samples:
                reservoir.add(sample)
            done += size
            tell("cases", done, cases)
        _save_counters(session, counters)
        chain = AuditChain(session)
        pending: list[dict[str, object]] = []
        written = 0
        generating = time.perf_counter()
        for row in activity.events(chain, reservoir.items, events_wanted, rng, now):
            pending.append(row)
            if len(pending) == batch:
                report.generate_seconds += time.perf_counter() - generating
                _write(writer, tables["audit_events"], pending, report)
                written += len(pending)
                pending = []
                tell("audit_events", written, events_wanted)
                generating = time.perf_counter()
        report.generate_seconds += time.perf_counter() - generating
        _write(writer, tables["audit_events"], pending, report)
        tell("audit_events", events_wanted, events_wanted)
        chain.close(session)
        audit.record(
            session,
            actor=actor,
            action="demo.load_scale",
            details={"cases": cases, "audit_events": events_wanted, "seed": seed},
        )
    if db.engine.dialect.name == "postgresql":
        analyzing = time.perf_counter()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))
        report.analyze_seconds = time.perf_counter() - analyzing
    report.total_seconds = time.perf_counter() - started
    report.peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return report
