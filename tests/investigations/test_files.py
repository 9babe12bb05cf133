"""The criminal file itself: opening, numbering, need-to-know between agencies and countries,
listing, editing, stage moves and their refusals, audit of every read and write."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from jusoor.audit.models import AuditEvent
from jusoor.core.db import Database
from jusoor.core.errors import Forbidden, Invalid, NotFound
from jusoor.investigations import service as files
from jusoor.investigations.models import InvestigationFile
from jusoor.investigations.schemas import FileCreate, FileMove, FileUpdate
from jusoor.investigations.vocabulary import Origin, Stage
from tests.investigations.support import actor, open_file


def test_a_file_is_numbered_per_country_and_year_and_starts_at_the_report(
    demo_db: Database,
) -> None:
    with demo_db.unit_of_work() as s:
        first = open_file(s)
        second = open_file(s, "investigator.eg")
        third = open_file(s)
        year = first.year
        assert first.reference == f"INV-MA-{year}-00001"
        assert second.reference == f"INV-EG-{year}-00001"
        assert third.reference == f"INV-MA-{year}-00002"
        assert first.stage is Stage.report
        assert first.lead_id == actor(s, "investigator.ma").user_id
        assert files.events(s, first)[0].kind == "opened"
        audit = s.scalars(
            select(AuditEvent).where(AuditEvent.action == "investigations.create")
        ).all()
        assert len(audit) == 3


def test_only_investigators_and_prosecutors_open_files(demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        for username in ("caseworker.ma", "screener.ma", "coordinator.ma", "liaison.ma"):
            with pytest.raises(Forbidden):
                open_file(s, username)


def test_a_report_dated_in_the_future_is_refused() -> None:
    with pytest.raises(ValueError, match="reported_on"):
        FileCreate(
            title="Later",
            origin=Origin.proactive,
            reported_on=dt.date.today() + dt.timedelta(days=2),
        )


def test_need_to_know_between_agencies_and_countries(demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        file = open_file(s)
        # The prosecution of the country reads it; another country's police and prosecution,
        # and the case workers of the same country, do not (not even that it exists).
        assert files.get_file(s, actor=actor(s, "prosecutor.ma"), file_id=file.id) is file
        for username in ("investigator.eg", "prosecutor.eg"):
            with pytest.raises(NotFound):
                files.get_file(s, actor=actor(s, username), file_id=file.id)
            assert files.list_files(s, actor=actor(s, username)).total == 0
        with pytest.raises(Forbidden):
            files.get_file(s, actor=actor(s, "caseworker.ma"), file_id=file.id)
        reads = s.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "investigations.read", AuditEvent.object_id == str(file.id)
            )
        ).all()
        assert len(reads) == 1


def test_the_list_filters_by_stage_reference_and_mine(demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        first = open_file(s)
        open_file(s)
        investigator = actor(s, "investigator.ma")
        assert files.list_files(s, actor=investigator).total == 2
        found = files.list_files(s, actor=investigator, reference=first.reference.lower())
        assert [f.id for f in found.files] == [first.id]
        assert files.list_files(s, actor=investigator, stage=Stage.trial).total == 0
        assert files.list_files(s, actor=investigator, mine=True).total == 2
        prosecutor = actor(s, "prosecutor.ma")
        assert files.list_files(s, actor=prosecutor, mine=True).total == 0


def test_editing_names_the_prosecutor_of_the_country_only(demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        file = open_file(s)
        investigator = actor(s, "investigator.ma")
        files.update_file(
            s, actor=investigator, file_id=file.id,
            file_in=FileUpdate(court="Court of First Instance, Rabat",
                               prosecutor_username="prosecutor.ma"),
        )  # fmt: skip
        assert file.court == "Court of First Instance, Rabat"
        assert file.prosecutor_id == actor(s, "prosecutor.ma").user_id
        with pytest.raises(Invalid) as refused:
            files.update_file(
                s, actor=investigator, file_id=file.id,
                file_in=FileUpdate(prosecutor_username="prosecutor.eg"),
            )  # fmt: skip
        assert refused.value.field == "prosecutor_username"


def _move(
    s: object, username: str, file: InvestigationFile, stage: Stage, reason: str = ""
) -> None:
    files.move(
        s,  # type: ignore[arg-type]
        actor=actor(s, username),  # type: ignore[arg-type]
        file_id=file.id,
        move_in=FileMove(stage=stage, reason=reason),
    )


def test_stages_cannot_be_skipped_and_guards_explain_themselves(demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        file = open_file(s)
        with pytest.raises(Invalid) as skipped:
            _move(s, "investigator.ma", file, Stage.trial)
        assert skipped.value.field == "stage"
        _move(s, "investigator.ma", file, Stage.preliminary_investigation)
        with pytest.raises(Invalid, match="suspect"):
            _move(s, "investigator.ma", file, Stage.prosecution_decision)
        assert file.stage is Stage.preliminary_investigation


def test_closing_needs_a_reason_and_ends_the_file(demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        file = open_file(s)
        with pytest.raises(Invalid) as no_reason:
            _move(s, "investigator.ma", file, Stage.closed)
        assert no_reason.value.field == "reason"
        _move(s, "investigator.ma", file, Stage.closed, "Joined to another file.")
        assert file.stage is Stage.closed
        assert file.closing_reason == "Joined to another file."
        with pytest.raises(Invalid):
            files.update_file(
                s, actor=actor(s, "investigator.ma"), file_id=file.id,
                file_in=FileUpdate(title="Changed"),
            )  # fmt: skip
        spans = files.stage_spans(s, file)
        assert [span.stage for span in spans] == [Stage.report, Stage.closed]
