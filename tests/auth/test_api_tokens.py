"""API bearer tokens: accepted while valid; refused once expired, revoked, or their user or agency
disabled; stored only as SHA-256 digests; never able to mint more tokens."""

from __future__ import annotations

import hashlib

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text, update

from jusoor.agencies import service as agencies
from jusoor.agencies.models import Agency, User
from jusoor.auth import credentials
from jusoor.auth import service as auth
from jusoor.auth.models import ApiToken
from jusoor.core.db import Database
from jusoor.core.errors import Forbidden, Invalid, NotFound
from jusoor.core.permissions import system_actor
from tests.support import tokens


def _me(client: TestClient, token: str) -> int:
    return client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code


def _refused(client: TestClient, token: str) -> None:
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["error"]["code"] == "unauthorized"


def test_a_token_from_the_service_is_accepted(client: TestClient, demo_db: Database) -> None:
    token = tokens.issue(demo_db, "investigator.jo")
    assert token.startswith("jsr_")
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json()["username"] == "investigator.jo"
    # The scheme name is case-insensitive (RFC 7235).
    assert client.get("/api/v1/me", headers={"Authorization": f"bearer {token}"}).status_code == 200


def test_an_expired_token_is_refused(client: TestClient, demo_db: Database) -> None:
    token = tokens.issue(demo_db, "analyst.eg")
    assert _me(client, token) == 200
    tokens.expire(demo_db, token)
    _refused(client, token)


def test_a_revoked_token_is_refused(client: TestClient, demo_db: Database) -> None:
    token = tokens.issue(demo_db, "analyst.eg")
    assert _me(client, token) == 200
    tokens.revoke(demo_db, token)
    _refused(client, token)


def test_the_token_of_a_disabled_user_is_refused(client: TestClient, demo_db: Database) -> None:
    token = tokens.issue(demo_db, "prosecutor.tn")
    assert _me(client, token) == 200
    # Disabled behind the service's back, so that revocation on disabling does not hide the check.
    with demo_db.unit_of_work() as session:
        session.execute(update(User).where(User.username == "prosecutor.tn").values(active=False))
    _refused(client, token)


def test_disabling_a_user_revokes_their_tokens(client: TestClient, demo_db: Database) -> None:
    token = tokens.issue(demo_db, "prosecutor.tn")
    with demo_db.unit_of_work() as session:
        user = agencies.get_user_by_username(session, "prosecutor.tn")
        assert user is not None
        credentials.set_active(session, actor=system_actor(), user_id=user.id, active=False)
        credentials.set_active(session, actor=system_actor(), user_id=user.id, active=True)
    _refused(client, token)


def test_the_token_of_a_user_in_a_deactivated_agency_is_refused(
    client: TestClient, demo_db: Database
) -> None:
    token = tokens.issue(demo_db, "investigator.ly")
    assert _me(client, token) == 200
    with demo_db.unit_of_work() as session:
        user = agencies.get_user_by_username(session, "investigator.ly")
        assert user is not None
        session.execute(update(Agency).where(Agency.id == user.agency_id).values(active=False))
    _refused(client, token)


@pytest.mark.parametrize(
    "value",
    ["", "jsr_", "jsr_not-a-real-token", "not-even-prefixed", "jsr_" + "A" * 5000],
    ids=["empty", "prefix-only", "unknown", "no-prefix", "huge"],
)
def test_made_up_tokens_are_refused(client: TestClient, value: str) -> None:
    _refused(client, value)


def test_tokens_are_stored_only_as_sha256_digests(demo_db: Database) -> None:
    token = tokens.issue(demo_db, "liaison.kw")
    with demo_db.engine.connect() as connection:
        rows = connection.execute(text("SELECT * FROM api_tokens")).mappings().all()
    assert rows
    secret_part = token.removeprefix("jsr_")
    for row in rows:
        for value in row.values():
            assert secret_part not in str(value)
    digests = {row["token_digest"] for row in rows}
    assert hashlib.sha256(token.encode()).hexdigest() in digests


def test_a_token_cannot_mint_tokens(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        user = agencies.get_user_by_username(session, "analyst.ma")
        assert user is not None
        via_token = agencies.actor_for(user, via="token")
        with pytest.raises(Forbidden):
            auth.create_token(session, actor=via_token, user=user, name="more")


def test_roles_without_tokens_manage_own_cannot_issue_their_own(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        user = agencies.get_user_by_username(session, "screener.ma")
        assert user is not None
        with pytest.raises(Forbidden):
            auth.create_token(
                session, actor=agencies.actor_for(user, via="session"), user=user, name="x"
            )


def test_a_user_cannot_issue_a_token_for_someone_else(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        analyst = agencies.get_user_by_username(session, "analyst.ma")
        admin = agencies.get_user_by_username(session, "admin")
        assert analyst is not None and admin is not None
        with pytest.raises(Forbidden):
            auth.create_token(
                session, actor=agencies.actor_for(analyst, via="session"), user=admin, name="x"
            )


def test_token_lifetime_is_bounded(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        user = agencies.get_user_by_username(session, "analyst.ma")
        assert user is not None
        actor = agencies.actor_for(user, via="session")
        with pytest.raises(Invalid):
            auth.create_token(session, actor=actor, user=user, name="x", days=367)


def test_a_user_cannot_revoke_someone_elses_token(demo_db: Database) -> None:
    tokens.issue(demo_db, "admin")
    with demo_db.unit_of_work() as session:
        analyst = agencies.get_user_by_username(session, "analyst.ma")
        admin = agencies.get_user_by_username(session, "admin")
        assert analyst is not None and admin is not None
        row = session.scalars(select(ApiToken).where(ApiToken.user_id == admin.id)).first()
        assert row is not None
        with pytest.raises(NotFound):
            auth.revoke_token(
                session, actor=agencies.actor_for(analyst, via="session"), token_id=row.id
            )
        assert row.revoked_at is None
