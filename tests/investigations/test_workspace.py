"""The investigator's and the prosecutor's workspace: their files by stage, the files waiting on
them, hearings this week and next, deadlines of legal instruments, recent activity; never another
country's files, hearings or instruments; a case worker refused; each section says when it is
empty; the identification queue shown only when screening provides it. Also the file page's
stage road and folded panels, and the list's days in stage."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.audit.models import AuditEvent
from jusoor.core.db import Database, utcnow
from jusoor.core.errors import Forbidden
from jusoor.core.permissions import Actor
from jusoor.investigations import identification, panels, progress, workspace
from jusoor.investigations import service as files
from jusoor.investigations.models import Hearing, Instrument, InvestigationFile
from jusoor.investigations.schemas import FileMove
from jusoor.investigations.vocabulary import HearingKind, InstrumentKind, InstrumentStatus, Stage
from jusoor.screening.models import Screening, TraffickingStatus
from tests.conftest import DEMO_PASSWORD
from tests.investigations.support import actor, open_file
from tests.screening.support import PRESUMED, decide, screened
from tests.screening.support import actor as support_actor
from tests.support.web import login, post_form, translated


@pytest.fixture(autouse=True)
def no_identification_source() -> Iterator[None]:
    """Each test starts without a queue source, and leaves the real one (screening's) behind."""
    identification.provide_identification(None)
    yield
    identification.provide_identification(identification.screening_queue)


def _at(file: InvestigationFile, stage: Stage, days_ago: int) -> None:
    """Put a file at `stage` since `days_ago` (test set-up; the moves themselves are tested apart)."""
    file.stage = stage
    file.stage_entered_at = utcnow() - dt.timedelta(days=days_ago)


def _hearing(s: Session, file: InvestigationFile, when: dt.datetime, court: str) -> Hearing:
    hearing = Hearing(
        file_id=file.id,
        kind=HearingKind.evidence,
        court=court,
        scheduled_at=when,
        recorded_by=file.opened_by,
    )
    s.add(hearing)
    return hearing


def _instrument(
    s: Session, file: InvestigationFile, expires_in: int, status: InstrumentStatus, ref: str
) -> Instrument:
    today = dt.date.today()
    instrument = Instrument(
        file_id=file.id,
        kind=InstrumentKind.search_warrant,
        authority="Tribunal de première instance",
        reference=ref,
        requested_on=today - dt.timedelta(days=40),
        issued_on=today - dt.timedelta(days=39),
        expires_on=today + dt.timedelta(days=expires_in),
        status=status,
        recorded_by=file.opened_by,
    )
    s.add(instrument)
    return instrument


def _enter(client: TestClient, db: Database, username: str, lang: str = "en") -> None:
    """Sign in and choose the language (a demo user may have another one saved)."""
    assert login(client, db, username, DEMO_PASSWORD).status_code == 303
    assert post_form(client, "/language", {"lang": lang}, page="/").status_code == 303


def _view(s: Session, who: Actor, **kw: Any) -> workspace.Workspace:
    return workspace.workspace(s, actor=who, **kw)


def test_my_files_by_stage_and_the_ones_waiting_on_the_investigator(demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        fresh = open_file(s, title="Fresh report")
        stale = open_file(s, title="Stale inquiry")
        _at(stale, Stage.preliminary_investigation, workspace.STALE_AFTER_DAYS + 5)
        done = open_file(s, title="Judged")
        _at(done, Stage.final, 2)
        foreign = open_file(s, "investigator.eg", title="Egyptian file")
        s.flush()
        work = _view(s, actor(s, "investigator.ma"))
        assert work.side == "investigator"
        by_stage = {g.stage: g for g in work.mine}
        assert [f.reference for f in by_stage[Stage.report].files] == [fresh.reference]
        assert by_stage[Stage.preliminary_investigation].total == 1
        assert by_stage[Stage.final].finished and by_stage[Stage.final].files == ()
        assert work.mine_total == 3
        # Only the file stuck past the limit waits on the investigator, with its days.
        assert [(w.file.reference, w.days) for w in work.waiting] == [
            (stale.reference, workspace.STALE_AFTER_DAYS + 5)
        ]
        shown = {f.reference for g in work.mine for f in g.files}
        assert foreign.reference not in shown
        egypt = _view(s, actor(s, "investigator.eg"))
        assert {f.reference for g in egypt.mine for f in g.files} == {foreign.reference}


def test_the_prosecutor_sees_files_awaiting_decision_oldest_first(demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        prosecutor = actor(s, "prosecutor.ma")
        newer, older, others = (open_file(s, title=t) for t in ("Newer", "Older", "Another's"))
        _at(newer, Stage.prosecution_decision, 3)
        _at(older, Stage.prosecution_decision, 20)
        _at(others, Stage.prosecution_decision, 40)
        others.prosecutor_id = actor(s, "investigator.ma").user_id  # someone else holds it
        still_police = open_file(s, title="Still with the police")
        abroad = open_file(s, "investigator.eg")
        _at(abroad, Stage.prosecution_decision, 50)
        s.flush()
        work = _view(s, prosecutor)
        assert work.side == "prosecutor"
        assert [(w.file.reference, w.days) for w in work.waiting] == [
            (older.reference, 20),
            (newer.reference, 3),
        ]
        assert work.waiting_total == 2
        assert still_police.reference not in {w.file.reference for w in work.waiting}


def test_hearings_this_week_and_next_are_scoped_to_the_readers_files(demo_db: Database) -> None:
    today = dt.date.today()
    weeks = workspace.weeks_of(today, today.weekday())  # the week starts today
    noon = dt.time(10, 0, tzinfo=dt.UTC)
    with demo_db.unit_of_work() as s:
        file = open_file(s)
        foreign = open_file(s, "investigator.eg")
        this_week = _hearing(s, file, dt.datetime.combine(today, noon), "Cour d'appel de Rabat")
        next_week = _hearing(
            s, file, dt.datetime.combine(weeks.next_start, noon), "Tribunal de Salé"
        )
        _hearing(s, file, dt.datetime.combine(weeks.after, noon), "Too far ahead")
        _hearing(s, foreign, dt.datetime.combine(today, noon), "Cairo Criminal Court")
        s.flush()
        for username in ("investigator.ma", "prosecutor.ma"):
            work = _view(s, actor(s, username), today=today, first_weekday=today.weekday())
            assert [h.hearing.id for h in work.hearings_this_week] == [this_week.id], username
            assert [h.hearing.id for h in work.hearings_next_week] == [next_week.id], username
        assert _view(s, actor(s, "investigator.ma"), today=today).hearings_this_week[0].mine
        egypt = _view(s, actor(s, "prosecutor.eg"), today=today, first_weekday=today.weekday())
        assert [h.hearing.court for h in egypt.hearings_this_week] == ["Cairo Criminal Court"]


def test_the_week_starts_on_the_countrys_first_day() -> None:
    saturday = dt.date(2026, 12, 5)
    assert workspace.weeks_of(saturday, 5).this_start == saturday  # Egypt: Saturday
    assert workspace.weeks_of(saturday, 0).this_start == dt.date(2026, 11, 30)  # Morocco: Monday
    assert workspace.weeks_of(saturday, 6).next_start == dt.date(2026, 12, 6)  # Sunday


def test_deadlines_expiring_soon_or_expired_but_not_marked(demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        file = open_file(s)
        foreign = open_file(s, "investigator.eg")
        soon = _instrument(s, file, 5, InstrumentStatus.issued, "W-SOON")
        late = _instrument(s, file, -3, InstrumentStatus.requested, "W-LATE")
        _instrument(s, file, -3, InstrumentStatus.expired, "W-MARKED")
        _instrument(s, file, 2, InstrumentStatus.executed, "W-EXECUTED")
        _instrument(s, file, workspace.DEADLINE_WINDOW_DAYS + 1, InstrumentStatus.issued, "W-FAR")
        _instrument(s, foreign, 1, InstrumentStatus.issued, "W-CAIRO")
        s.flush()
        work = _view(s, actor(s, "investigator.ma"))
        assert [(d.instrument.reference, d.days_left, d.overdue) for d in work.deadlines] == [
            (late.reference, -3, True),
            (soon.reference, 5, False),
        ]
        egypt = _view(s, actor(s, "investigator.eg"))
        assert [d.instrument.reference for d in egypt.deadlines] == ["W-CAIRO"]


def test_recent_activity_is_worded_and_the_view_audited(demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        file = open_file(s)
        who = actor(s, "investigator.ma")
        files.move(
            s,
            actor=who,
            file_id=file.id,
            move_in=FileMove(stage=Stage.preliminary_investigation),
        )
        work = _view(s, who)
        lines = [(a.file.reference, a.line.what, a.line.detail) for a in work.activity]
        assert lines[0] == (
            file.reference,
            "Stage changed",
            "Report received → Preliminary investigation",
        )
        assert (file.reference, "File opened", "") in lines
        event = s.scalars(
            select(AuditEvent).where(AuditEvent.action == "investigations.workspace")
        ).one()
        assert file.reference in json.loads(event.details)["files"]
        assert event.actor_username == "investigator.ma"


def test_a_case_worker_has_no_workspace(client: TestClient, demo_db: Database) -> None:
    with demo_db.unit_of_work() as s, pytest.raises(Forbidden):
        _view(s, actor(s, "caseworker.ma"))
    _enter(client, demo_db, "caseworker.ma")
    assert client.get("/investigations/workspace").status_code == 403
    assert 'href="/investigations/workspace"' not in client.get("/").text


def test_every_section_says_when_it_is_empty(client: TestClient, demo_db: Database) -> None:
    _enter(client, demo_db, "prosecutor.tn")
    home = client.get("/")
    assert 'href="/investigations/workspace"' in home.text  # menu entry and home card
    page = client.get("/investigations/workspace")
    assert page.status_code == 200
    text = page.text.replace("&#39;", "'")
    for message in (
        "No file is waiting for the prosecution's decision.",
        "No hearing is scheduled.",
        "No legal instrument expires soon.",
        "You hold no file yet.",
        "Nothing has happened on your files yet.",
        "Nobody is waiting for formal identification.",
    ):
        assert translated(message, "en") in text, message


def test_the_workspace_in_arabic_lists_the_files(client: TestClient, demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        reference = open_file(s).reference
    _enter(client, demo_db, "investigator.ma", "ar")
    page = client.get("/investigations/workspace")
    assert page.status_code == 200
    assert f'<bdi dir="ltr">{reference}</bdi>' in page.text
    assert '<html lang="ar" dir="rtl">' in page.text
    assert translated("Sign out", "ar") in page.text


def _queue(rows: int) -> identification.IdentificationSource:
    def source(session: Session, *, actor: Actor) -> identification.AwaitingIdentification | None:
        if not actor.can("investigations.read"):
            return None
        found = [
            identification.AwaitingRow(
                label=f"SCR-{n}",
                detail="Labour exploitation · presumed victim",
                waiting_days=12 + n,
                days_left=2 - n * 5,
                href=f"/screening/{n}/result",
            )
            for n in range(rows)
        ]
        return identification.AwaitingIdentification(
            found, rows, sum(r.days_left < 0 for r in found), "/identification"
        )

    return source


def test_the_identification_queue_shows_only_when_screening_provides_it(
    client: TestClient, demo_db: Database
) -> None:
    _enter(client, demo_db, "investigator.ma")
    identification.provide_identification(None)  # the app's start-up registered screening's
    title = translated("Awaiting formal identification", "en")
    assert title not in client.get("/investigations/workspace").text
    identification.provide_identification(_queue(2))
    page = client.get("/investigations/workspace").text
    assert title in page
    assert 'href="/screening/0/result"' in page and 'href="/screening/1/result"' in page
    assert "Days overdue: 3" in page and "Days left: 2" in page
    identification.provide_identification(_queue(0))
    assert (
        translated("Nobody is waiting for formal identification.", "en")
        in client.get("/investigations/workspace").text
    )


def test_the_stage_road_marks_done_current_skipped_and_ahead(demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        file = open_file(s)
        who = actor(s, "investigator.ma")
        files.move(
            s, actor=who, file_id=file.id, move_in=FileMove(stage=Stage.preliminary_investigation)
        )
        steps = progress.steps(file, files.stage_spans(s, file))
        states = [(step.stage, step.state) for step in steps]
        assert states[:3] == [
            (Stage.report, "done"),
            (Stage.preliminary_investigation, "current"),
            (Stage.prosecution_decision, "ahead"),
        ]
        assert len(steps) == len(progress.ROAD)
        assert steps[1].days == 0 and steps[2].days is None
        files.move(
            s,
            actor=who,
            file_id=file.id,
            move_in=FileMove(stage=Stage.closed, reason="Merged into another file."),
        )
        closed = progress.steps(file, files.stage_spans(s, file))
        assert [(step.stage, step.state) for step in closed] == [
            (Stage.report, "done"),
            (Stage.preliminary_investigation, "done"),
            (Stage.closed, "current"),
        ]
        # A judgment nobody appealed: the appeal step was not taken.
        file.stage = Stage.final
        spans = [
            files.StageSpan(stage, utcnow() - dt.timedelta(days=10 - i), None)
            for i, stage in enumerate(
                [Stage.report, Stage.trial, Stage.first_instance_judgment, Stage.final]
            )
        ]
        final = {step.stage: step.state for step in progress.steps(file, spans)}
        assert final[Stage.appeal] == "skipped" and final[Stage.final] == "current"


def _titled(session: Session, *, actor: Actor, file: InvestigationFile) -> dict[str, Any]:
    return {"title": "Suspects in this file", "count": 7}


def _hidden(session: Session, *, actor: Actor, file: InvestigationFile) -> dict[str, Any]:
    return {"visible": False, "title": "Never shown"}


def test_the_file_page_has_its_header_road_and_folded_panels(
    client: TestClient, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = "investigations/file.html"  # any template: the fold is what is tested
    monkeypatch.setitem(
        panels._PANELS, "test-titled", panels.Panel("test-titled", _titled, "_forms.html", 1)
    )
    monkeypatch.setitem(
        panels._PANELS, "test-hidden", panels.Panel("test-hidden", _hidden, template, 2)
    )
    with demo_db.unit_of_work() as s:
        file = open_file(s)
    _enter(client, demo_db, "investigator.ma")
    page = client.get(f"/investigations/{file.id}").text
    assert 'class="card stage-road"' in page and 'aria-current="step"' in page
    assert page.index('class="file-head"') < page.index("stage-road") < page.index('id="timeline"')
    # folded under its id, closed (not registered `opened`), its heading once, in the summary
    assert '<details class="card panel" id="test-titled">' in page
    assert page.count('id="test-titled-title"') == 1
    assert "Suspects in this file" in page and '<span class="badge">7</span>' in page
    assert "Never shown" not in page
    listing = client.get("/investigations").text
    assert "Days in this stage: 0" in listing


def test_the_list_and_workspace_link_each_other(client: TestClient, demo_db: Database) -> None:
    _enter(client, demo_db, "investigator.ma")
    assert 'href="/investigations/workspace"' in client.get("/investigations").text
    assert 'href="/investigations"' in client.get("/investigations/workspace").text


def test_the_menu_marks_only_the_closest_entry(client: TestClient, demo_db: Database) -> None:
    _enter(client, demo_db, "investigator.ma")
    here = 'aria-current="page"'
    work = client.get("/investigations/workspace").text
    assert f'href="/investigations/workspace" {here}' in work
    assert f'href="/investigations" {here}' not in work
    listing = client.get("/investigations").text
    assert f'href="/investigations" {here}' in listing
    assert f'href="/investigations/workspace" {here}' not in listing


def test_the_workspace_shows_screenings_queue_of_the_country(
    client: TestClient, demo_db: Database
) -> None:
    """Wired as the node runs it (investigations.domain.register): the investigator's workspace
    lists the country's presumed victims awaiting identification, oldest first, and no other
    country's; a screening identified leaves it."""
    identification.provide_identification(identification.screening_queue)
    with demo_db.unit_of_work() as s:
        ma = screened(s, support_actor(s, "screener.ma"), PRESUMED, days_ago=20)
        screened(s, support_actor(s, "screener.eg"), PRESUMED, days_ago=30)
        reference = ma.reference
    _enter(client, demo_db, "investigator.ma")
    page = client.get("/investigations/workspace").text
    assert f'href="/screening/{ma.id}/result"' in page
    assert page.count('href="/screening/') == 1
    assert reference in page
    with demo_db.unit_of_work() as s:
        decide(s, support_actor(s, "investigator.ma"), s.get(Screening, ma.id),
               TraffickingStatus.actual)  # fmt: skip
    assert f'href="/screening/{ma.id}/result"' not in client.get("/investigations/workspace").text
    with demo_db.unit_of_work() as s:
        assert identification.screening_queue(s, actor=support_actor(s, "caseworker.ma")) is None
