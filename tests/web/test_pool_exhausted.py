"""A request that finds no free database connection within the pool's timeout (under load, every
connection waiting on a lock) is told the node is busy: 503 and "try again", never a 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import TimeoutError as PoolTimeout

from jusoor.app import create_app
from jusoor.core.db import Database
from jusoor.web.access import public


@pytest.mark.parametrize("path", ["/pool-exhausted", "/api/v1/pool-exhausted"])
def test_no_free_connection_answers_503_not_500(database: Database, path: str) -> None:
    app = create_app(database)

    @public
    def exhausted() -> None:
        raise PoolTimeout("QueuePool limit of size 10 overflow 10 reached")

    app.add_api_route(path, exhausted)
    with TestClient(app, base_url="http://127.0.0.1:8000", raise_server_exceptions=False) as client:
        response = client.get(path, headers={"accept-language": "fr"})
    assert response.status_code == 503
    assert "QueuePool" not in response.text and "Traceback" not in response.text
    if path.startswith("/api/"):
        assert response.json()["error"]["code"] == "unavailable"
