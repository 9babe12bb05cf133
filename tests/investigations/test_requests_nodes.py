"""Two real nodes (MA, EG) as separate processes, real HTTP between them: a Moroccan investigator
prepares an MLA request from her file, Morocco's liaison officer sends it, Egypt receives it, an
Egyptian investigator opens a file from it, Egypt's liaison officer replies with that file's
reference, and the Moroccan file shows the reply and Egypt's file (issue 16, requests).

Each person acts through the node's API with a bearer token the node's operator issued them
(`jusoor users token … --without-second-factor --reason …`), as scripts do.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.support.nodes import CLI_TIMEOUT, Node, node_group, start_all, wait_until

pytestmark = pytest.mark.nodes

DELIVERY_DEADLINE = 90.0


# One process per node instead of one `jusoor` run per token and descriptor (each start-up costs
# seconds on a loaded machine): the node's descriptor, as `jusoor exchange descriptor` writes it,
# and tokens issued by the operator as `jusoor users token USER --without-second-factor` does.
SETUP = """
import json, sys
from sqlalchemy import select
from jusoor.agencies.models import User
from jusoor.auth import service as auth
from jusoor.core.console import operator, unit_of_work
from jusoor.domains import register_all
from jusoor.exchange.nodes import node

register_all()
out = {"tokens": {}}
with unit_of_work() as session:
    out["descriptor"] = node.descriptor_of(node.identity(session))
    for name in sys.argv[1:]:
        user = session.scalars(select(User).where(User.username == name)).one()
        out["tokens"][name] = auth.issue_token(
            session, actor=operator(), user=user, name="nodes test",
            exception_reason="requests nodes test",
        )
print(json.dumps(out))
"""


@dataclass
class Prepared:
    descriptor: Path
    fingerprint: str
    tokens: dict[str, str]


def _prepare(node: Node, root: Path, users: tuple[str, ...], into: dict[str, Prepared]) -> None:
    result = subprocess.run(
        [sys.executable, "-c", SETUP, *users],
        env=node.env,
        cwd=node.dir,
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    done = json.loads(result.stdout.strip().splitlines()[-1])
    path = root / f"{node.name}.descriptor.json"
    path.write_text(json.dumps(done["descriptor"]), encoding="utf-8")
    into[node.name] = Prepared(path, done["descriptor"]["fingerprint"], done["tokens"])


def _side_by_side(*calls: Callable[[], object]) -> None:
    threads = [threading.Thread(target=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _call(node: Node, token: str, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    status, raw = node.request(
        method,
        path,
        body=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        return status, json.loads(raw)
    except json.JSONDecodeError:
        return status, raw.decode(errors="replace")


def test_an_mla_from_a_moroccan_file_is_answered_by_an_egyptian_file(tmp_path: Path) -> None:
    with node_group(tmp_path) as make:
        ma, eg = make("MA"), make("EG")
        # `jusoor init --demo`: the schema, the node's exchange keys (JUSOOR_NODE_ID) and its
        # demo users; start_all then finds both nodes initialised.
        _side_by_side(*(lambda n=n: n.cli("init", "--demo") for n in (ma, eg)))
        ma._initialised = eg._initialised = True
        start_all(ma, eg)
        ready: dict[str, Prepared] = {}
        _side_by_side(
            lambda: _prepare(ma, tmp_path, ("investigator.ma", "liaison.ma"), ready),
            lambda: _prepare(eg, tmp_path, ("investigator.eg", "liaison.eg"), ready),
        )
        for here, there in ((ma, "EG"), (eg, "MA")):  # each operator adds the other, as checked
            peer = ready[there]
            here.cli(
                "exchange", "peers", "add", str(peer.descriptor), "--fingerprint", peer.fingerprint
            )
        police_ma, liaison_ma = (ready["MA"].tokens[u] for u in ("investigator.ma", "liaison.ma"))
        police_eg, liaison_eg = (ready["EG"].tokens[u] for u in ("investigator.eg", "liaison.eg"))

        # Morocco: the investigator prepares the request from her file.
        status, file = _call(
            ma,
            police_ma,
            "POST",
            "/api/v1/investigations",
            {"title": "Recruitment agency, Casablanca", "origin": "proactive",
             "reported_on": "2026-01-05"},
        )  # fmt: skip
        assert status == 201, file
        requests_url = f"/api/v1/investigations/{file['id']}/requests"
        status, draft = _call(
            ma,
            police_ma,
            "POST",
            requests_url,
            {
                "kind": "mla",
                "peer": "EG",
                "assistance_kind": "documents_records",
                "assistance_sought": "Bank statements of the agency's account in Cairo, 2025.",
                "facts_summary": "Forty workers paid recruitment fees into an Egyptian account.",
                "purpose": "To trace the fees paid by the workers.",
            },
        )
        assert status == 201, draft
        assert draft["status"] == "draft"

        # Morocco's liaison officer sends it as it is.
        status, sent = _call(
            ma,
            liaison_ma,
            "POST",
            f"/api/v1/exchange/drafts/{draft['thread_id']}/send",
        )
        assert status == 201, sent
        request_id = sent["id"]

        # Egypt: the request arrives; an investigator opens a file from it.
        wait_until(
            lambda: (
                _call(eg, liaison_eg, "GET", f"/api/v1/exchange/messages/{request_id}")[0] == 200
            ),
            deadline=DELIVERY_DEADLINE,
            what="the MLA request on EG",
        )
        status, eg_file = _call(
            eg,
            police_eg,
            "POST",
            f"/api/v1/investigations/from-abroad/{request_id}",
            {},
        )
        assert status == 201, eg_file
        assert eg_file["origin"] == "foreign_request"
        assert eg_file["reference"].startswith("INV-EG-")

        # Egypt's liaison officer replies, giving the file's reference.
        status, reply = _call(
            eg,
            liaison_eg,
            "POST",
            "/api/v1/exchange/messages",
            {
                "type": "reply",
                "reply_to": request_id,
                "fields": {
                    "text": "The statements are being gathered.",
                    "file_reference": eg_file["reference"],
                },
            },
        )
        assert status == 201, reply

        # Morocco's file shows the reply and Egypt's file.
        def answered() -> dict[str, Any] | None:
            _status, rows = _call(ma, police_ma, "GET", requests_url)
            row: dict[str, Any] = rows[0]
            return row if row["status"] == "answered" else None

        row = wait_until(answered, deadline=DELIVERY_DEADLINE, what="the reply on MA")
        assert row["partner_reference"] == eg_file["reference"]
        assert [a["type"] for a in row["answers"]] == ["reply"]
        status, events = _call(ma, police_ma, "GET", f"/api/v1/investigations/{file['id']}/events")
        answers = [e for e in events if e["kind"] == "request_answer"]
        assert len(answers) == 1
        assert answers[0]["details"]["partner_reference"] == eg_file["reference"]
        # Egypt's file records the same joint work: the request it serves, from Morocco.
        status, eg_rows = _call(
            eg,
            police_eg,
            "GET",
            f"/api/v1/investigations/{eg_file['id']}/requests",
        )
        assert status == 200 and eg_rows[0]["outgoing"] is False and eg_rows[0]["peer"] == "MA"
        assert eg_rows[0]["status"] == "answered"
