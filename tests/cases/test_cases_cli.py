"""`jusoor cases list|show|open|move` as an operator runs them, on both engines."""

from __future__ import annotations

import json

from sqlalchemy import select
from typer.testing import CliRunner

from jusoor.agencies.models import User
from jusoor.audit.models import AuditEvent
from jusoor.cli.main import app
from jusoor.core.db import Database

runner = CliRunner()


def _agency_of(db: Database, username: str) -> str:
    with db.unit_of_work() as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        return user.agency.code


def test_open_move_show_and_list_a_case(demo_db: Database) -> None:
    agency = _agency_of(demo_db, "caseworker.tn")
    opened = runner.invoke(
        app,
        ["cases", "open", "--agency", agency, "--owner", "caseworker.tn", "--age", "19", "--json"],
    )
    assert opened.exit_code == 0, opened.output
    reference = json.loads(opened.stdout)["reference"]
    assert reference.startswith("TN-")
    moved = runner.invoke(
        app, ["cases", "move", reference, "reasonable_grounds", "--reason", "ILO", "--json"]
    )
    assert moved.exit_code == 0, moved.output
    assert json.loads(moved.stdout)["to"] == "reasonable_grounds"
    shown = runner.invoke(app, ["cases", "show", reference, "--json"])
    assert shown.exit_code == 0, shown.output
    view = json.loads(shown.stdout)
    assert view["stage"] == "reasonable_grounds" and view["age"] == 19
    assert [e["kind"] for e in view["timeline"]] == ["opened", "stage_moved"]
    listed = json.loads(runner.invoke(app, ["cases", "list", "--json"]).stdout)
    assert [c["reference"] for c in listed["cases"]] == [reference]
    with demo_db.unit_of_work() as session:
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.action.like("case.%"))
        ).all()
    assert {"case.create", "case.transition", "case.read", "case.list"} <= set(actions)


def test_refusals_are_one_line_errors_with_exit_1(demo_db: Database) -> None:
    agency = _agency_of(demo_db, "caseworker.ma")
    bad_age = runner.invoke(
        app,
        ["cases", "open", "--agency", agency, "--owner", "caseworker.ma", "--age", "9", "--adult"],
    )
    assert bad_age.exit_code == 1 and "age" in bad_age.output
    opened = runner.invoke(
        app, ["cases", "open", "--agency", agency, "--owner", "caseworker.ma", "--json"]
    )
    reference = json.loads(opened.stdout)["reference"]
    jump = runner.invoke(app, ["cases", "move", reference, "proceedings", "--reason", "x"])
    assert jump.exit_code == 1 and "stage" in jump.output
    unknown = runner.invoke(app, ["cases", "list", "--stage", "limbo"])
    assert unknown.exit_code == 1 and "limbo" in unknown.output
    missing = runner.invoke(app, ["cases", "show", "MA-1999-000001"])
    assert missing.exit_code == 1
