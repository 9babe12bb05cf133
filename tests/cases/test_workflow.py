"""The NRM stage machine: every allowed move, every refused one, reflection period, children."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
import yaml

from jusoor.cases import service, workflow
from jusoor.cases.labels import stage_label
from jusoor.cases.models import Case, CaseEvent
from jusoor.cases.schemas import BestInterestsSet, GuardianSet
from jusoor.cases.vocabulary import Stage
from jusoor.core.datafiles import DataFileError
from jusoor.core.db import Database, utcnow
from jusoor.core.errors import Invalid
from tests.cases.support import actor, audit_actions, open_case

ALLOWED = {
    (Stage.identification, Stage.reasonable_grounds),
    (Stage.reasonable_grounds, Stage.recovery_reflection),
    (Stage.reasonable_grounds, Stage.assistance),
    (Stage.recovery_reflection, Stage.assistance),
    (Stage.assistance, Stage.return_reintegration),
    (Stage.assistance, Stage.residence_inclusion),
    (Stage.assistance, Stage.proceedings),
    (Stage.return_reintegration, Stage.proceedings),
    (Stage.residence_inclusion, Stage.proceedings),
} | {(s, Stage.closed) for s in Stage if s is not Stage.closed}
EVERY_PAIR = list(itertools.product(Stage, Stage))


def _case_in(stage: Stage) -> Case:
    return Case(stage=stage, country="MA", is_child=False)


@pytest.mark.parametrize(("source", "target"), sorted(ALLOWED))
def test_each_allowed_move_is_allowed(source: Stage, target: Stage) -> None:
    workflow.check_move(_case_in(source), target)


@pytest.mark.parametrize(("source", "target"), [p for p in EVERY_PAIR if p not in ALLOWED], ids=str)
def test_each_other_move_is_refused_naming_the_stages(source: Stage, target: Stage) -> None:
    with pytest.raises(Invalid) as refused:
        workflow.check_move(_case_in(source), target)
    assert refused.value.field == "stage"
    if source is not Stage.closed:
        assert stage_label(source) in refused.value.message
        assert stage_label(target) in refused.value.message


def test_a_move_is_recorded_with_who_when_and_why_and_audited(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        worker = actor(session, "caseworker.ma")
        case = open_case(session)
        event = service.move_stage(
            session, actor=worker, case_id=case.id, stage="reasonable_grounds", reason="ILO dims"
        )
        assert (event.actor_username, event.reason) == ("caseworker.ma", "ILO dims")
        assert event.details == {"from": "identification", "to": "reasonable_grounds"}
        assert case.stage is Stage.reasonable_grounds
        assert "case.transition" in audit_actions(session, case.id)


def test_an_unknown_stage_or_a_missing_reason_is_refused_and_nothing_changes(
    demo_db: Database,
) -> None:
    with demo_db.unit_of_work() as session:
        worker = actor(session, "caseworker.ma")
        case = open_case(session)
        with pytest.raises(Invalid) as unknown:
            service.move_stage(session, actor=worker, case_id=case.id, stage="heaven", reason="x")
        assert unknown.value.field == "stage" and "heaven" in unknown.value.message
        with pytest.raises(Invalid) as no_reason:
            service.move_stage(
                session, actor=worker, case_id=case.id, stage="reasonable_grounds", reason=" "
            )
        assert no_reason.value.field == "reason"
        assert case.stage is Stage.identification
        assert session.query(CaseEvent).filter_by(case_id=case.id, kind="stage_moved").count() == 0


def test_the_reflection_period_ends_after_the_configured_days(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        worker = actor(session, "caseworker.ma")
        case = open_case(session)
        for stage in ("reasonable_grounds", "recovery_reflection"):
            service.move_stage(session, actor=worker, case_id=case.id, stage=stage, reason="r")
        assert case.reflection_ends_on == utcnow().date() + dt.timedelta(days=30)


def _machine_yaml() -> dict[str, Any]:
    data = yaml.safe_load(workflow.MACHINE.data_file.path.read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def _parsed(data: dict[str, Any]) -> workflow.StageMachine:
    return workflow.parse_machine(yaml.safe_dump(data, sort_keys=False))


def test_a_country_may_set_its_own_reflection_period() -> None:
    data = _machine_yaml()
    data["reflection_days_by_country"] = {"ma": 90}
    machine = _parsed(data)
    assert machine.reflection_days("MA") == 90
    assert machine.reflection_days("TN") == 30


def _transition(data: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(t for t in data["transitions"] if t["name"] == name)
    return found


@pytest.mark.parametrize(
    ("edit", "named"),
    [
        (lambda d: d["states"].pop("residence_inclusion"), "transitions.4.to: unknown state"),
        (lambda d: _transition(d, "proceedings").update({"from": ["limbo"]}), "unknown state"),
        (lambda d: _transition(d, "assistance").update({"guards": ["coin_toss"]}), "guard"),
        (lambda d: _transition(d, "recovery_reflection").update({"deadline_days": 0}), "than 0"),
        (lambda d: _transition(d, "recovery_reflection").pop("deadline_days"), "reflection"),
        (lambda d: d["reflection_days_by_country"].update({"MA": 0}), "than 0"),
        (lambda d: _transition(d, "closed").update({"by": "anyone"}), "unknown side"),
    ],
)
def test_the_loader_refuses_a_broken_machine_in_one_line(edit: Any, named: str) -> None:
    data = _machine_yaml()
    edit(data)
    with pytest.raises(DataFileError) as broken:
        _parsed(data)
    assert broken.value.message.startswith("stages.yaml, line ")
    assert named in broken.value.message and "\n" not in broken.value.message


def test_a_closed_case_cannot_move(demo_sqlite: Database) -> None:
    with demo_sqlite.unit_of_work() as session:
        worker = actor(session, "caseworker.ma")
        case = open_case(session)
        service.move_stage(session, actor=worker, case_id=case.id, stage="closed", reason="dup")
        assert case.closed_at is not None
        with pytest.raises(Invalid, match="closed"):
            service.move_stage(
                session, actor=worker, case_id=case.id, stage="assistance", reason="x"
            )


def _to_assistance(session: Any, case: Case) -> None:
    worker = actor(session, "caseworker.ma")
    for stage in ("reasonable_grounds", "assistance"):
        service.move_stage(session, actor=worker, case_id=case.id, stage=stage, reason="r")


def test_a_child_cannot_be_returned_before_the_best_interests_determination(
    demo_db: Database,
) -> None:
    with demo_db.unit_of_work() as session:
        worker = actor(session, "caseworker.ma")
        child = open_case(session, age=14)
        assert child.is_child
        _to_assistance(session, child)
        with pytest.raises(Invalid, match="best-interests"):
            service.move_stage(
                session, actor=worker, case_id=child.id, stage="return_reintegration", reason="r"
            )
        service.set_guardian(
            session,
            actor=worker,
            case_id=child.id,
            guardian_in=GuardianSet(name="Khadija B.", relation="aunt"),
        )
        today = utcnow().date()
        with pytest.raises(Invalid) as early:
            service.record_best_interests(
                session,
                actor=worker,
                case_id=child.id,
                step_in=BestInterestsSet(step="determination", on=today),
            )
        assert early.value.field == "step"
        for step in ("assessment", "determination"):
            service.record_best_interests(
                session,
                actor=worker,
                case_id=child.id,
                step_in=BestInterestsSet(step=step, on=today),
            )
        service.move_stage(
            session, actor=worker, case_id=child.id, stage="return_reintegration", reason="r"
        )
        assert child.stage is Stage.return_reintegration
        assert child.best_interests_determined_by_id == worker.user_id


def test_an_adult_may_be_returned_without_child_steps(demo_sqlite: Database) -> None:
    with demo_sqlite.unit_of_work() as session:
        worker = actor(session, "caseworker.ma")
        adult = open_case(session, age=30)
        _to_assistance(session, adult)
        service.move_stage(
            session, actor=worker, case_id=adult.id, stage="return_reintegration", reason="r"
        )
        with pytest.raises(Invalid) as refused:
            service.set_guardian(
                session,
                actor=worker,
                case_id=adult.id,
                guardian_in=GuardianSet(name="X Y", relation="aunt"),
            )
        assert refused.value.field == "is_child"


def test_the_shipped_machine_loads_and_every_open_stage_can_close() -> None:
    machine = _parsed(_machine_yaml())
    assert machine.initial is Stage.identification
    for stage in Stage:
        assert (Stage.closed in machine.allowed(stage)) is (stage is not Stage.closed)
