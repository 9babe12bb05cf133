"""`jusoor init`, `demo`, `users`, `agencies` and `audit` as an operator runs them at the console."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, text
from typer.testing import CliRunner

from jusoor.agencies.models import User
from jusoor.auth.models import ApiToken
from jusoor.cli.main import app
from jusoor.core import migrate
from jusoor.core.config import get_settings
from jusoor.core.db import Database
from jusoor.core.security import secrets
from tests.conftest import DEMO_PASSWORD

runner = CliRunner()


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def demo_node(db_url: str) -> Database:
    """A node prepared with `jusoor init --demo`, on SQLite and on PostgreSQL."""
    code, out, err = run("init", "--demo")
    assert code == 0, err
    assert "64" in out
    return Database(get_settings().effective_database_url)


def test_init_migrates_and_is_idempotent(db_url: str) -> None:
    assert run("init")[0] == 0
    assert run("init")[0] == 0
    db = Database(db_url)
    assert migrate.is_current(db.engine)
    db.dispose()


def test_demo_users_one_per_role_and_country(demo_node: Database) -> None:
    code, out, _ = run("users", "list", "--json")
    assert code == 0
    users = {row["username"]: row for row in json.loads(out)}
    assert users["admin"]["roles"] == ["admin"]
    for cc in ("eg", "ma", "tn", "ly", "mr", "kw", "jo"):
        assert users[f"screener.{cc}"]["roles"] == ["screener"]
        assert users[f"liaison.{cc}"]["roles"] == ["liaison_officer"]
        assert users[f"screener.{cc}"]["country"] == cc.upper()


def test_demo_load_twice_creates_nobody_new(demo_node: Database) -> None:
    code, out, _ = run("demo", "load", "--json")
    assert code == 0
    assert json.loads(out) == {"users_created": 0}


def test_users_add_prints_a_generated_password_that_meets_the_policy(demo_node: Database) -> None:
    code, out, err = run(
        "users",
        "add",
        "amina.ma",
        "--name",
        "Amina El Idrissi",
        "--agency",
        "ma-police",
        "--role",
        "investigator",
        "--locale",
        "fr",
        "--json",
    )
    assert code == 0, err
    row = json.loads(out)
    assert row["username"] == "amina.ma" and len(row["password"]) >= 12


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--agency", "no-such-agency", "--role", "screener"], "agency"),
        (["--agency", "ma-police", "--role", "wizard"], "roles"),
    ],
)
def test_users_add_rejects_bad_input_in_one_line(
    demo_node: Database, args: list[str], needle: str
) -> None:
    code, _out, err = run("users", "add", "newuser", "--name", "New User", *args)
    assert code == 1
    assert needle in err and "Traceback" not in err
    with demo_node.unit_of_work() as session:
        assert session.scalars(select(User).where(User.username == "newuser")).first() is None


def test_weak_password_from_stdin_is_refused(demo_node: Database) -> None:
    code, _, err = run(
        "users",
        "add",
        "weak",
        "--name",
        "Weak",
        "--agency",
        "ma-police",
        "--role",
        "screener",
        "--password-stdin",
        input="password123\n",
    )
    assert code == 1 and "password" in err


def test_token_is_printed_once_and_stored_as_a_digest(demo_node: Database) -> None:
    code, out, _ = run("users", "token", "screener.eg")
    token = out.strip()
    assert code == 0 and token.startswith("jsr_")
    with demo_node.unit_of_work() as session:
        row = session.scalars(select(ApiToken)).one()
        assert row.token_digest == secrets.digest(token)
        assert token not in (row.token_digest, row.prefix)


def test_disabled_user_gets_no_token(demo_node: Database) -> None:
    assert run("users", "disable", "screener.ma")[0] == 0
    code, _, err = run("users", "token", "screener.ma")
    assert code == 1 and "disabled" in err
    assert run("users", "disable", "nobody.xx")[0] == 1


def test_reset_password_gives_a_new_password(demo_node: Database) -> None:
    code, out, _ = run("users", "reset-password", "screener.eg", "--json")
    assert code == 0
    assert json.loads(out)["password"] != DEMO_PASSWORD


def test_audit_verify_passes_then_names_the_altered_event(demo_node: Database) -> None:
    code, out, _ = run("audit", "verify", "--json")
    report = json.loads(out)
    assert code == 0 and report["ok"] and report["events"] > 64
    with demo_node.engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET details = '{\"forged\": true}' WHERE seq = 7"))
    code, _, err = run("audit", "verify")
    assert code == 1
    assert "7" in err


def test_audit_verify_detects_a_removed_last_event(demo_node: Database) -> None:
    with demo_node.engine.begin() as conn:
        last = conn.execute(text("SELECT max(seq) FROM audit_events")).scalar_one()
        conn.execute(text("DELETE FROM audit_events WHERE seq = :seq"), {"seq": last})
    code, out, _ = run("audit", "verify", "--json")
    assert code == 1 and json.loads(out)["first_bad_seq"] == last


def test_cli_actions_are_audited_with_the_operator(demo_node: Database) -> None:
    run("users", "disable", "analyst.tn")
    code, out, _ = run("audit", "list", "--action", "user.disable", "--json")
    events = json.loads(out)
    assert code == 0 and events[0]["actor"].startswith("cli:")


def test_demo_code_is_refused_for_users_without_a_demo_second_factor(demo_node: Database) -> None:
    code, out, _ = run("demo", "code", "admin")
    assert code == 0 and out.strip().isdigit() and len(out.strip()) == 6
    assert run("demo", "code", "screener.ma")[0] == 1


def test_demo_code_after_a_sign_in_is_one_the_login_still_accepts(demo_node: Database) -> None:
    """A code is single-use (ASVS 2.8.4): after a sign-in used this time step's code, the command
    prints the next step's, which the second-factor check accepts, not the one just used."""
    import pyotp

    from jusoor.core.security import totp

    with demo_node.unit_of_work() as session:
        admin = session.scalars(select(User).where(User.username == "admin")).one()
        secret = admin.totp_secret
        assert secret
        used = int(pyotp.TOTP(secret).timecode(__import__("datetime").datetime.now()))
        admin.totp_last_step = used
    code, out, _ = run("demo", "code", "admin")
    assert code == 0
    assert totp.verify(secret, out.strip(), last_used_step=used) is not None
    assert out.strip() != pyotp.TOTP(secret).generate_otp(used)


def test_agencies_list_covers_the_seven_countries(demo_node: Database) -> None:
    code, out, _ = run("agencies", "list", "--json")
    countries = {row["country"] for row in json.loads(out)}
    assert code == 0 and {"EG", "MA", "TN", "LY", "MR", "KW", "JO"} <= countries


def test_serve_refuses_an_unmigrated_database(db_url: str) -> None:
    code, _, err = run("serve")
    assert code == 1 and "jusoor init" in err


def test_init_refuses_a_node_whose_data_file_does_not_parse(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`jusoor init` checks every declared data file first (core.datafiles.check_all), like the
    app factory: a bad file stops it before the schema is touched, with the file's one line."""
    from jusoor.core import datafiles

    line = "jusoor/core/permissions.yaml, line 3: roles: Field required"

    def bad() -> int:
        raise datafiles.DataFileError("roles", line)

    monkeypatch.setattr(datafiles, "check_all", bad)
    code, _, err = run("init")
    assert code == 1
    assert line in err
    db = Database(db_url)
    assert not migrate.is_current(db.engine)
    db.dispose()


def test_serve_builds_the_app_and_its_mappers_before_its_background_threads(
    demo_node: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The delivery and checkpoint threads query the database: started before the app had imported
    every model, one of them configured the mappers mid-import, failed, and left the node answering
    500 to every envelope (seen in tests/exchange/test_nodes.py). Order: app, mappers, threads."""
    import sqlalchemy.orm
    import uvicorn

    import jusoor.app
    from jusoor.audit.checkpoints import CheckpointThread
    from jusoor.exchange.transport.delivery import DeliveryThread

    steps: list[str] = []
    build = jusoor.app.create_app

    def create_app() -> object:
        steps.append("app")
        return build()

    def configure() -> None:
        steps.append("mappers")

    monkeypatch.setenv("JUSOOR_EXCHANGE_DELIVER_SECONDS", "5")
    monkeypatch.setenv("JUSOOR_AUDIT_CHECKPOINT_SECONDS", "60")
    get_settings.cache_clear()
    monkeypatch.setattr(jusoor.app, "create_app", create_app)
    monkeypatch.setattr(sqlalchemy.orm, "configure_mappers", configure)
    monkeypatch.setattr(DeliveryThread, "start", lambda self: steps.append("delivery"))
    monkeypatch.setattr(CheckpointThread, "start", lambda self: steps.append("checkpoint"))
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: steps.append("serve"))
    code, _, err = run("serve")
    assert code == 0, err
    assert steps == ["app", "mappers", "delivery", "checkpoint", "serve"]
    # The dashboards' warming thread ends with the server: left counting, it read other tests'
    # databases under their keys (a data key made for another node entered this process).
    import threading

    assert not [t for t in threading.enumerate() if t.name == "jusoor-dashboard-warming"]
