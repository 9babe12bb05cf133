"""Many people sign in at once (the start of a working day) and none is told the node is busy.

A password check is slow on purpose (Argon2). It is made in a reading unit of work, before the
sign-in takes SQLite's writer lock for its few rows (attempt, session, audit event), so sign-ins
do not queue on the lock for one another's hashing (issue 18: nine of ten simultaneous sign-ins
were answered "busy" when the check ran inside the write transaction).
"""

from __future__ import annotations

import threading
import time

import httpx
import pytest
from sqlalchemy import select

from jusoor.agencies.models import User
from jusoor.auth.tokens import mfa_required
from jusoor.core.config import get_settings
from jusoor.core.db import Database
from jusoor.core.security import passwords
from tests.conftest import DEMO_PASSWORD
from tests.support.live import live_server
from tests.support.web import csrf_from

PEOPLE = 8
HASHING_SECONDS = 0.6  # each check; PEOPLE of them in turn is far past the busy wait below
BUSY_MS = 1000


def test_simultaneous_sign_ins_all_land_while_each_password_check_takes_long(
    demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JUSOOR_SQLITE_BUSY_MS", str(BUSY_MS))
    monkeypatch.setenv("JUSOOR_PG_LOCK_TIMEOUT_MS", str(BUSY_MS))
    get_settings.cache_clear()
    db = Database(demo_db.url)
    settings = get_settings()
    with db.unit_of_work() as s:
        users = s.scalars(select(User).where(User.active.is_(True)).order_by(User.username)).all()
        names = [u.username for u in users if not mfa_required(u, settings)][:PEOPLE]
    assert len(names) == PEOPLE

    real_verify = passwords.verify_password

    def slow_verify(stored: str | None, password: str) -> bool:
        time.sleep(HASHING_SECONDS)  # what a real Argon2 check costs on a busy two-core node
        return real_verify(stored, password)

    monkeypatch.setattr(passwords, "verify_password", slow_verify)
    answers: dict[str, int] = {}
    lock = threading.Lock()
    with live_server(db) as base:
        clients = {n: httpx.Client(base_url=base, timeout=60) for n in names}
        tokens = {n: csrf_from(c.get("/login").text) for n, c in clients.items()}
        start = threading.Barrier(PEOPLE)

        def sign_in(name: str) -> None:
            start.wait()
            form = {"username": name, "password": DEMO_PASSWORD, "csrf_token": tokens[name]}
            status = clients[name].post("/login", data=form).status_code
            with lock:
                answers[name] = status

        threads = [threading.Thread(target=sign_in, args=(n,)) for n in names]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        signed_in = {n: c.get("/", follow_redirects=False).status_code for n, c in clients.items()}
        for client in clients.values():
            client.close()
    assert answers == {n: 303 for n in names}, answers  # none told "busy" (503)
    assert signed_in == {n: 200 for n in names}, signed_in


def test_a_health_probe_answers_while_a_writer_holds_the_lock(demo_db: Database) -> None:
    if not demo_db.url.startswith("sqlite"):
        pytest.skip("PostgreSQL readers never wait for writers")
    from fastapi.testclient import TestClient

    from jusoor.app import create_app

    client = TestClient(create_app(demo_db))
    with demo_db.unit_of_work() as session:  # holds SQLite's writer lock (BEGIN IMMEDIATE)
        session.scalars(select(User).limit(1)).first()
        started = time.monotonic()
        response = client.get("/healthz")
        waited = time.monotonic() - started
    assert response.status_code == 200, response.text
    assert waited < get_settings().sqlite_busy_ms / 1000, waited
