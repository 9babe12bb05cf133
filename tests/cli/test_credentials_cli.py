"""`jusoor users token` asks a second factor of the roles that need one (or an audited exception);
`jusoor users unlock` lifts the sign-in slowdown; `reset-password` says what it ended."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from jusoor.agencies.models import User
from jusoor.audit.models import AuditEvent
from jusoor.auth import service as auth
from jusoor.auth.models import ApiToken
from jusoor.cli.main import app
from jusoor.core.config import get_settings
from jusoor.core.db import Database
from jusoor.core.security import secrets, totp
from tests.conftest import DEMO_PASSWORD

runner = CliRunner()
OFFICE = "203.0.113.7"


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def demo_node(db_url: str) -> Database:
    code, _, err = run("init", "--demo")
    assert code == 0, err
    return Database(get_settings().effective_database_url)


def _tokens(db: Database) -> list[ApiToken]:
    with db.unit_of_work() as session:
        return list(session.scalars(select(ApiToken)))


def _last(db: Database, action: str) -> AuditEvent:
    with db.unit_of_work() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq.desc())
        ).first()
        assert event is not None
        return event


def _secret(db: Database, username: str) -> str:
    with db.unit_of_work() as session:
        secret = session.scalars(select(User.totp_secret).where(User.username == username)).one()
        assert secret
        return secret


def test_a_token_for_a_second_factor_role_is_refused_without_one(demo_node: Database) -> None:
    for username in ("admin", "liaison.ma"):  # JUSOOR_MFA_REQUIRED_ROLES by default
        code, out, err = run("users", "token", username)
        assert code == 1 and not out
        assert "--code" in err and "--without-second-factor" in err
    assert _tokens(demo_node) == []
    event = _last(demo_node, "token.issue")
    assert (event.outcome, json.loads(event.details)) == (
        "failure",
        {"reason": "second_factor_required"},
    )


def test_a_wrong_code_is_refused_and_audited(demo_node: Database) -> None:
    code, _, err = run("users", "token", "admin", "--code", "000000")
    assert code == 1 and "not valid" in err
    assert _tokens(demo_node) == []
    assert json.loads(_last(demo_node, "token.issue").details) == {"reason": "bad_code"}


def test_a_current_code_issues_a_token_once(demo_node: Database) -> None:
    current = totp.current_code(_secret(demo_node, "admin"))
    code, out, err = run("users", "token", "admin", "--code", current)
    assert code == 0, err
    token = out.strip()
    (row,) = _tokens(demo_node)
    assert row.token_digest == secrets.digest(token) and row.issued_with == "code"
    assert json.loads(_last(demo_node, "token.issue").details)["second_factor"] == "code"
    again, _, err = run("users", "token", "admin", "--code", current)  # a code works once
    assert again == 1 and "not valid" in err


def test_an_exception_needs_a_reason_and_is_recorded(demo_node: Database) -> None:
    code, _, err = run("users", "token", "admin", "--without-second-factor")
    assert code == 1 and "--reason" in err
    code, _, err = run("users", "token", "admin", "--reason", "night batch")
    assert code == 1 and "--without-second-factor" in err
    assert _tokens(demo_node) == []
    code, _, err = run(
        "users",
        "token",
        "admin",
        "--without-second-factor",
        "--reason",
        "Ticket 42: the night batch runs unattended",
    )
    assert code == 0, err
    (row,) = _tokens(demo_node)
    assert (row.issued_with, row.exception_reason) == (
        "exception",
        "Ticket 42: the night batch runs unattended",
    )
    details = json.loads(_last(demo_node, "token.issue").details)
    assert details["second_factor"] == "exception"
    assert details["exception_reason"] == "Ticket 42: the night batch runs unattended"


def test_roles_without_a_second_factor_get_a_token_as_before(demo_node: Database) -> None:
    code, out, _ = run("users", "token", "screener.eg")
    assert code == 0 and out.strip().startswith("jsr_")
    assert [t.issued_with for t in _tokens(demo_node)] == ["not_required"]


def test_unlock_lifts_the_slowdown_and_is_audited(demo_node: Database) -> None:
    def attempt(password: str) -> auth.LoginResult:
        with demo_node.unit_of_work() as session:
            return auth.login(
                session,
                username="screener.eg",
                password=password,
                client_addr=OFFICE,
                request_id=None,
            )

    for _ in range(5):
        attempt("not the password")
    assert attempt(DEMO_PASSWORD).locked_minutes
    code, out, err = run("users", "unlock", "screener.eg", "--json")
    assert code == 0, err
    assert json.loads(out) == {"username": "screener.eg", "failures_forgotten": 6}
    assert attempt(DEMO_PASSWORD).user is not None
    event = _last(demo_node, "user.unlock")
    assert json.loads(event.details) == {"username": "screener.eg", "failures": 6}
    assert run("users", "unlock", "nobody.xx")[0] == 1


def test_reset_password_says_what_it_ended(demo_node: Database) -> None:
    run("users", "token", "screener.eg")
    code, out, _ = run("users", "reset-password", "screener.eg", "--json")
    assert code == 0
    report = json.loads(out)
    assert report["password"] != DEMO_PASSWORD
    assert (report["sessions_ended"], report["tokens_revoked"]) == (0, 1)
    code, out, _ = run("users", "reset-password", "screener.eg")
    assert code == 0 and "API tokens revoked: 0" in out
