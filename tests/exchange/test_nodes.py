"""Three real nodes (MA, EG, TN) as separate processes on loopback, each with its own database,
driven through the `jusoor` command line and HTTP, as operators and peers would (issue 6).

TN's public address is a proxy in front of it, so that what MA sends TN can be lost, captured,
tampered with and replayed. Envelopes no node of ours would send (from a stranger, or already
expired) are sealed in this process with Jusoor's own envelope code. The nodes live for the
module; a test that stops one starts it again.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.support.faulty_proxy import FaultyProxy, Seen
from tests.support.nodes import (
    Node,
    NodeError,
    NodeFactory,
    node_group,
    start_all,
    wait_until,
)

pytestmark = pytest.mark.nodes

INBOX = "/api/v1/exchange/inbox"
NAMES = ("MA", "EG", "TN")
DELIVERY_DEADLINE = 180.0  # retries back off; the machine is slow and shared


@dataclass
class Network:
    root: Path
    nodes: dict[str, Node]
    proxy: FaultyProxy  # in front of TN
    descriptors: dict[str, Path] = field(default_factory=dict)
    strangers: dict[str, Node] = field(default_factory=dict)  # set up, never peers, never served

    def descriptor(self, name: str) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.descriptors[name].read_text())
        return loaded


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Network]:
    root = tmp_path_factory.mktemp("exchange-nodes")
    proxy = FaultyProxy().start()
    try:
        with node_group(root) as make:
            ma, eg = make("MA"), make("EG")
            tn = make("TN", public_url=proxy.url)
            start_all(ma, eg, tn)
            proxy.forward_to(tn.url)
            net = Network(root, {"MA": ma, "EG": eg, "TN": tn}, proxy)
            for name, node in net.nodes.items():
                node.cli("exchange", "init", "--node-id", name)
                out = root / f"{name}.descriptor.json"
                node.cli("exchange", "descriptor", "--out", str(out))
                net.descriptors[name] = out
            for name, node in net.nodes.items():
                for other in NAMES:
                    if other != name:
                        fingerprint = net.descriptor(other)["fingerprint"]
                        node.cli(
                            "exchange",
                            "peers",
                            "add",
                            str(net.descriptors[other]),
                            "--fingerprint",
                            fingerprint,
                        )
            yield net
    finally:
        proxy.stop()


# --- helpers: what an operator types ----------------------------------------------------------


def send(
    node: Node,
    to: str | None,
    message_type: str,
    subject: str,
    body: str | dict[str, Any],
    *extra: str,
) -> str:
    """`jusoor exchange send` (`to` None for an answer, which goes to the thread's peer); the
    printed message id."""
    suffix = "json" if isinstance(body, dict) else "txt"
    body_file = node.dir / f"body-{uuid.uuid4().hex}.{suffix}"
    body_file.write_text(json.dumps(body) if isinstance(body, dict) else body, encoding="utf-8")
    result = node.cli(
        "exchange",
        "send",
        *(["--to", to] if to else []),
        "--type",
        message_type,
        "--subject",
        subject,
        "--body-file",
        str(body_file),
        *extra,
    )
    lines = [line.strip() for line in result.stdout.splitlines() if line.strip()]
    assert lines, f"send printed no message id: {result.stderr}"
    return lines[-1]


def status(node: Node, message_id: str) -> dict[str, Any]:
    found: dict[str, Any] = node.cli_json("exchange", "status", message_id, "--json")
    return found


def wait_status(
    node: Node, message_id: str, wanted: str, *, pushing: Node | None = None
) -> dict[str, Any]:
    """Poll until the message has `wanted` status on `node`, running a delivery pass on `pushing`
    (the node whose outbox holds what must arrive) between polls, beside its own worker."""
    pusher = pushing or node
    last: dict[str, Any] = {}

    def reached() -> dict[str, Any] | None:
        last.update(status(node, message_id))
        if last["status"] == wanted:
            return last
        last["deliver"] = pusher.cli("exchange", "deliver").stdout
        return None

    try:
        found: dict[str, Any] = wait_until(
            reached, deadline=DELIVERY_DEADLINE, what=f"{message_id} {wanted} on {node.name}"
        )
    except NodeError as exc:
        raise NodeError(
            f"{exc}\nlast: {last}\n{node.log_tail(30)}\n{pusher.log_tail(30)}"
        ) from None
    return found


def inbox_copies(node: Node, message_id: str) -> list[dict[str, Any]]:
    return [
        m for m in node.cli_json("exchange", "inbox", "--all", "--json") if m["id"] == message_id
    ]


def peers(node: Node) -> dict[str, dict[str, Any]]:
    return {row["node_id"]: row for row in node.cli_json("exchange", "peers", "list", "--json")}


def exchange_events(node: Node, after: int = 0) -> list[dict[str, Any]]:
    events = node.cli_json("audit", "list", "--action", "exchange.", "--limit", "1000", "--json")
    return [e for e in events if e["seq"] > after]


def last_seq(node: Node) -> int:
    events = node.cli_json("audit", "list", "--limit", "1", "--json")
    return int(events[0]["seq"]) if events else 0


def mla_body() -> dict[str, Any]:
    """A request with every element UNTOC art. 18(15) requires."""
    return {
        "urgency": "urgent",
        "requesting_authority": "Ministry of Justice, Directorate of Criminal Affairs and Pardons",
        "proceeding_nature": "Criminal investigation into trafficking in persons for forced labour",
        "conducting_authority": "Investigating judge, Court of First Instance of Tangier",
        "facts_summary": "Twelve workers were recruited in Egypt with false job offers and held.",
        "assistance_kind": "evidence_statements",
        "assistance_sought": "Hear the recruiter named below as a witness; send the transcript.",
        "persons_concerned": [
            {"name": "Karim Mansour", "location": "Alexandria", "nationality": "EG"}
        ],
        "purpose": "Evidence for the trial of the network before the Tangier court.",
    }


def information_request_body(question: str) -> dict[str, Any]:
    return {
        "urgency": "normal",
        "handling_code": "H1",
        "question": question,
        "purpose": "Identify the facilitator of a smuggling route.",
    }


# --- the harness itself -------------------------------------------------------------------------


def _get_through(proxy: FaultyProxy, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", int(proxy.url.rsplit(":", 1)[1]), timeout=60)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    finally:
        conn.close()


def test_a_node_restarts_on_its_address_and_the_proxy_loses_what_it_is_told(
    nodes: NodeFactory,
) -> None:
    proxy = FaultyProxy().start()
    try:
        node = nodes("MR", public_url=proxy.url).start()
        proxy.forward_to(node.url)
        assert node.public_url == proxy.url != node.url
        proxy.drop_responses = 1
        with pytest.raises(http.client.RemoteDisconnected):
            _get_through(proxy, "/healthz")
        assert _get_through(proxy, "/healthz") == 200
        assert [(s.status, s.dropped) for s in proxy.requests_to("/healthz")] == [
            (200, True),
            (200, False),
        ]
        port = node.port
        node.restart()
        assert node.port == port and node.request("GET", "/healthz")[0] == 200
        node.stop()
        assert not node.running
        with pytest.raises(OSError):
            node.request("GET", "/healthz", timeout=5)
    finally:
        proxy.stop()


# --- (a) descriptors ----------------------------------------------------------------------------


def test_descriptors_are_exchanged_both_ways_between_three_nodes(network: Network) -> None:
    for name in NAMES:
        known = peers(network.nodes[name])
        assert set(known) == set(NAMES) - {name}
        for other, row in known.items():
            theirs = network.descriptor(other)
            assert row["fingerprint"] == theirs["fingerprint"]
            assert row["endpoint"] == network.nodes[other].public_url
    assert peers(network.nodes["MA"])["TN"]["endpoint"] == network.proxy.url


def _fresh_descriptor(network: Network) -> tuple[Path, dict[str, Any]]:
    """The descriptor of a node MA has never met (LY), made by LY's own CLI."""
    ly = network.strangers.get("LY")
    if ly is None:
        ly = Node("LY", network.root)
        ly.init()
        ly.cli("exchange", "init", "--node-id", "LY")
        network.strangers["LY"] = ly
        out = network.root / "LY.descriptor.json"
        ly.cli("exchange", "descriptor", "--out", str(out))
        network.descriptors["LY"] = out
    return network.descriptors["LY"], network.descriptor("LY")


def test_a_descriptor_whose_fingerprint_does_not_match_is_refused(network: Network) -> None:
    ma = network.nodes["MA"]
    path, descriptor = _fresh_descriptor(network)
    wrong = ("0" if descriptor["fingerprint"][0] != "0" else "1") + descriptor["fingerprint"][1:]
    result = ma.cli("exchange", "peers", "add", str(path), "--fingerprint", wrong, check=False)
    assert result.returncode == 1
    assert "fingerprint" in (result.stdout + result.stderr).lower()
    assert "LY" not in peers(ma)


@pytest.mark.parametrize(
    ("field_name", "value"),
    [("endpoint", "http://203.0.113.9:8000"), ("encryption_key", None), ("node_id", "DZ")],
)
def test_a_tampered_descriptor_file_is_refused(
    network: Network, field_name: str, value: str | None
) -> None:
    ma = network.nodes["MA"]
    _, descriptor = _fresh_descriptor(network)
    # The encryption key of another node: an attacker who would read what MA sends LY.
    descriptor[field_name] = value or network.descriptor("EG")["encryption_key"]
    tampered = network.root / f"LY.tampered.{field_name}.json"
    tampered.write_text(json.dumps(descriptor))
    result = ma.cli(
        "exchange", "peers", "add", str(tampered), "--fingerprint", descriptor["fingerprint"],
        check=False,
    )  # fmt: skip
    assert result.returncode == 1, result.stdout
    assert (result.stdout + result.stderr).strip()
    assert not {"LY", "DZ"} & set(peers(ma))


# --- (b) an MLA request answered ----------------------------------------------------------------


def test_an_mla_request_is_received_and_answered(network: Network) -> None:
    ma, eg = network.nodes["MA"], network.nodes["EG"]
    request_id = send(ma, "EG", "mla_request", "Recruiter of the Tangier workers", mla_body())
    wait_status(ma, request_id, "delivered")
    (received,) = inbox_copies(eg, request_id)
    assert received["from"] == "MA"
    assert received["type"] == "mla_request"
    assert received["subject"] == "Recruiter of the Tangier workers"

    reply_id = send(
        eg, None, "reply", "Recruiter of the Tangier workers",
        "The witness was heard on 12 November; the transcript is attached to the file.",
        "--reply-to", request_id,
    )  # fmt: skip
    assert reply_id != request_id
    wait_status(ma, request_id, "answered", pushing=eg)
    (reply,) = inbox_copies(ma, reply_id)
    assert reply["from"] == "EG" and reply["type"] == "reply"


def test_an_mla_request_missing_an_element_of_article_18_15_is_refused(network: Network) -> None:
    ma = network.nodes["MA"]
    body = mla_body()
    del body["purpose"]
    body_file = ma.dir / "incomplete-mla.json"
    body_file.write_text(json.dumps(body))
    result = ma.cli(
        "exchange", "send", "--to", "EG", "--type", "mla_request", "--subject", "Incomplete",
        "--body-file", str(body_file), check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert "purpose" in (result.stdout + result.stderr).lower()


# --- (d) the recipient is down ------------------------------------------------------------------


def test_a_message_to_a_stopped_node_is_delivered_once_after_it_restarts(network: Network) -> None:
    ma, eg = network.nodes["MA"], network.nodes["EG"]
    eg.stop()
    try:
        message_id = send(
            ma, "EG", "information_request", "Boat that left Zuwara on 3 May",
            information_request_body("Who registered the boat that left Zuwara on 3 May?"),
        )  # fmt: skip
        ma.cli("exchange", "deliver")
        pending = status(ma, message_id)
        assert pending["status"] == "sent"
        assert pending["attempts"] >= 1
    finally:
        eg.start()
    wait_status(ma, message_id, "delivered")
    assert len(inbox_copies(eg, message_id)) == 1
    ma.cli("exchange", "deliver")  # nothing left to send: still exactly once
    assert len(inbox_copies(eg, message_id)) == 1
    assert status(ma, message_id)["status"] == "delivered"


# --- (e) a receipt lost on the way back ---------------------------------------------------------


def _posts_of(proxy: FaultyProxy, message_id: str) -> list[Seen]:
    return [s for s in proxy.requests_to(INBOX) if message_id.encode() in s.body]


def test_a_lost_receipt_makes_the_sender_resend_without_a_duplicate(network: Network) -> None:
    ma, tn, proxy = network.nodes["MA"], network.nodes["TN"], network.proxy
    proxy.drop_responses = 1_000_000  # every receipt lost until the test says otherwise
    try:
        message_id = send(
            ma, "TN", "information_request", "Driver of the Ras Jedir crossing",
            information_request_body("Is the driver known to your services?"),
        )  # fmt: skip
        ma.cli("exchange", "deliver")
        wait_until(lambda: _posts_of(proxy, message_id), what="a first attempt through the proxy")
        assert all(s.dropped and s.status == 200 for s in _posts_of(proxy, message_id))
        assert status(ma, message_id)["status"] == "sent"  # no receipt, so not delivered
        assert len(inbox_copies(tn, message_id)) == 1  # but TN has it
    finally:
        proxy.drop_responses = 0
    wait_status(ma, message_id, "delivered")
    posts = _posts_of(proxy, message_id)
    assert len(posts) >= 2 and not posts[-1].dropped
    assert len(inbox_copies(tn, message_id)) == 1


# --- (f) envelopes that fail a check ------------------------------------------------------------


@contextmanager
def captured_envelope(network: Network, subject: str) -> Iterator[tuple[str, bytes]]:
    """(id, bytes) of an envelope MA really sealed for TN, which TN has not seen: while inside,
    MA's attempts are lost on the way in, and the test talks to TN directly."""
    ma, proxy = network.nodes["MA"], network.proxy
    proxy.blackhole = True
    try:
        message_id = send(
            ma, "TN", "information_request", subject, information_request_body(subject + "?")
        )
        ma.cli("exchange", "deliver")
        posts = wait_until(lambda: _posts_of(proxy, message_id), what="a captured envelope")
        yield message_id, posts[0].body
    finally:
        proxy.blackhole = False


def _tamper_ciphertext(raw: bytes) -> bytes:
    from jusoor.exchange.transport.canonical import b64, canonical, unb64

    wire = json.loads(raw)
    blob = bytearray(unb64(wire["ciphertext"]))
    blob[len(blob) // 2] ^= 0x01
    wire["ciphertext"] = b64(bytes(blob))
    return canonical(wire)


def _tamper_header(raw: bytes) -> bytes:
    wire = json.loads(raw)
    wire["header"]["handling"] = "H0" if wire["header"].get("handling") != "H0" else "H2"
    return json.dumps(wire).encode()


def _refused(tn: Node, body: bytes) -> dict[str, Any]:
    code, answer = tn.post_json(INBOX, body)
    assert 400 <= code < 500, (code, answer)
    assert answer["error"]["code"] and answer["error"]["message"]
    error: dict[str, Any] = answer["error"]
    return error


def _audited(node: Node, after: int, message_id: str) -> list[tuple[str, str, str | None]]:
    """(action, outcome, refusal code) of the exchange events after `after` naming the message."""
    return [
        (e["action"], e["outcome"], (e["details"] or {}).get("code"))
        for e in exchange_events(node, after)
        if e["object_id"] == message_id
    ]


def test_a_tampered_envelope_is_refused_and_audited(network: Network) -> None:
    tn = network.nodes["TN"]
    with captured_envelope(network, "Tampered in transit") as (message_id, raw):
        before = last_seq(tn)
        for tampered in (_tamper_ciphertext(raw), _tamper_header(raw)):
            assert _refused(tn, tampered)["code"] == "envelope_signature"
        assert inbox_copies(tn, message_id) == []
        rejected = ("exchange.envelope.rejected", "refused", "signature")
        assert _audited(tn, before, message_id) == [rejected, rejected]
        # The untouched envelope is accepted: it was the tampering that was refused.
        code, answer = tn.post_json(INBOX, raw)
        assert code == 200, answer
        assert len(inbox_copies(tn, message_id)) == 1


def test_a_replayed_envelope_is_not_applied_twice(network: Network) -> None:
    ma, tn = network.nodes["MA"], network.nodes["TN"]
    with captured_envelope(network, "Replayed by a third party") as (message_id, raw):
        code, first_receipt = tn.post_json(INBOX, raw)
        assert code == 200
        before = last_seq(tn)
        # The same bytes again: the first receipt again (a sender whose receipt was lost needs
        # it), and nothing applied twice.
        assert tn.post_json(INBOX, raw) == (200, first_receipt)
        assert len(inbox_copies(tn, message_id)) == 1
        replayed = ("exchange.envelope.replayed", "refused", None)
        assert _audited(tn, before, message_id) == [replayed]
        # The same id in other bytes (here re-spaced, still validly signed) is refused.
        respaced = json.dumps(json.loads(raw), indent=1).encode()
        assert respaced != raw
        assert _refused(tn, respaced)["code"] == "envelope_replay"
        assert len(inbox_copies(tn, message_id)) == 1
    # MA's own retries (through the proxy) end with a receipt, still without a second copy.
    wait_status(ma, message_id, "delivered")
    assert len(inbox_copies(tn, message_id)) == 1


@dataclass
class Impostor:
    """Keys and a self-signed descriptor of a node made in this process, not by Jusoor's CLI."""

    node_id: str

    def __post_init__(self) -> None:
        from jusoor.exchange.nodes.keys import KeyPair

        self.keys = KeyPair.generate()

    def descriptor(self) -> dict[str, Any]:
        from jusoor.exchange.nodes.keys import fingerprint
        from jusoor.exchange.nodes.node import Identity, descriptor_of

        keys = self.keys
        print_ = fingerprint(self.node_id, keys.signing_public, keys.encryption_public)
        ident = Identity(self.node_id, f"Jusoor {self.node_id}", keys, print_)
        return descriptor_of(ident, endpoint="http://127.0.0.1:9")

    def envelope(self, to: dict[str, Any], *, created: dt.datetime, expires: dt.datetime) -> bytes:
        from jusoor.exchange.transport.envelope import iso, seal

        message_id = str(uuid.uuid4())
        header = {
            "id": message_id,
            "sender": self.node_id,
            "recipient": to["node_id"],
            "type": "information_request",
            "created": iso(created),
            "expires": iso(expires),
            "handling": "H1",
            "reply_to": None,
            "thread": message_id,
            "sender_key": self.keys.signing_public,
            "recipient_key": to["encryption_key"],
        }
        content = {"subject": f"From {self.node_id}", **information_request_body("Known?")}
        body = {"content": content, "author": "liaison", "subject": content["subject"]}
        return seal(header, body, sender=self.keys, recipient_key=to["encryption_key"])


def _id_of(raw: bytes) -> str:
    return str(json.loads(raw)["header"]["id"])


def test_an_envelope_from_an_unknown_sender_is_refused_and_audited(network: Network) -> None:
    tn = network.nodes["TN"]
    stranger = Impostor("DZ")  # TN never imported its descriptor
    now = dt.datetime.now(dt.UTC)
    raw = stranger.envelope(network.descriptor("TN"), created=now, expires=now + dt.timedelta(1))
    before = last_seq(tn)
    assert _refused(tn, raw)["code"] == "envelope_unknown_sender"
    assert inbox_copies(tn, _id_of(raw)) == []
    assert _audited(tn, before, _id_of(raw)) == [
        ("exchange.envelope.rejected", "refused", "unknown_sender")
    ]


def test_an_expired_envelope_is_refused_and_audited(network: Network) -> None:
    tn = network.nodes["TN"]
    peer = Impostor("JO")
    descriptor = peer.descriptor()
    path = network.root / "JO.descriptor.json"
    path.write_text(json.dumps(descriptor))
    tn.cli("exchange", "peers", "add", str(path), "--fingerprint", descriptor["fingerprint"])
    now = dt.datetime.now(dt.UTC)
    to_tn = network.descriptor("TN")
    expired = peer.envelope(to_tn, created=now - dt.timedelta(2), expires=now - dt.timedelta(1))
    before = last_seq(tn)
    assert _refused(tn, expired)["code"] == "envelope_expired"
    assert inbox_copies(tn, _id_of(expired)) == []
    assert _audited(tn, before, _id_of(expired)) == [
        ("exchange.envelope.rejected", "refused", "expired")
    ]
    # The same peer, in time, is heard: the refusal was for the expiry alone.
    fresh = peer.envelope(to_tn, created=now, expires=now + dt.timedelta(1))
    code, answer = tn.post_json(INBOX, fresh)
    assert code == 200, answer
    assert len(inbox_copies(tn, _id_of(fresh))) == 1


# --- (c) a transnational referral ---------------------------------------------------------------


def test_a_transnational_referral_needs_consent_and_is_accepted(network: Network) -> None:
    ma, eg = network.nodes["MA"], network.nodes["EG"]
    ma.cli("init", "--demo")  # agencies and case workers (JUSOOR_DEMO_CASES=0: no cases)
    case = ma.cli_json(
        "cases", "open", "--agency", "ma-ngo", "--owner", "caseworker.ma", "--gender", "feminine",
        "--age", "24", "--adult", "--citizenship", "EG", "--json",
    )  # fmt: skip
    refer = (
        "exchange", "refer", case["reference"], "--to", "EG", "--share", "gender",
        "--share", "age", "--service", "shelter", "--summary", "She asks to return to Alexandria.",
        "--destination", "Alexandria",
    )  # fmt: skip
    refused = ma.cli(*refer, check=False)
    assert refused.returncode == 1
    assert "consent" in (refused.stdout + refused.stderr).lower()
    ma.cli("cases", "consent", case["reference"], "--purpose", "cross_border_transfer",
           "--language", "ar")  # fmt: skip
    referral_id = ma.cli(*refer).stdout.strip().splitlines()[-1]
    wait_status(ma, referral_id, "delivered")

    (received,) = inbox_copies(eg, referral_id)
    assert received["from"] == "MA" and received["type"] == "transnational_referral"
    content = eg.cli_json("exchange", "show", referral_id)["content"]
    assert set(content["shared"]) == {"gender", "age"}  # only the fields ticked
    assert content["case_reference"] == case["reference"]

    # Accepting takes the person in: EG opens a case for one of its case workers (issue 19).
    eg.cli("init", "--demo")
    send(
        eg, None, "acknowledgement", "Referral accepted",
        {"decision": "accepted", "note": "A shelter place in Alexandria is ready."},
        "--reply-to", referral_id, "--case-worker", "caseworker.eg",
    )  # fmt: skip
    taken = eg.cli_json("cases", "list", "--agency", "eg-ngo", "--json")["cases"]
    assert [c["country"] for c in taken] == ["EG"]
    accepted = wait_status(ma, referral_id, "acknowledged", pushing=eg)
    assert accepted["decision"] == "accepted"
    send(
        eg, None, "progress_report", "Return",
        {"note": "She returned to Alexandria and is in the shelter.", "referral_stage": "returned"},
        "--reply-to", referral_id,
    )  # fmt: skip
    wait_status(ma, referral_id, "in_progress", pushing=eg)
