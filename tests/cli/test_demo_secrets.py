"""`serve --init-demo` and `demo logins` never print a secret: the usernames go to the terminal
(and so to service logs), the password and TOTP keys to a 0600 file in the data dir
(ASVS 4.0.3 V7.1.1: no credentials in logs)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
import uvicorn
from typer.testing import CliRunner

from jusoor.cli.main import app
from jusoor.cli.node import DEMO_LOGINS_FILE
from jusoor.core.config import get_settings
from jusoor.core.db import Database
from jusoor.core.security import totp
from tests.conftest import DEMO_PASSWORD
from tests.support.web import totp_secret

runner = CliRunner()


def _secrets(db: Database) -> list[str]:
    keys = [totp_secret(db, name) for name in ("admin", "liaison.ma", "liaison.eg")]
    assert all(keys)
    return [DEMO_PASSWORD, *(k for k in keys if k)]


def test_serve_init_demo_prints_usernames_and_the_file_not_the_secrets(
    node_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JUSOOR_EXCHANGE_DELIVER_SECONDS", "0")
    get_settings.cache_clear()
    served: list[object] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **_kw: served.append(app))
    result = runner.invoke(app, ["serve", "--init-demo"])
    assert result.exit_code == 0, result.output
    assert served, "the server was started"
    db = Database(get_settings().effective_database_url)
    secrets = _secrets(db)
    for secret in secrets:
        assert secret not in result.output
    assert "admin" in result.output and "liaison.ma" in result.output
    logins = node_env / DEMO_LOGINS_FILE
    assert str(logins) in result.output
    assert stat.S_IMODE(logins.stat().st_mode) == 0o600
    written = logins.read_text("utf-8")
    for secret in secrets:
        assert secret in written
    # The code command still works, for those without an authenticator app.
    code = runner.invoke(app, ["demo", "code", "admin"])
    assert code.exit_code == 0
    assert code.output.strip() == totp.current_code(secrets[1])
    db.dispose()


def test_demo_logins_rewrites_the_file_and_prints_no_secret(node_env: Path) -> None:
    assert runner.invoke(app, ["init", "--demo"]).exit_code == 0
    logins = node_env / DEMO_LOGINS_FILE
    logins.write_text("stale")
    logins.chmod(0o644)
    result = runner.invoke(app, ["demo", "logins"])
    assert result.exit_code == 0
    db = Database(get_settings().effective_database_url)
    for secret in _secrets(db):
        assert secret not in result.output
        assert secret in logins.read_text("utf-8")
    assert stat.S_IMODE(logins.stat().st_mode) == 0o600
    db.dispose()
