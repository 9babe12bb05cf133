"""Opening, reading and editing cases: references, encryption, need-to-know, bad input."""

from __future__ import annotations

import datetime as dt
import re
import threading
from typing import Any

import pytest
from sqlalchemy import select, text

from jusoor.cases import service
from jusoor.cases.access import ALL_FIELDS
from jusoor.cases.models import Case, CaseEvent
from jusoor.cases.schemas import CaseCreate, CaseProfile, NoteCreate, TaskCreate
from jusoor.core.db import Database, utcnow
from jusoor.core.errors import Forbidden, Invalid, NotFound
from tests.cases.support import actor, audit_actions, open_case


def test_a_case_gets_a_pseudonymous_reference_per_country_and_year(demo_db: Database) -> None:
    year = utcnow().year
    with demo_db.unit_of_work() as session:
        first = open_case(session).reference
        second = open_case(session).reference
        tunisian = open_case(session, "caseworker.tn").reference
    assert first == f"MA-{year}-000001"
    assert second == f"MA-{year}-000002"
    assert tunisian == f"TN-{year}-000001"


def test_references_stay_unique_when_cases_are_opened_at_once(demo_db: Database) -> None:
    references: list[str] = []
    errors: list[BaseException] = []

    def open_some() -> None:
        try:
            for _ in range(5):
                with demo_db.unit_of_work() as session:
                    references.append(open_case(session).reference)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_some) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(references) == 20 == len(set(references))
    assert all(re.fullmatch(r"MA-\d{4}-\d{6}", r) for r in references)


def test_sensitive_fields_are_not_readable_in_raw_sql(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        case = open_case(
            session,
            name="Amina Q.",
            contact="+212600000000",
            date_of_birth="2001-02-03",
            age=None,
            health_notes="asthma",
            identity_documents="passport A1234567",
        )
        service.add_note(
            session,
            actor=actor(session, "caseworker.ma"),
            case_id=case.id,
            note_in=NoteCreate(body="Met her at the clinic"),
        )
        case_id = case.id
    with demo_db.engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT name, contact, date_of_birth, health_notes, identity_documents "
                "FROM cases WHERE id = :id"
            ),
            {"id": case_id.hex if demo_db.engine.dialect.name == "sqlite" else case_id},
        ).one()
        note = conn.execute(text("SELECT body FROM case_notes")).scalar_one()
    raw = " ".join([*row, note])
    for secret in ("Amina", "+212600000000", "2001-02-03", "asthma", "A1234567", "clinic"):
        assert secret not in raw
    with demo_db.unit_of_work() as session:
        loaded = session.get(Case, case_id)
        assert loaded is not None and loaded.name == "Amina Q."


def test_the_owning_agency_reads_the_whole_file_and_the_read_is_audited(
    demo_db: Database,
) -> None:
    with demo_db.unit_of_work() as session:
        case = open_case(session)
        found = service.get_case(session, actor=actor(session, "caseworker.ma"), case_id=case.id)
        assert found.fields == ALL_FIELDS
        assert audit_actions(session, case.id) == ["case.create", "case.read"]


@pytest.mark.parametrize(
    "username",
    ["caseworker.tn", "screener.ma", "coordinator.ma", "admin", "provider.ma", "investigator.ma"],
)
def test_others_cannot_see_the_case_at_all(demo_sqlite: Database, username: str) -> None:
    with demo_sqlite.unit_of_work() as session:
        case = open_case(session)
        other = actor(session, username)
        with pytest.raises(NotFound):
            service.get_case(session, actor=other, case_id=case.id)
        with pytest.raises(NotFound):
            service.add_note(session, actor=other, case_id=case.id, note_in=NoteCreate(body="x"))
        found = service.list_cases(session, actor=other, flt=service.CaseFilter())
        assert found.total == 0 and not found.cases


def test_a_screener_opens_a_case_for_a_case_worker_but_cannot_read_it(
    demo_sqlite: Database,
) -> None:
    with demo_sqlite.unit_of_work() as session:
        caseworker = actor(session, "caseworker.ma")
        from jusoor.agencies.models import Agency

        agency = session.get(Agency, caseworker.agency_id)
        assert agency is not None
        screener = actor(session, "screener.ma")
        case = service.open_case(
            session,
            actor=screener,
            case_in=CaseCreate(agency_code=agency.code, owner_username="caseworker.ma"),
            screening_id=None,
        )
        assert case.owner_id == caseworker.user_id
        with pytest.raises(NotFound):
            service.get_case(session, actor=screener, case_id=case.id)
        with pytest.raises(Invalid) as refused:
            service.open_case(session, actor=screener, case_in=CaseCreate())
        assert refused.value.field in {"agency_code", "owner_username"}


def test_the_list_filters_by_stage_and_overdue_tasks(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        worker = actor(session, "caseworker.ma")
        late = open_case(session)
        open_case(session)
        yesterday = utcnow().date() - dt.timedelta(days=1)
        service.add_task(
            session,
            actor=worker,
            case_id=late.id,
            task_in=TaskCreate(title="Call", due_on=yesterday),
        )
        service.move_stage(
            session, actor=worker, case_id=late.id, stage="reasonable_grounds", reason="indicators"
        )
        every = service.list_cases(session, actor=worker, flt=service.CaseFilter())
        assert every.total == 2
        overdue = service.list_cases(session, actor=worker, flt=service.CaseFilter(overdue=True))
        assert [c.id for c in overdue.cases] == [late.id]
        staged = service.list_cases(
            session, actor=worker, flt=service.CaseFilter(stage=service.Stage.identification)
        ).cases
        assert late.id not in {c.id for c in staged} and len(staged) == 1


def test_a_case_keeps_the_due_date_of_its_first_open_task(demo_db: Database) -> None:
    """The overdue filter reads `next_due_on`: adding and completing tasks keeps it right."""
    today = utcnow().date()
    with demo_db.unit_of_work() as session:
        worker = actor(session, "caseworker.ma")
        case = open_case(session)
        assert case.next_due_on is None

        def add(days: int | None) -> Any:
            due = None if days is None else today + dt.timedelta(days=days)
            task_in = TaskCreate(title="Follow up", due_on=due)
            return service.add_task(session, actor=worker, case_id=case.id, task_in=task_in)

        add(None)  # a task with no date is due at no date
        assert case.next_due_on is None
        later = add(5)
        assert case.next_due_on == today + dt.timedelta(days=5)
        first = add(-2)
        assert case.next_due_on == today - dt.timedelta(days=2)
        flt = service.CaseFilter(overdue=True)
        listed = service.list_cases(session, actor=worker, flt=flt).cases
        assert case.id in {c.id for c in listed}
        service.complete_task(session, actor=worker, case_id=case.id, task_id=first.id)
        assert case.next_due_on == today + dt.timedelta(days=5)
        listed = service.list_cases(session, actor=worker, flt=flt).cases
        assert case.id not in {c.id for c in listed}
        service.complete_task(session, actor=worker, case_id=case.id, task_id=later.id)
        assert case.next_due_on is None


@pytest.mark.parametrize(
    ("profile", "field"),
    [
        ({"age": 15, "is_child": False}, "age"),
        ({"age": 30, "is_child": True}, "age"),
        ({"age_band": "9-17", "is_child": False}, "age_band"),
        ({"age": 30, "age_band": "9-17"}, "age_band"),
    ],
)
def test_an_age_contradicting_the_profile_is_refused_and_nothing_saved(
    demo_db: Database, profile: dict[str, Any], field: str
) -> None:
    with pytest.raises(Invalid) as refused, demo_db.unit_of_work() as session:
        open_case(session, **{"age": None, **profile})
    assert refused.value.field == field
    with demo_db.unit_of_work() as session:
        assert session.scalars(select(Case)).first() is None


def test_an_unknown_country_code_names_the_field() -> None:
    from pydantic import ValidationError

    from jusoor.core.validation import problems

    with pytest.raises(ValidationError) as refused:
        CaseProfile(countries_of_exploitation=["MA", "XX"])
    assert problems(refused.value)[0][0] == "countries_of_exploitation"
    assert "XX" in problems(refused.value)[0][1]


def test_an_edit_is_merged_checked_and_put_on_the_timeline(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        worker = actor(session, "caseworker.ma")
        case = open_case(session, age=24)
        service.update_profile(
            session, actor=worker, case_id=case.id, profile_in=CaseProfile(age=16)
        )
        assert case.is_child and case.citizenship == ["NG"]
        with pytest.raises(Invalid) as refused:
            service.update_profile(
                session, actor=worker, case_id=case.id, profile_in=CaseProfile(is_child=False)
            )
        assert refused.value.field == "age"
        kinds = session.scalars(
            select(CaseEvent.kind).where(CaseEvent.case_id == case.id).order_by(CaseEvent.seq)
        ).all()
        assert kinds == ["opened", "profile_edited"]
        assert "case.update" in audit_actions(session, case.id)


def test_the_timeline_is_append_only(demo_sqlite: Database) -> None:
    with demo_sqlite.unit_of_work() as session:
        case = open_case(session)
        event = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)).one()
        event.kind = "forged"
        with pytest.raises(RuntimeError, match="append-only"):
            session.flush()
        session.rollback()


def test_a_granted_reader_cannot_write(demo_sqlite: Database) -> None:
    from jusoor.cases import access

    with demo_sqlite.unit_of_work() as session:
        case = open_case(session)
        provider = actor(session, "provider.ma")
        access.register_grant_source(
            access.GrantSource(
                name="test",
                fields=lambda _s, a, cid: (
                    frozenset({"gender", "languages"})
                    if a.username == "provider.ma" and cid == case.id
                    else None
                ),
                case_ids=lambda a: (
                    select(Case.id).where(Case.id == case.id)
                    if a.username == "provider.ma"
                    else None
                ),
            )
        )
        try:
            listed = service.list_cases(session, actor=provider, flt=service.CaseFilter())
            assert listed.total == 1 and listed.cases[0].id == case.id
            found = service.get_case(session, actor=provider, case_id=case.id)
            assert found.fields == {"gender", "languages", "reference", "stage"}
            with pytest.raises(Forbidden):
                service.add_note(
                    session, actor=provider, case_id=case.id, note_in=NoteCreate(body="x")
                )
        finally:
            access._SOURCES.pop("test")


def test_the_reference_format() -> None:
    from jusoor.cases.references import REFERENCE_RE, format_reference

    assert format_reference("ma", 2026, 123) == "MA-2026-000123"
    assert REFERENCE_RE.fullmatch(format_reference("TN", 2027, 999999))
