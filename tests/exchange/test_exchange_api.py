"""`/api/v1/exchange`: the liaison officer reads and sends, nobody else reads messages (not even
the administrator, who keeps the peers), and a bad request names its field."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from jusoor.core.db import Database
from jusoor.exchange.models import OutboxEntry
from jusoor.exchange.nodes.node import has_identity, init_node
from jusoor.exchange.nodes.peers import add_peer
from jusoor.exchange.vocabulary import MessageType
from tests.exchange.support import (
    OPERATOR,
    Node,
    audited,
    information_request,
    remote_descriptor,
    send,
)
from tests.support import tokens

MESSAGES = "/api/v1/exchange/messages"


@pytest.fixture
def node(demo_db: Database) -> Node:
    """The demo node, taking part in exchange, with TN as a peer and one request sent to it."""
    with demo_db.unit_of_work() as session:
        if not has_identity(session):
            init_node(session, actor=OPERATOR, node_id="MA")
        add_peer(session, actor=OPERATOR, descriptor=remote_descriptor("TN"), replace=True)
    return Node("MA", demo_db)


@pytest.fixture
def sent(node: Node) -> uuid.UUID:
    return send(node, MessageType.information_request, information_request(), to="TN")


def as_user(db: Database, username: str) -> dict[str, str]:
    return tokens.bearer(db, username)


def test_a_liaison_officer_lists_the_requests(
    client: TestClient, node: Node, sent: uuid.UUID
) -> None:
    response = client.get(MESSAGES, headers=as_user(node.db, "liaison.ma"))
    assert response.status_code == 200, response.text
    listed = {m["id"]: m for m in response.json()}
    assert listed[str(sent)]["to"] == "TN"
    assert listed[str(sent)]["subject"] == information_request()["subject"]
    [event] = audited(node.db, "exchange.message.list")
    assert event.actor_username == "liaison.ma"


def test_a_liaison_officer_reads_one_message_and_the_read_is_audited(
    client: TestClient, node: Node, sent: uuid.UUID
) -> None:
    response = client.get(f"{MESSAGES}/{sent}", headers=as_user(node.db, "liaison.ma"))
    assert response.status_code == 200, response.text
    assert response.json()["content"]["question"] == information_request()["question"]
    assert [m["id"] for m in response.json()["thread_messages"]] == [str(sent)]
    [event] = audited(node.db, "exchange.message.read", sent)
    assert event.actor_username == "liaison.ma"


@pytest.mark.parametrize("username", ["caseworker.ma", "admin"])
def test_others_cannot_read_messages(
    client: TestClient, node: Node, sent: uuid.UUID, username: str
) -> None:
    headers = as_user(node.db, username)
    assert client.get(MESSAGES, headers=headers).status_code == 403
    assert client.get(f"{MESSAGES}/{sent}", headers=headers).status_code == 403
    assert audited(node.db, "exchange.message.read") == []


def test_the_administrator_lists_the_peers(client: TestClient, node: Node) -> None:
    response = client.get("/api/v1/exchange/peers", headers=as_user(node.db, "admin"))
    assert response.status_code == 200, response.text
    assert "TN" in {p["node_id"] for p in response.json()}


def test_a_case_worker_cannot_list_the_peers(client: TestClient, node: Node) -> None:
    headers = as_user(node.db, "caseworker.ma")
    assert client.get("/api/v1/exchange/peers", headers=headers).status_code == 403


def send_as_liaison(client: TestClient, node: Node, body: dict[str, Any]) -> Any:
    return client.post(MESSAGES, json=body, headers=as_user(node.db, "liaison.ma"))


def test_a_liaison_officer_sends_a_request_into_the_outbox(client: TestClient, node: Node) -> None:
    response = send_as_liaison(
        client, node, {"type": "information_request", "to": "TN", "fields": information_request()}
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert (created["status"], created["to"]) == ("sent", "TN")
    with node.db.unit_of_work() as session:
        entry = session.get(OutboxEntry, uuid.UUID(created["id"]))
        assert entry is not None and entry.pending
    [event] = audited(node.db, "exchange.message.sent", created["id"])
    assert event.actor_username == "liaison.ma"
    assert json.loads(event.details)["to"] == "TN"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"to": "TN", "fields": information_request()}, "type"),
        ({"type": "information_request", "to": "TN"}, "fields"),
        (
            {
                "type": "information_request",
                "to": "TN",
                "fields": information_request(question=None) | {"question": ""},
            },
            "question",
        ),
        ({"type": "information_request", "to": "ZZ", "fields": information_request()}, "to"),
    ],
    ids=["no-type", "no-fields", "empty-question", "unknown-peer"],
)
def test_a_request_with_a_missing_or_wrong_field_is_refused_naming_it(
    client: TestClient, node: Node, body: dict[str, Any], field: str
) -> None:
    response = send_as_liaison(client, node, body)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["field"] == field
    assert audited(node.db, "exchange.message.sent") == []


def test_a_case_worker_cannot_send_a_request(client: TestClient, node: Node) -> None:
    response = client.post(
        MESSAGES,
        json={"type": "information_request", "to": "TN", "fields": information_request()},
        headers=as_user(node.db, "caseworker.ma"),
    )
    assert response.status_code == 403
    assert audited(node.db, "exchange.message.sent") == []


def test_the_inbox_takes_no_user_and_judges_the_envelope_itself(
    client: TestClient, node: Node
) -> None:
    response = client.post("/api/v1/exchange/inbox", content=b"{}")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "envelope_malformed"
