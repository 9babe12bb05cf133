"""Shared fixtures: settings for a test node, databases on SQLite *and* PostgreSQL, the web app.

Database fixtures are parametrised over both engines; the PostgreSQL server is a throwaway one
started from the installed binaries. Without them the PostgreSQL half is skipped, unless
JUSOOR_REQUIRE_POSTGRES=1 (CI sets it), which makes a missing server an error.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from jusoor.core import migrate
from jusoor.core.config import get_settings
from jusoor.core.crypto import set_keyring
from jusoor.core.db import Database
from jusoor.core.security import csrf, passwords
from jusoor.domains import register_all
from tests.support.postgres import PostgresServer, start_server

# The browser fixtures (one Chromium per session) and the real-nodes factory (`nodes`).
pytest_plugins = ["tests.support.browser", "tests.support.nodes"]

DEMO_PASSWORD = "Sahara-Nile-Atlas-2026"
DATA_KEY = "ktest0001:" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY="  # 32 bytes, tests only
SECRET_KEY = "test-secret-key-test-secret-key-test-secret-key"
AUDIT_KEY = "ktestaudit1:" + "YXVkaXQta2V5LWZvci10ZXN0cy1vbmx5LTMyYnl0ZXM="  # 32 bytes, tests only
ENGINES = ("sqlite", "postgres")


def _reset_caches() -> None:
    get_settings.cache_clear()
    set_keyring(None)
    csrf.secret_key.cache_clear()


@pytest.fixture(autouse=True, scope="session")
def domains_registered() -> None:
    """The domains' extensions, registered as the app factory and the CLI do (jusoor.domains):
    service tests call cases, referrals and entities directly, without building the app."""
    register_all()


# Argon2id at the production cost (m=19 MiB, t=2: ~45 ms of one core per hash or check) would
# be paid at every sign-in of the suite. Tests hash and check with the same algorithm at its
# smallest cost instead; tests/core/test_password_hashing.py holds the production parameters
# to OWASP's minimum and shows that a hash made here is upgraded at the next sign-in.
PRODUCTION_HASHER = passwords._HASHER
TEST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing() -> Iterator[None]:
    """Cheap Argon2id for the whole session (demo templates included; see TEST_HASHER)."""
    saved = passwords._HASHER, passwords._DUMMY_HASH
    passwords._HASHER = TEST_HASHER
    passwords._DUMMY_HASH = TEST_HASHER.hash("jusoor-timing-equaliser")
    yield
    passwords._HASHER, passwords._DUMMY_HASH = saved


@pytest.fixture(autouse=True)
def node_env(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Every test runs as its own node: its own data dir, known keys and demo password.

    The data dir is outside `tmp_path`, which stays the test's own (some tests lay out a node there).
    """
    data_dir = tmp_path_factory.mktemp("node")
    for name in list(os.environ):
        if name.startswith("JUSOOR_") and name != "JUSOOR_REQUIRE_POSTGRES":
            monkeypatch.delenv(name)
    monkeypatch.setenv("JUSOOR_DATA_DIR", str(data_dir))
    monkeypatch.setenv("JUSOOR_DATABASE_URL", f"sqlite:///{data_dir / 'jusoor.db'}")
    monkeypatch.setenv("JUSOOR_DATA_KEY", DATA_KEY)
    monkeypatch.setenv("JUSOOR_SECRET_KEY", SECRET_KEY)
    monkeypatch.setenv("JUSOOR_AUDIT_KEY", AUDIT_KEY)
    monkeypatch.setenv("JUSOOR_DEMO_PASSWORD", DEMO_PASSWORD)
    monkeypatch.setenv("JUSOOR_DEFAULT_LOCALE", "en")
    # The names test clients send (TestClient's own is "testserver"); tests/security/
    # test_hosts.py checks the defaults without it.
    monkeypatch.setenv("JUSOOR_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    # `jusoor init --demo` in CLI tests: the directory only (tests/synth covers the cases).
    monkeypatch.setenv("JUSOOR_DEMO_CASES", "0")
    # `serve --init-demo` in CLI tests starts no peer processes (tests/cli/test_demo_peers.py does).
    monkeypatch.setenv("JUSOOR_DEMO_PEERS", "false")
    # Tests send many requests from one address; tests/web/test_ratelimit.py sets real limits.
    monkeypatch.setenv("JUSOOR_RATE_LIMIT_PER_MINUTE", "100000")
    monkeypatch.setenv("JUSOOR_RATE_LIMIT_ANONYMOUS_PER_MINUTE", "100000")
    _reset_caches()
    yield data_dir
    _reset_caches()


# --- PostgreSQL -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer | None]:
    try:
        server = start_server()
    except Exception as exc:
        if os.environ.get("JUSOOR_REQUIRE_POSTGRES") == "1":
            raise
        print(f"PostgreSQL could not start: {exc}")
        server = None
    if server is None and os.environ.get("JUSOOR_REQUIRE_POSTGRES") == "1":
        raise RuntimeError("JUSOOR_REQUIRE_POSTGRES=1 but PostgreSQL binaries were not found")
    yield server
    if server is not None:
        server.stop()


def _admin_execute(server: PostgresServer, sql: str) -> None:
    engine = create_engine(server.url(), poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(sql))
    finally:
        engine.dispose()


def _new_pg_database(server: PostgresServer, template: str | None = None) -> str:
    name = f"t_{uuid.uuid4().hex[:16]}"
    suffix = f" TEMPLATE {template}" if template else ""
    _admin_execute(server, f"CREATE DATABASE {name}{suffix}")
    return name


@pytest.fixture
def pg_url(pg_server: PostgresServer | None) -> str:
    """An empty PostgreSQL database of its own for one test."""
    if pg_server is None:
        pytest.skip("PostgreSQL binaries are not installed")
    return pg_server.url(_new_pg_database(pg_server))


# --- databases on both engines ----------------------------------------------------------------


def _use(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUSOOR_DATABASE_URL", url)
    _reset_caches()


@pytest.fixture(params=ENGINES)
def db_url(request: pytest.FixtureRequest, node_env: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The URL of an empty database, once on SQLite and once on PostgreSQL."""
    url = (
        f"sqlite:///{node_env / 'jusoor.db'}"
        if request.param == "sqlite"
        else request.getfixturevalue("pg_url")
    )
    _use(url, monkeypatch)
    return url


@pytest.fixture
def database(
    db_url: str,
    migrated_templates: dict[str, str],
    pg_server: PostgresServer | None,
) -> Iterator[Database]:
    """A migrated, empty database (both engines), at `db_url`.

    A copy of a database migrated once per session (see `migrated_templates`), not the migrations
    run again for every test; tests/core/test_migrations.py runs them on an empty database.
    """
    if db_url.startswith("sqlite"):
        shutil.copyfile(migrated_templates["sqlite"], db_url.removeprefix("sqlite:///"))
    else:
        assert pg_server is not None  # db_url gave a PostgreSQL database
        name = db_url.rsplit("/", 1)[1]
        # db_url made it empty and nobody has connected yet: make it again, as a copy.
        _admin_execute(pg_server, f"DROP DATABASE {name}")
        _admin_execute(
            pg_server, f"CREATE DATABASE {name} TEMPLATE {migrated_templates['postgres']}"
        )
    db = Database(db_url)
    yield db
    db.dispose()


def _build_demo(url: str) -> None:
    from jusoor.core.permissions import system_actor
    from jusoor.synth import demo

    db = Database(url)
    try:
        migrate.upgrade(db.engine)
        with db.unit_of_work() as session:
            demo.load(session, actor=system_actor("test"), password=DEMO_PASSWORD)
    finally:
        db.dispose()


@contextmanager
def _session_keys() -> Iterator[None]:
    """The test keys in the environment while a session fixture builds a template (outside any
    test, so without `node_env`); the environment as it was afterwards."""
    saved = {k: v for k, v in os.environ.items() if k.startswith("JUSOOR_")}
    os.environ.update(
        {
            "JUSOOR_DATA_KEY": DATA_KEY,
            "JUSOOR_SECRET_KEY": SECRET_KEY,
            "JUSOOR_AUDIT_KEY": AUDIT_KEY,
            "JUSOOR_DEMO_PASSWORD": DEMO_PASSWORD,
        }
    )
    _reset_caches()
    try:
        yield
    finally:
        for key in [k for k in os.environ if k.startswith("JUSOOR_")]:
            del os.environ[key]
        os.environ.update(saved)
        _reset_caches()


def _build_migrated(url: str) -> None:
    db = Database(url)
    try:
        migrate.upgrade(db.engine)
    finally:
        db.dispose()


@pytest.fixture(scope="session")
def migrated_templates(
    tmp_path_factory: pytest.TempPathFactory, pg_server: PostgresServer | None
) -> dict[str, str]:
    """An empty database migrated once per session: a SQLite file and a PostgreSQL template."""
    with _session_keys():
        sqlite_file = tmp_path_factory.mktemp("migrated") / "empty.db"
        _build_migrated(f"sqlite:///{sqlite_file}")
        templates = {"sqlite": str(sqlite_file)}
        if pg_server is not None:
            name = _new_pg_database(pg_server)
            _build_migrated(pg_server.url(name))
            templates["postgres"] = name
        return templates


@pytest.fixture(scope="session")
def demo_templates(
    tmp_path_factory: pytest.TempPathFactory,
    pg_server: PostgresServer | None,
    fast_password_hashing: None,
) -> dict[str, str]:
    """Demo data built once per session: a SQLite file and a PostgreSQL template database."""
    with _session_keys():
        sqlite_file = tmp_path_factory.mktemp("demo") / "demo.db"
        _build_demo(f"sqlite:///{sqlite_file}")
        templates = {"sqlite": str(sqlite_file)}
        if pg_server is not None:
            name = _new_pg_database(pg_server)
            _build_demo(pg_server.url(name))
            templates["postgres"] = name
        return templates


def demo_url(
    engine: str, templates: dict[str, str], node_env: Path, server: PostgresServer | None
) -> str:
    if engine == "sqlite":
        target = node_env / "jusoor.db"
        shutil.copyfile(templates["sqlite"], target)
        return f"sqlite:///{target}"
    if server is None or "postgres" not in templates:
        pytest.skip("PostgreSQL binaries are not installed")
    return server.url(_new_pg_database(server, template=templates["postgres"]))


def anchor_audit_trail(db: Database) -> None:
    """Start the node's audit anchor file, as `jusoor init` does, without adding an event."""
    from jusoor.audit.checkpoints import write_checkpoint
    from jusoor.audit.verification import verify_chain

    with db.unit_of_work() as session:
        result = verify_chain(session)
    assert write_checkpoint(result, start=True), result


@pytest.fixture(params=ENGINES)
def demo_db(
    request: pytest.FixtureRequest,
    demo_templates: dict[str, str],
    node_env: Path,
    pg_server: PostgresServer | None,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Database]:
    """A database holding the synthetic demo directory (both engines)."""
    url = demo_url(request.param, demo_templates, node_env, pg_server)
    _use(url, monkeypatch)
    db = Database(url)
    anchor_audit_trail(db)
    yield db
    db.dispose()


@pytest.fixture
def demo_sqlite(
    demo_templates: dict[str, str], node_env: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Database]:
    """The demo database on SQLite only (for tests whose subject is not the engine)."""
    url = demo_url("sqlite", demo_templates, node_env, None)
    _use(url, monkeypatch)
    db = Database(url)
    anchor_audit_trail(db)
    yield db
    db.dispose()


@pytest.fixture
def client(demo_db: Database) -> Iterator[TestClient]:
    """The web app over the demo database (both engines), as a browser-like test client."""
    from jusoor.app import create_app

    with TestClient(create_app(demo_db), base_url="http://127.0.0.1:8000") as test_client:
        yield test_client


@pytest.fixture
def client_sqlite(demo_sqlite: Database) -> Iterator[TestClient]:
    """The web app over the demo database on SQLite only, for tests of what the engine cannot
    change (response headers, the OpenAPI document): their PostgreSQL twin proved nothing more."""
    from jusoor.app import create_app

    with TestClient(create_app(demo_sqlite), base_url="http://127.0.0.1:8000") as test_client:
        yield test_client
