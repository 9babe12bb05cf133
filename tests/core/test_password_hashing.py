"""The production cost of password hashing, which the rest of the suite replaces by the smallest
(tests/conftest.py, `fast_password_hashing`): these tests put the production hasher back."""

from __future__ import annotations

import pytest
from argon2 import extract_parameters
from sqlalchemy import select

from jusoor.agencies.models import User
from jusoor.auth import service as auth
from jusoor.core.db import Database
from jusoor.core.security import passwords
from tests.conftest import DEMO_PASSWORD, PRODUCTION_HASHER, TEST_HASHER


@pytest.fixture
def production_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "_HASHER", PRODUCTION_HASHER)
    monkeypatch.setattr(passwords, "_DUMMY_HASH", PRODUCTION_HASHER.hash("equaliser"))


def test_production_hashes_are_argon2id_at_owasp_minimum_cost(production_hashing: None) -> None:
    made = passwords.hash_password("correct horse battery staple")
    params = extract_parameters(made)
    assert made.startswith("$argon2id$")
    # OWASP Password Storage Cheat Sheet: Argon2id, m >= 19 MiB, t >= 2, p = 1.
    assert params.memory_cost >= 19 * 1024 and params.time_cost >= 2
    assert params.parallelism == 1
    assert passwords.verify_password(made, "correct horse battery staple")
    assert not passwords.verify_password(made, "correct horse battery stapler")
    assert not passwords.needs_rehash(made)


def test_a_hash_at_the_test_cost_is_upgraded_at_the_next_sign_in(
    demo_sqlite: Database, production_hashing: None
) -> None:
    with demo_sqlite.unit_of_work() as session:
        user = session.scalars(select(User).where(User.username == "analyst.ma")).one()
        assert extract_parameters(user.password_hash or "") == TEST_HASHER._parameters
        assert passwords.needs_rehash(user.password_hash or "")
        result = auth.login(
            session,
            username="analyst.ma",
            password=DEMO_PASSWORD,
            client_addr="127.0.0.1",
            request_id=None,
        )
        assert result.user is not None, result.error
    with demo_sqlite.unit_of_work() as session:
        user = session.scalars(select(User).where(User.username == "analyst.ma")).one()
        stored = extract_parameters(user.password_hash or "")
        assert stored == PRODUCTION_HASHER._parameters
        assert passwords.verify_password(user.password_hash, DEMO_PASSWORD)
