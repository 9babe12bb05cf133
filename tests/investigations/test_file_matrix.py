"""The criminal file's state machine, tested whole.

`file_matrix.json` freezes, for every stage and side, the moves offered, and for every (stage,
move asked, side, reason given or not) the move made or the exact refusal (field and message):
a change to `stages.yaml` or to the wording shows here as a diff to review. Reviewed by hand when
frozen: the police take only the investigation's moves and closing; charging, trial, judgment,
appeal and final belong to the prosecution; terminal stages refuse everything; no stage is skipped.

The guards need a real file: each is driven on both engines through the service, refusing with
its own message, then passing once its condition holds; the durations between stages are the
times between the moves.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from jusoor.core.db import Database
from jusoor.core.errors import DomainError, Invalid
from jusoor.core.i18n import use_locale
from jusoor.investigations import service as files
from jusoor.investigations.models import FileEvent, InvestigationFile
from jusoor.investigations.schemas import FileUpdate
from jusoor.investigations.vocabulary import Instance, Stage, Verdict
from jusoor.investigations.workflow import SIDES, machine
from tests.investigations.court_support import (
    COURT,
    add_defendant,
    at_prosecution,
    at_trial,
    bring,
    judge,
    move,
)
from tests.investigations.support import actor, open_file
from tests.support.web import translated

FROZEN = Path(__file__).with_name("file_matrix.json")


def compute() -> dict[str, Any]:
    m = machine()
    out: dict[str, Any] = {
        "initial": m.initial,
        "states": list(m.states),
        "terminal": sorted(m.terminal),
    }
    asked = [*Stage]  # every stage, including the ones no move leads to from here
    with use_locale("en"):
        for stage in Stage:
            for side in SIDES:
                out[f"offered {stage} {side}"] = [
                    [t.name, t.target, *sorted(t.by), t.reason, *t.guards]
                    for t in m.allowed(stage, side)
                ]
            for target in asked:
                for side in SIDES:
                    for reason in ("", "Because."):
                        try:
                            taken = m.take(stage, target, side=side, reason=reason)
                            outcome: Any = ["moves to", taken.target]
                        except DomainError as refused:
                            outcome = [type(refused).__name__, refused.field, refused.message]
                        out[f"{stage} -> {target} by {side} reason={bool(reason)}"] = outcome
    return out


def test_the_file_matrix_is_as_frozen() -> None:
    assert compute() == json.loads(FROZEN.read_text("utf-8"))


def test_every_transition_of_the_file_is_in_the_matrix() -> None:
    frozen = json.loads(FROZEN.read_text("utf-8"))
    for t in machine().transitions:
        for source in t.sources:
            for side in t.by:
                assert frozen[f"{source} -> {t.target} by {side} reason=True"] == [
                    "moves to",
                    t.target,
                ]


def _refused(session: Session, username: str, file: InvestigationFile, stage: Stage) -> str:
    with pytest.raises(Invalid) as refused:
        move(session, username, file, stage, "Because.")
    assert refused.value.field == "stage"
    return refused.value.message


def test_the_guards_refuse_with_their_message_then_let_the_file_through(
    demo_db: Database,
) -> None:
    with demo_db.unit_of_work() as s:
        file = open_file(s)
        move(s, "investigator.ma", file, Stage.preliminary_investigation)
        assert _refused(s, "investigator.ma", file, Stage.prosecution_decision) == translated(
            "Add at least one suspect before sending the file to the prosecution.", "en"
        )
        defendant = add_defendant(s, file)
        move(s, "investigator.ma", file, Stage.prosecution_decision)
        assert _refused(s, "prosecutor.ma", file, Stage.trial) == translated(
            "Record at least one charge before sending the file to trial.", "en"
        )
        charge = bring(s, file, defendant)
        assert _refused(s, "prosecutor.ma", file, Stage.trial) == translated(
            "Name the court before sending the file to trial.", "en"
        )
        files.update_file(
            s, actor=actor(s, "prosecutor.ma"), file_id=file.id, file_in=FileUpdate(court=COURT)
        )
        move(s, "prosecutor.ma", file, Stage.trial)
        assert _refused(s, "prosecutor.ma", file, Stage.first_instance_judgment) == translated(
            "%(count)s charge(s) have no first-instance judgment yet: record a judgment for "
            "every defendant and charge first.",
            "en",
            count=1,
        )
        judge(s, file, charge)
        move(s, "prosecutor.ma", file, Stage.first_instance_judgment)
        move(s, "prosecutor.ma", file, Stage.appeal, "The defendant appealed.")
        assert _refused(s, "prosecutor.ma", file, Stage.final) == translated(
            "Record the appeal court's judgment before marking the judgment final.", "en"
        )
        judge(s, file, charge, instance=Instance.appeal, verdict=Verdict.acquitted)
        move(s, "prosecutor.ma", file, Stage.final)
        assert file.stage is Stage.final


def test_the_police_are_refused_the_prosecutions_moves(demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        file, _defendant = at_prosecution(s)
        for stage in (Stage.trial, Stage.no_charge):
            assert _refused(s, "investigator.ma", file, stage) == translated(
                "Only the public prosecution can move a file to %(target)s.",
                "en",
                target=translated(machine().states[stage].label or "", "en"),
            )
        assert files.allowed_moves(actor(s, "investigator.ma"), file) == []


def test_no_charge_needs_a_reason_and_ends_the_file(demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        file, _defendant = at_prosecution(s)
        with pytest.raises(Invalid) as no_reason:
            move(s, "prosecutor.ma", file, Stage.no_charge)
        assert no_reason.value.field == "reason"
        move(s, "prosecutor.ma", file, Stage.no_charge, "Insufficient evidence.")
        assert (file.stage, file.closing_reason) == (Stage.no_charge, "Insufficient evidence.")
        for username in ("prosecutor.ma", "investigator.ma"):
            with pytest.raises(Invalid):  # a terminal stage refuses every move and every write
                move(s, username, file, Stage.trial, "Reopen.")


def test_durations_between_stages_are_the_times_between_moves(demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        file, _defendant, charge = at_trial(s)
        judge(s, file, charge)
        move(s, "prosecutor.ma", file, Stage.first_instance_judgment)
        move(s, "prosecutor.ma", file, Stage.final)
        # Spread the moves over time as they happen in a real file: 40, 30, 20, 10, 5 days ago.
        ago = {"report": 40, "preliminary_investigation": 30, "prosecution_decision": 20,
               "trial": 10, "first_instance_judgment": 5, "final": 2}  # fmt: skip
        now = dt.datetime.now(dt.UTC)
        for stage, days in ago.items():
            s.execute(
                update(FileEvent)
                .where(FileEvent.file_id == file.id, FileEvent.to_stage == stage)
                .values(at=now - dt.timedelta(days=days))
            )
        s.expire_all()
        spans = files.stage_spans(s, file)
        assert [(span.stage.value, span.days) for span in spans] == [
            ("report", 10), ("preliminary_investigation", 10), ("prosecution_decision", 10),
            ("trial", 5), ("first_instance_judgment", 3), ("final", 2),
        ]  # fmt: skip
        assert spans[-1].left is None
