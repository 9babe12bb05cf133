"""Cross-border exchange between two nodes on this machine: throughput, delivery latency, and the
cost of sealing and opening envelopes, each beside a baseline measured in the same run (issue 6).

    .venv/bin/python bench/exchange_bench.py [--messages 200] [--crypto-rounds 2000]

EG runs as a real `jusoor serve` process with its own database; MA's side runs in this process on
MA's own database, calling what `jusoor exchange send` and the delivery worker call
(`outbox.send`, `delivery.deliver`). So a message crosses: validation, sealing (Ed25519 +
X25519/ChaCha20-Poly1305), MA's outbox commit, an HTTP POST, EG's checks, decryption, storage and
audit, EG's signed receipt, and MA's receipt check and commit.

- one at a time: send one message, deliver it, next: latency median and p95, and messages/s;
- batch: queue N messages, then one delivery pass: messages/s;
- baseline: a plain unsigned POST of the same bytes to EG's /healthz (no route takes a POST there,
  so the app answers 405 without a database: HTTP and the middleware alone);
- in-process, apart from any I/O: seal (sign + encrypt) and open (verify + decrypt) of the same
  payload, beside `json.dumps` + SHA-256 and `json.loads` + SHA-256 of it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import importlib
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]

QUESTION = (
    "A rubber boat with 41 people left the coast near Zuwara on the night of 3 May and was "
    "intercepted the next day. Passengers named a facilitator known as 'Abu Salem' who collected "
    "payments in a café near the port and arranged the crossing by telephone. Is a person with "
    "this alias, or with the telephone numbers listed in our file, known to your services? "
)


def _content(i: int) -> dict[str, Any]:
    return {
        "subject": f"Facilitator of the Zuwara crossing, query {i}",
        "urgency": "normal",
        "handling_code": "H1",
        "question": QUESTION,
        "purpose": "Identify and prosecute the facilitator of a smuggling route.",
        "case_reference": f"MA-2026-{i:06d}",
    }


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _line(label: str, seconds: list[float], *, n: int, base: list[float] | None = None) -> str:
    total = sum(seconds)
    median, p95 = statistics.median(seconds) * 1000, _percentile(seconds, 0.95) * 1000
    ratio = ""
    if base:
        ratio = (
            f"  ×{statistics.median(seconds) / statistics.median(base):.1f} median, "
            f"×{_percentile(seconds, 0.95) / _percentile(base, 0.95):.1f} p95"
        )
    return f"{label:<34}{n / total:>10.1f}{median:>11.2f}{p95:>11.2f}{ratio}"


def _set_up_nodes(stack: ExitStack, root: Path, messages: int) -> tuple[Any, Any]:
    """MA (set up, not served) and EG (served), each knowing the other's descriptor."""
    sys.path.insert(0, str(ROOT))  # the test harness that starts real nodes
    harness = importlib.import_module("tests.support.nodes")
    make = stack.enter_context(harness.node_group(root))
    ma = make("MA")
    limit = str(max(3000, 10 * messages))  # the inbox's per-peer rate limit is not the subject
    eg = make("EG", env={"JUSOOR_EXCHANGE_INBOX_PER_MINUTE": limit})
    ma.init()
    eg.start()
    for node in (ma, eg):
        node.cli("exchange", "init", "--node-id", node.name)
        node.cli("exchange", "descriptor", "--out", str(root / f"{node.name}.json"))
    for node, other in ((ma, "EG"), (eg, "MA")):
        descriptor = root / f"{other}.json"
        fingerprint = json.loads(descriptor.read_text())["fingerprint"]
        node.cli("exchange", "peers", "add", str(descriptor), "--fingerprint", fingerprint)
    return ma, eg


def _as_node(env: dict[str, str]) -> None:
    """Make this process MA: its settings, its data key."""
    from jusoor.core.config import get_settings
    from jusoor.core.crypto import set_keyring

    for name in [k for k in os.environ if k.startswith("JUSOOR_")]:
        del os.environ[name]
    os.environ.update({k: v for k, v in env.items() if k.startswith("JUSOOR_")})
    get_settings.cache_clear()
    set_keyring(None)


def _exchange(ma: Any, n: int) -> tuple[list[float], float, float, int]:
    """(per-message end-to-end seconds one at a time, batch queue seconds, batch delivery
    seconds, envelope bytes)."""
    from sqlalchemy import func, select

    from jusoor.core.db import Database
    from jusoor.core.permissions import system_actor
    from jusoor.exchange.models import OutboxEntry
    from jusoor.exchange.transport import delivery, outbox

    _as_node(ma.env)
    db = Database(ma.env["JUSOOR_DATABASE_URL"])
    actor = system_actor("bench")
    client = httpx.Client(timeout=60)

    def send(i: int) -> None:
        with db.unit_of_work() as session:
            outbox.send(session, actor=actor, to="EG", kind="information_request", data=_content(i))

    try:
        send(-1)  # warm-up: connections, caches, the first receipt
        delivery.deliver(db, force=True, client=client)
        one_by_one = []
        for i in range(n):
            started = time.perf_counter()
            send(i)
            report = delivery.deliver(db, force=True, client=client)
            one_by_one.append(time.perf_counter() - started)
            if report.delivered != 1:
                raise SystemExit(f"message {i} not delivered: {report.as_dict()}")
        started = time.perf_counter()
        for i in range(n, 2 * n):
            send(i)
        queued = time.perf_counter() - started
        started = time.perf_counter()
        report = delivery.deliver(db, force=True, limit=n, client=client)
        delivered = time.perf_counter() - started
        if report.delivered != n:
            raise SystemExit(f"batch: {report.as_dict()}")
        with db.unit_of_work() as session:
            size = session.scalar(select(func.max(func.length(OutboxEntry.envelope)))) or 0
        return one_by_one, queued, delivered, int(size)
    finally:
        client.close()
        db.dispose()


def _plain_posts(eg: Any, n: int, size: int) -> tuple[list[float], int]:
    body = b"{" + b'"x":"' + b"a" * max(0, size - 8) + b'"}'
    seconds, status = [], 0
    with httpx.Client(timeout=60) as client:
        client.post(eg.url + "/healthz", content=body)  # warm-up
        for _ in range(n):
            started = time.perf_counter()
            status = client.post(
                eg.url + "/healthz", content=body, headers={"content-type": "application/json"}
            ).status_code
            seconds.append(time.perf_counter() - started)
    return seconds, status


def _timed(rounds: int, task: Callable[[], object]) -> list[float]:
    seconds = []
    for _ in range(rounds):
        started = time.perf_counter()
        task()
        seconds.append(time.perf_counter() - started)
    return seconds


def _crypto(rounds: int) -> dict[str, list[float]]:
    from jusoor.exchange.nodes.keys import KeyPair
    from jusoor.exchange.transport.envelope import (
        HEADER_FIELDS,
        check_outer_signature,
        iso,
        open_envelope,
        read_wire,
        seal,
    )

    sender, recipient = KeyPair.generate(), KeyPair.generate()
    created = dt.datetime.now(dt.UTC)
    message_id = str(uuid.uuid4())
    header = {
        "id": message_id,
        "sender": "MA",
        "recipient": "EG",
        "type": "information_request",
        "created": iso(created),
        "expires": iso(created + dt.timedelta(days=30)),
        "handling": "H1",
        "reply_to": None,
        "thread": message_id,
        "sender_key": sender.signing_public,
        "recipient_key": recipient.encryption_public,
    }
    assert set(header) == HEADER_FIELDS
    body = {"content": _content(0), "author": "liaison.ma (liaison_officer)", "subject": "x"}
    payload = {"header": header, "body": body}
    raw = seal(header, body, sender=sender, recipient_key=recipient.encryption_public)
    plain = json.dumps(payload).encode()

    def open_it() -> None:
        wire = read_wire(raw)
        check_outer_signature(wire, sender.signing_public)
        open_envelope(wire, recipient=recipient, sender_signing_key=sender.signing_public)

    return {
        "seal": _timed(
            rounds,
            lambda: seal(header, body, sender=sender, recipient_key=recipient.encryption_public),
        ),
        "dumps": _timed(rounds, lambda: hashlib.sha256(json.dumps(payload).encode()).digest()),
        "open": _timed(rounds, open_it),
        "loads": _timed(rounds, lambda: (json.loads(plain), hashlib.sha256(plain).digest())),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--crypto-rounds", type=int, default=2000)
    args = parser.parse_args()
    n = args.messages
    with tempfile.TemporaryDirectory(prefix="jusoor-exchange-bench-") as tmp, ExitStack() as stack:
        started = time.perf_counter()
        ma, eg = _set_up_nodes(stack, Path(tmp), n)
        setup = time.perf_counter() - started
        one_by_one, queued, delivered, size = _exchange(ma, n)
        plain, status = _plain_posts(eg, n, size)
    crypto = _crypto(args.crypto_rounds)

    print(
        f"{n} messages MA → EG (information requests, envelope {size} bytes); "
        f"two nodes set up in {setup:.0f} s; {os.cpu_count()} CPUs"
    )
    print(f"{'':<34}{'msg/s':>10}{'median ms':>11}{'p95 ms':>11}  vs baseline")
    print(_line(f"plain POST /healthz (HTTP {status})", plain, n=n))
    print(_line("send → receipt, one at a time", one_by_one, n=n, base=plain))
    quarter = max(1, n // 4)
    first, last = one_by_one[:quarter], one_by_one[-quarter:]
    print(
        f"{'':<34}first {quarter}: median {statistics.median(first) * 1000:.1f} ms, "
        f"last {quarter}: median {statistics.median(last) * 1000:.1f} ms"
    )
    batch = (queued + delivered) / n
    print(
        f"{'batch: queue N, one delivery pass':<34}{n / (queued + delivered):>10.1f}"
        f"{'':>22}  queue {n / queued:.0f} msg/s, deliver {n / delivered:.0f} msg/s, "
        f"×{batch / statistics.median(plain):.1f} the plain POST"
    )
    print(f"in-process, {args.crypto_rounds} rounds:")
    for label, key, base in (
        ("json.dumps + SHA-256", "dumps", None),
        ("seal (sign + encrypt)", "seal", "dumps"),
        ("json.loads + SHA-256", "loads", None),
        ("open (verify + decrypt)", "open", "loads"),
    ):
        print(_line(label, crypto[key], n=len(crypto[key]), base=crypto[base] if base else None))
    share = (statistics.median(crypto["seal"]) + statistics.median(crypto["open"])) / (
        statistics.median(one_by_one)
    )
    print(f"seal + open are {share:.1%} of the median end-to-end time of one message")


if __name__ == "__main__":
    main()
