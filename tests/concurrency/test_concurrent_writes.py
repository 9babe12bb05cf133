"""People save while the node's background work runs, on SQLite and on PostgreSQL (issue 18).

Through a real HTTP server (uvicorn, one event loop, as `jusoor serve`): one case worker saves a
victim's profile over and over while the profile form's automatic match search runs on the same
case, another adds notes to a second case; meanwhile referrals are made and accepted, the
exchange delivery worker sends to a slow peer, and on SQLite a second process adds notes too.

Every save either lands or gets the busy answer (503), none waits past the bound, nothing is
half-written (a save is whole with its timeline and derived rows, or absent), and the audit chain
verifies. No timing is asserted beyond a generous bound: the machine is shared.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from jusoor.audit.verification import verify_chain
from jusoor.cases.models import Case, CaseNote
from jusoor.core.config import get_settings
from jusoor.core.db import Database, is_busy
from jusoor.core.reading import StaleWrite
from jusoor.entities.case_persons import person_of_case
from jusoor.exchange.models import OutboxEntry
from jusoor.exchange.transport import delivery
from jusoor.exchange.vocabulary import MessageType
from jusoor.referrals import service as referrals
from jusoor.referrals.models import Transition
from tests.conftest import DEMO_PASSWORD
from tests.exchange.support import information_request, send, two_nodes
from tests.referrals.support import actor, open_case, refer
from tests.support.live import live_server
from tests.support.web import csrf_from, login

BUSY_MS = 3000
# One request waits for a lock at most twice (its identity's last-seen stamp, then its own
# transaction), each at most BUSY_MS; the rest is a generous margin for a loaded machine.
BOUND = 2 * BUSY_MS / 1000 + 10
SAVES = 3


@dataclass
class Outcomes:
    landed: dict[str, list[str]] = field(default_factory=dict)
    busy: dict[str, int] = field(default_factory=dict)
    slowest: float = 0.0
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, kind: str, outcome: str, value: str, seconds: float) -> None:
        with self.lock:
            self.slowest = max(self.slowest, seconds)
            if outcome == "landed":
                self.landed.setdefault(kind, []).append(value)
            elif outcome == "busy":
                self.busy[kind] = self.busy.get(kind, 0) + 1
            else:
                self.failures.append(f"{kind}: {outcome}")


def _http(outcomes: Outcomes, kind: str, value: str, call: Callable[[], httpx.Response]) -> None:
    started = time.monotonic()
    response = call()
    seconds = time.monotonic() - started
    if response.status_code in (200, 303):
        outcomes.note(kind, "landed", value, seconds)
    elif response.status_code == 503 and response.headers.get("retry-after"):
        outcomes.note(kind, "busy", value, seconds)
    else:
        outcomes.note(kind, f"HTTP {response.status_code}: {response.text[:300]}", value, seconds)


def _service(outcomes: Outcomes, kind: str, value: str, call: Callable[[], object]) -> None:
    started = time.monotonic()
    try:
        call()
    except (OperationalError, StaleWrite) as exc:
        busy = isinstance(exc, StaleWrite) or is_busy(exc)
        outcomes.note(kind, "busy" if busy else repr(exc), value, time.monotonic() - started)
    else:
        outcomes.note(kind, "landed", value, time.monotonic() - started)


def _person(base: str, db: Database) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=BOUND + 20)
    assert login(client, db, "caseworker.ma", DEMO_PASSWORD).status_code == 303  # type: ignore[arg-type]
    return client


SECOND_PROCESS = """
import sys, uuid
from jusoor.cases import service
from jusoor.cases.schemas import NoteCreate
from jusoor.core.db import Database, is_busy
from jusoor.agencies import service as agencies
from sqlalchemy.exc import OperationalError
db = Database(sys.argv[1])
for i in range(int(sys.argv[3])):
    body = f"from the other process {i}"
    try:
        with db.unit_of_work() as s:
            user = agencies.get_user_by_username(s, "caseworker.ma")
            who = agencies.actor_for(user, via="session")
            service.add_note(s, actor=who, case_id=uuid.UUID(sys.argv[2]), note_in=NoteCreate(body=body))
        print("landed", body, flush=True)
    except OperationalError as exc:
        print("busy" if is_busy(exc) else f"failed {exc!r}", body, flush=True)
"""


def _referrals(db: Database, outcomes: Outcomes, case_ids: list[uuid.UUID]) -> None:
    for i, case_id in enumerate(case_ids):

        def made() -> None:
            with db.unit_of_work() as s:
                referral = refer(s, case_id)  # noqa: B023 - called at once
                referrals.move(
                    s, actor=actor(s, "provider.ma"), referral_id=referral.id, action="accept"
                )

        _service(outcomes, "referral", str(i), made)


def _deliveries(db: Database, peer: Any, stop: threading.Event, errors: list[str]) -> None:
    def slow_peer(request: httpx.Request) -> httpx.Response:
        time.sleep(0.5)  # a peer far away: no transaction is open meanwhile
        got = peer.post(str(request.url), content=request.content, headers=request.headers)
        return httpx.Response(got.status_code, content=got.content, headers=got.headers)

    with httpx.Client(transport=httpx.MockTransport(slow_peer)) as client:
        while not stop.is_set():
            try:
                delivery.deliver(db, force=True, client=client)
            except (OperationalError, StaleWrite) as exc:  # a busy pass is retried next time
                if not (isinstance(exc, StaleWrite) or is_busy(exc)):
                    errors.append(repr(exc))
            stop.wait(0.2)


def test_saves_land_or_are_told_busy_while_the_match_search_and_delivery_run(
    demo_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JUSOOR_SQLITE_BUSY_MS", str(BUSY_MS))
    monkeypatch.setenv("JUSOOR_PG_LOCK_TIMEOUT_MS", str(BUSY_MS))
    get_settings.cache_clear()
    db = Database(demo_db.url)
    sqlite = db.url.startswith("sqlite")
    with db.unit_of_work() as s:
        profile_case = open_case(s)
        notes_case = open_case(s)
        referred_cases = [open_case(s) for _ in range(SAVES)]
    outcomes = Outcomes()
    stop = threading.Event()
    delivery_errors: list[str] = []
    with two_nodes(db, tmp_path) as (node, other), other.app_client() as peer:
        for _ in range(3):
            send(node, MessageType.information_request, information_request(), to="TN")
        with live_server(db) as base:
            saver, searcher, writer = (_person(base, db) for _ in range(3))
            token = {
                c: csrf_from(c.get(f"/cases/{profile_case}/profile").text)
                for c in (saver, searcher, writer)
            }

            def save_profiles() -> None:
                for i in range(SAVES):
                    name = f"Zahra Benali {i}"
                    data = {
                        "gender": "feminine",
                        "age_band": "24-26",
                        "name": name,
                        "contact": f"+212 6 12 34 56 7{i}",
                        "csrf_token": token[saver],
                    }
                    _http(
                        outcomes,
                        "profile",
                        name,
                        lambda d=data: saver.post(f"/cases/{profile_case}/profile", data=d),
                    )

            def search_matches() -> None:
                for i in range(2 * SAVES):
                    data = {"name": f"Zahra Benali {i}", "csrf_token": token[searcher]}
                    _http(
                        outcomes,
                        "matches",
                        str(i),
                        lambda d=data: searcher.post(
                            f"/cases/{profile_case}/matches", data=d, headers={"hx-request": "true"}
                        ),
                    )

            def add_notes() -> None:
                for i in range(SAVES):
                    body = f"note {i}"
                    data = {"body": body, "csrf_token": token[writer]}
                    _http(
                        outcomes,
                        "note",
                        body,
                        lambda d=data: writer.post(f"/cases/{notes_case}/notes", data=d),
                    )

            other_process = None
            if sqlite:  # SQLite's lock is shared by processes: another one writes meanwhile
                other_process = subprocess.Popen(
                    [sys.executable, "-c", SECOND_PROCESS, db.url, str(notes_case), str(SAVES)],
                    stdout=subprocess.PIPE,
                    text=True,
                )
            workers = [
                threading.Thread(target=save_profiles),
                threading.Thread(target=search_matches),
                threading.Thread(target=add_notes),
                threading.Thread(target=_referrals, args=(db, outcomes, referred_cases)),
            ]
            background = threading.Thread(
                target=_deliveries, args=(node.db, peer, stop, delivery_errors)
            )
            background.start()
            started = time.monotonic()
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join(timeout=4 * SAVES * BOUND)
            assert not any(w.is_alive() for w in workers), "a save hung"
            stop.set()
            background.join(timeout=BOUND + 5)
            if other_process is not None:
                out, _err = other_process.communicate(timeout=4 * SAVES * BOUND)
                for line in out.splitlines():
                    outcome, body = line.split(" ", 1)
                    outcomes.note("note", outcome, body, 0.0)
            elapsed = time.monotonic() - started
            for client in (saver, searcher, writer):
                client.close()
    assert not outcomes.failures, outcomes.failures
    assert not delivery_errors, delivery_errors
    assert outcomes.slowest < BOUND, outcomes.slowest
    for kind in ("profile", "matches", "note", "referral"):
        assert outcomes.landed.get(kind), (kind, outcomes.busy)  # work went on
    with db.unit_of_work() as s:
        # Nothing half-written: exactly the notes that were answered as saved exist.
        notes = s.scalars(select(CaseNote).where(CaseNote.case_id == notes_case)).all()
        assert sorted(n.body for n in notes) == sorted(outcomes.landed["note"])
        # The profile is one of the saved ones, and the person derived from it agrees with it.
        case = s.get(Case, profile_case)
        assert case is not None and case.name in outcomes.landed["profile"]
        person = person_of_case(s, profile_case)
        assert person is not None and case.name in person.properties["name"]
        made = s.scalar(
            select(func.count())
            .select_from(Transition)
            .where(Transition.case_id.in_(referred_cases))
        )
        assert made == len(outcomes.landed["referral"])
        assert s.scalar(select(func.count()).select_from(OutboxEntry)) == 3
        chain = verify_chain(s)
        assert chain.ok and chain.pending == 0, chain
    print(
        json.dumps(
            {
                "engine": db.engine.dialect.name,
                "seconds": round(elapsed, 1),
                "landed": {k: len(v) for k, v in outcomes.landed.items()},
                "busy": outcomes.busy,
                "slowest": round(outcomes.slowest, 2),
            }
        )
    )
    db.dispose()
