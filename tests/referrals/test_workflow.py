"""The referral state machine: the data file, each allowed and refused move, deadlines, overdue."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import yaml
from sqlalchemy import select

from jusoor.audit.models import AuditEvent
from jusoor.core.datafiles import DataFileError
from jusoor.core.db import Database
from jusoor.core.errors import Conflict, Forbidden, Invalid
from jusoor.referrals import service as referrals
from jusoor.referrals import workflow
from jusoor.referrals.models import ServiceKind, Transition
from tests.referrals.support import actor, open_case, refer

# (path of moves before, who acts, action, expected state or the error raised)
CASES: list[tuple[tuple[str, ...], str, str, Any]] = [
    ((), "provider.ma", "accept", "accepted"),
    ((), "provider.ma", "decline", "declined"),
    ((), "caseworker.ma", "revoke", "revoked"),
    (("accept",), "provider.ma", "start", "in_progress"),
    (("accept",), "provider.ma", "complete", "completed"),
    (("accept", "start"), "provider.ma", "complete", "completed"),
    (("accept", "start"), "caseworker.ma", "revoke", "revoked"),
    ((), "provider.ma", "start", Conflict),
    ((), "provider.ma", "complete", Conflict),
    (("decline",), "provider.ma", "accept", Conflict),
    (("accept", "complete"), "caseworker.ma", "revoke", Conflict),
    (("revoke",), "provider.ma", "accept", Conflict),
    ((), "caseworker.ma", "accept", Forbidden),  # the referrer cannot answer for the provider
    ((), "provider.ma", "revoke", Forbidden),  # nor the provider withdraw the referrer's request
    ((), "provider.ma", "shred", Invalid),
]
ACTORS = {"accept": "provider.ma", "decline": "provider.ma", "start": "provider.ma"}
ACTORS |= {"complete": "provider.ma", "revoke": "caseworker.ma"}


def test_states_file_is_consistent() -> None:
    machine = workflow.machine()
    assert machine.initial == "requested"
    assert machine.access == {"requested", "accepted", "in_progress", "completed"}
    assert set(machine.deadline_days) == set(ServiceKind)


def test_states_file_with_an_unknown_state_is_refused_in_one_line() -> None:
    text = workflow.MACHINE.data_file.path.read_text("utf-8")
    assert "    to: accepted\n" in text
    with pytest.raises(DataFileError) as broken:
        workflow.parse_machine(text.replace("    to: accepted\n", "    to: teleported\n"))
    line = text.splitlines().index("    to: accepted") + 1
    assert broken.value.message == (
        f"states.yaml, line {line}: transitions.0.to: unknown state, found 'teleported'"
    )


@pytest.mark.parametrize(
    ("edit", "named"),
    [
        (lambda d: d["access"].append("archived"), "access.4: unknown state"),
        (lambda d: d["transitions"][4].update({"by": ["referrer", "provider"]}), "one side"),
        (lambda d: d["transitions"][1].pop("to"), "states.declined: unreachable"),
        (lambda d: d["deadline_days"].pop("shelter"), "every kind of service"),
        (lambda d: d["deadline_days"].update({"medical": 0}), "greater than 0"),
    ],
)
def test_a_broken_states_file_is_refused_in_one_line(edit: Any, named: str) -> None:
    data = yaml.safe_load(workflow.MACHINE.data_file.path.read_text("utf-8"))
    edit(data)
    with pytest.raises(DataFileError) as broken:
        workflow.parse_machine(yaml.safe_dump(data, sort_keys=False))
    assert broken.value.message.startswith("states.yaml, line ")
    assert named in broken.value.message


@pytest.mark.parametrize(("before", "who", "action", "expected"), CASES)
def test_each_move(
    demo_sqlite: Database, before: tuple[str, ...], who: str, action: str, expected: Any
) -> None:
    with demo_sqlite.unit_of_work() as session:
        referral_id = refer(session, open_case(session)).id
    for step in before:
        with demo_sqlite.unit_of_work() as session:
            referrals.move(
                session, actor=actor(session, ACTORS[step]), referral_id=referral_id,
                action=step, reason="Because.",
            )  # fmt: skip
    with demo_sqlite.unit_of_work() as session:
        previous = session.get(Transition, referral_id)
        assert previous is not None
        status_before = previous.status
    if isinstance(expected, str):
        with demo_sqlite.unit_of_work() as session:
            moved = referrals.move(
                session, actor=actor(session, who), referral_id=referral_id,
                action=action, reason="Because.",
            )  # fmt: skip
            assert moved.status == expected
            assert moved.moves[-1].to_status == expected
            audited = session.scalars(
                select(AuditEvent).where(AuditEvent.action == f"referral.{action}")
            ).all()
            assert [e.object_id for e in audited] == [str(referral_id)]
        return
    with pytest.raises(expected), demo_sqlite.unit_of_work() as session:
        referrals.move(
            session, actor=actor(session, who), referral_id=referral_id, action=action,
            reason="Because.",
        )  # fmt: skip
    with demo_sqlite.unit_of_work() as session:
        unchanged = session.get(Transition, referral_id)
        assert unchanged is not None and unchanged.status == status_before


@pytest.mark.parametrize("action", ["decline", "revoke"])
def test_refusals_need_a_reason(demo_db: Database, action: str) -> None:
    with demo_db.unit_of_work() as session:
        referral_id = refer(session, open_case(session)).id
    with pytest.raises(Invalid) as refused, demo_db.unit_of_work() as session:
        referrals.move(
            session, actor=actor(session, ACTORS[action]), referral_id=referral_id,
            action=action, reason="  ",
        )  # fmt: skip
    assert refused.value.field == "reason"


def test_default_deadline_follows_the_kind_and_overdue_lists_unanswered(
    demo_db: Database,
) -> None:
    with demo_db.unit_of_work() as session:
        referral = refer(session, open_case(session))
        days = workflow.machine().deadline_days[ServiceKind.shelter]
        delay = referral.deadline - referral.created_at
        assert dt.timedelta(days=days) - delay < dt.timedelta(seconds=5)
        referral_id = referral.id
    with demo_db.unit_of_work() as session:
        worker = actor(session, "caseworker.ma")
        overdue = referrals.ReferralFilter(overdue=True)
        assert referrals.list_referrals(session, actor=worker, flt=overdue) == []
        stored = session.get(Transition, referral_id)
        assert stored is not None
        stored.deadline = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    with demo_db.unit_of_work() as session:
        worker = actor(session, "caseworker.ma")
        late = referrals.list_referrals(session, actor=worker, flt=overdue)
        assert [r.id for r in late] == [referral_id]
        assert referrals.referral_read(late[0], actor=worker).overdue
        referrals.move(
            session, actor=actor(session, "provider.ma"), referral_id=referral_id, action="accept"
        )
    with demo_db.unit_of_work() as session:
        worker = actor(session, "caseworker.ma")
        assert referrals.list_referrals(session, actor=worker, flt=overdue) == []


def test_a_deadline_in_the_past_is_refused(demo_db: Database) -> None:
    from jusoor.agencies.service import agency_by_code
    from jusoor.referrals.schemas import ReferralCreate

    with demo_db.unit_of_work() as session:
        case_id = open_case(session)
    with pytest.raises(Invalid) as refused, demo_db.unit_of_work() as session:
        agency = agency_by_code(session, "ma-shelter")
        assert agency is not None
        referrals.refer(
            session,
            actor=actor(session, "caseworker.ma"),
            referral_in=ReferralCreate(
                case_id=case_id, agency_id=agency.id, kind=ServiceKind.shelter,
                shared_fields=["age_band"], deadline=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
            ),
        )  # fmt: skip
    assert refused.value.field == "deadline"
