"""Hearings: scheduled by the prosecution at trial or on appeal, their outcome recorded once;
`hearings_between` lists only the hearings of files the reader may reach, and is audited."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from jusoor.audit.models import AuditEvent
from jusoor.core.db import Database, utcnow
from jusoor.core.errors import Forbidden, Invalid
from jusoor.investigations import hearings
from jusoor.investigations.models import Hearing, InvestigationFile
from jusoor.investigations.vocabulary import HearingKind
from tests.conftest import DEMO_PASSWORD
from tests.investigations.court_support import COURT, at_prosecution, at_trial
from tests.investigations.support import actor, in_english
from tests.support.web import login, post_form, translated

TOMORROW = utcnow().replace(microsecond=0) + dt.timedelta(days=1)


def _schedule(
    s: object,
    file: InvestigationFile,
    kind: HearingKind,
    at: dt.datetime,
    username: str = "prosecutor.ma",
) -> Hearing:
    return hearings.schedule(
        s,  # type: ignore[arg-type]
        actor=actor(s, username),  # type: ignore[arg-type]
        file_id=file.id,
        hearing_in=hearings.HearingIn(kind=kind, scheduled_at=at),
    )


def test_hearings_are_scheduled_at_trial_and_their_outcome_recorded_once(
    demo_db: Database,
) -> None:
    with demo_db.unit_of_work() as s:
        file, _defendant, _charge = at_trial(s)
        past = _schedule(s, file, HearingKind.first_appearance, TOMORROW - dt.timedelta(days=8))
        upcoming = _schedule(s, file, HearingKind.victim_testimony, TOMORROW)
        assert upcoming.court == COURT  # the file's court by default
        prosecutor = actor(s, "prosecutor.ma")

        def outcome(hearing: Hearing, held: bool, text: str) -> Hearing:
            return hearings.record_outcome(
                s, actor=prosecutor, file_id=file.id, hearing_id=hearing.id,
                outcome_in=hearings.OutcomeIn(held=held, outcome=text),
            )  # fmt: skip

        with pytest.raises(Invalid) as not_yet:
            outcome(upcoming, True, "Heard.")
        assert not_yet.value.field == "held"
        with pytest.raises(Invalid) as why:
            outcome(upcoming, False, "")
        assert why.value.field == "outcome"
        outcome(upcoming, False, "The interpreter was absent.")
        outcome(past, True, "The defendant appeared with counsel.")
        assert (past.held, upcoming.held) == (True, False)
        with pytest.raises(Invalid) as twice:
            outcome(past, False, "Changed my mind.")
        assert twice.value.field == "hearing_id"


def test_hearings_are_refused_outside_trial_and_appeal_and_to_the_police(
    demo_db: Database,
) -> None:
    with demo_db.unit_of_work() as s:
        file, _defendant = at_prosecution(s)
        with pytest.raises(Invalid) as early:
            _schedule(s, file, HearingKind.evidence, TOMORROW)
        assert early.value.field == "stage"
        file, _defendant, _charge = at_trial(s)
        with pytest.raises(Forbidden):
            _schedule(s, file, HearingKind.evidence, TOMORROW, "investigator.ma")
        with pytest.raises(Invalid) as appeal_at_trial:
            _schedule(s, file, HearingKind.appeal, TOMORROW)
        assert appeal_at_trial.value.field == "kind"
        with pytest.raises(Invalid) as before_report:
            _schedule(s, file, HearingKind.evidence, TOMORROW - dt.timedelta(days=3650))
        assert before_report.value.field == "scheduled_at"
        assert s.scalar(select(func.count(Hearing.id))) == 0


def test_hearings_between_keeps_to_the_readers_files_and_is_audited(demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        file, _defendant, _charge = at_trial(s)
        _schedule(s, file, HearingKind.evidence, TOMORROW)
        _schedule(s, file, HearingKind.pleadings, TOMORROW + dt.timedelta(days=30))
        start, end = TOMORROW - dt.timedelta(days=1), TOMORROW + dt.timedelta(days=7)
        for username in ("prosecutor.ma", "investigator.ma"):
            found = hearings.hearings_between(s, actor=actor(s, username), start=start, end=end)
            assert [(h.reference, h.kind) for h in found] == [
                (file.reference, HearingKind.evidence)
            ]
        assert (
            hearings.hearings_between(s, actor=actor(s, "prosecutor.eg"), start=start, end=end)
            == []
        )
        with pytest.raises(Forbidden):
            hearings.hearings_between(s, actor=actor(s, "caseworker.ma"), start=start, end=end)
        audited = s.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.action == "investigations.hearings")
        )
        assert audited == 3


def test_the_hearing_forms_on_the_file_page(client: TestClient, demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        file, _defendant, _charge = at_trial(s)
        url = f"/investigations/{file.id}"
    in_english(demo_db, "investigator.ma", "prosecutor.ma", "prosecutor.eg")
    login(client, demo_db, "prosecutor.ma", DEMO_PASSWORD)
    missing = post_form(client, f"{url}/hearings", {"hearing-kind": "evidence"}, page=url)
    assert missing.status_code == 422
    assert 'id="hearing-scheduled_at-error"' in missing.text
    when = (dt.datetime.now() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    done = post_form(
        client, f"{url}/hearings", {"hearing-kind": "evidence", "hearing-scheduled_at": when},
        page=url,
    )  # fmt: skip
    assert done.status_code == 303
    page = client.get(url).text
    assert translated("Hearing of evidence", "en") in page
    assert translated("Upcoming", "en") in page
    with demo_db.unit_of_work() as s:
        hearing_id = s.scalars(select(Hearing.id)).one()
    refused = post_form(
        client, f"{url}/hearings/{hearing_id}/outcome",
        {f"outcome-{hearing_id}-held": "held"}, page=url,
    )  # fmt: skip
    assert refused.status_code == 422
    assert f'id="outcome-{hearing_id}-held-error"' in refused.text
    adjourned = post_form(
        client, f"{url}/hearings/{hearing_id}/outcome",
        {f"outcome-{hearing_id}-held": "adjourned",
         f"outcome-{hearing_id}-outcome": "The court did not sit."}, page=url,
    )  # fmt: skip
    assert adjourned.status_code == 303
    assert "The court did not sit." in client.get(url).text
