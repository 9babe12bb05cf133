"""Demo exchange: this node's identity, three demo peers, received requests and contact points.

`serve --init-demo` runs the peers (Egypt, Tunisia, Mauritania) as real nodes (`jusoor.cli.
demo_peers`): each seals its demo requests with its own keys (`queue_requests`) and this node
receives them through the real inbox (`jusoor.exchange.transport.inbox.receive`), with every check
and audit event a delivery has. Without running peers (`jusoor demo load`, tests), the peers' keys
are made here, used to seal the same requests, and thrown away.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.core.config import get_settings
from jusoor.core.db import utcnow
from jusoor.core.errors import Invalid
from jusoor.core.ids import uuid7
from jusoor.core.permissions import Actor
from jusoor.exchange import directory
from jusoor.exchange.models import Message, Peer
from jusoor.exchange.nodes import node, peers
from jusoor.exchange.nodes.keys import KeyPair, fingerprint
from jusoor.exchange.request.validation import subject_of, validate_body
from jusoor.exchange.transport import inbox, outbox
from jusoor.exchange.transport.envelope import seal
from jusoor.exchange.transport.sealing import header_for
from jusoor.exchange.vocabulary import MessageType
from jusoor.synth.names import random_person_name

DEMO_PEERS = {"EG": 8712, "TN": 8716, "MR": 8722}


@dataclass(frozen=True)
class _DemoPeer:
    ident: node.Identity
    peer: Peer


def _demo_node_id() -> str:
    try:
        return node.check_node_id(get_settings().node_id)
    except Invalid:
        return "MA"


def _make_peer(session: Session, actor: Actor, node_id: str, port: int) -> _DemoPeer:
    keys = KeyPair.generate()
    ident = node.Identity(
        node_id,
        f"Jusoor {node_id} (demo)",
        keys,
        fingerprint(node_id, keys.signing_public, keys.encryption_public),
    )
    doc = node.descriptor_of(ident, endpoint=f"http://127.0.0.1:{port}")
    return _DemoPeer(ident, peers.add_peer(session, actor=actor, descriptor=doc))


@dataclass(frozen=True)
class DemoRequest:
    """A request a demo peer sends this node: its type, content and age."""

    kind: MessageType
    content: dict[str, Any]
    days_ago: float


def _seal(own: node.Identity, sender: _DemoPeer, request: DemoRequest) -> bytes:
    created = (utcnow() - dt.timedelta(days=request.days_ago)).replace(microsecond=0)
    message_id = uuid7()
    own_peer = Peer(node_id=own.node_id, encryption_key=own.keys.encryption_public)
    content = request.content
    header = header_for(
        message_id=message_id,
        ident=sender.ident,
        peer=own_peer,
        kind=request.kind,
        created=created,
        expires=created + dt.timedelta(days=60),
        handling=content.get("handling_code"),
        reply_to=None,
        thread=message_id,
    )
    author = "liaison (liaison_officer)"
    return seal(
        header,
        {"content": content, "author": author, "subject": content.get("subject", "")},
        sender=sender.ident.keys,
        recipient_key=own.keys.encryption_public,
    )


def receive(session: Session, envelopes: Sequence[bytes]) -> None:
    """Take the peers' demo envelopes through the real inbox (every check and audit event a
    delivery has); the same bytes posted again later get their first receipt back."""
    for raw in envelopes:
        answer = inbox.receive(session, raw, client="demo")
        if answer.status != 200:  # the demo must show what the real path accepts
            raise RuntimeError(f"demo envelope refused: {answer.payload}")


def _person(rng: random.Random, country: str) -> str:
    return random_person_name(rng, country=country).latin(
        "maghrebi_french" if country in {"MA", "TN", "DZ", "MR"} else "egyptian"
    )


def own_identity(session: Session, *, actor: Actor) -> node.Identity:
    """The demo node's exchange identity, made on first use (JUSOOR_NODE_ID, else MA)."""
    if node.has_identity(session):
        return node.identity(session)
    return node.init_node(session, actor=actor, node_id=_demo_node_id(), name="")


def load_if_empty(
    session: Session, *, actor: Actor, seed: int = 2026, arrived: Sequence[bytes] | None = None
) -> bool:
    """Set up the demo node's exchange once; False when it already has peers.

    `arrived`: the envelopes real demo peers sealed for this node (`jusoor demo join`, started
    by `serve --init-demo`), already imported as peers. Without them, three peers are made here
    with keys that are thrown away, so that the demo holds received requests all the same; their
    addresses answer nobody, and answers to them stay in the outbox."""
    if arrived is None and session.scalars(select(Peer).limit(1)).first() is not None:
        return False
    own = own_identity(session, actor=actor)
    if arrived is None:
        made = {
            code: _make_peer(session, actor, code, port)
            for code, port in DEMO_PEERS.items()
            if code != own.node_id
        }
        envelopes = [
            _seal(own, made[code], request)
            for code in made
            for request in demo_requests(code, seed=seed)
        ]
        known = [peer.peer for peer in made.values()]
    else:
        envelopes = list(arrived)
        known = list(session.scalars(select(Peer).where(Peer.active.is_(True))))
    receive(session, envelopes)
    _contacts(session, actor, own.node_id, known)
    return True


def demo_requests(code: str, *, seed: int = 2026) -> list[DemoRequest]:
    """The requests the demo peer `code` (EG, TN, MR) sends the demo node."""
    rng = random.Random(f"{seed}-{code}")  # noqa: S311 - synthetic data, not secrets
    today = utcnow().date()
    if code == "EG":
        return [
            DemoRequest(
                MessageType.mla_request,
                {
                    "subject": "Bank records of a recruitment agency in Casablanca",
                    "urgency": "urgent",
                    "deadline": (today + dt.timedelta(days=2)).isoformat(),
                    "language": "ar",
                    "requesting_authority": "Public Prosecution, International Cooperation Office, Cairo",
                    "proceeding_nature": "Criminal investigation of trafficking in persons for forced labour (Law 64/2010)",
                    "conducting_authority": "Supreme State Security Prosecution, Cairo: investigating prosecutor",
                    "facts_summary": "Between 2025 and 2026 at least 14 Egyptian women were recruited through social media for domestic work abroad, transited through Casablanca, and had their passports taken on arrival. Payments for their travel were made to an account held in Morocco.",
                    "assistance_kind": "documents_records",
                    "assistance_sought": "Certified copies of the account-opening documents and statements for 2025-2026 of the account described in the annex, and the identity of its holders.",
                    "procedure": "Certified copies with a certificate of authenticity; please do not inform the account holder.",
                    "persons_concerned": [
                        {"name": _person(rng, "EG"), "location": "Casablanca", "nationality": "EG"}
                    ],
                    "purpose": "Evidence for the prosecution of the recruiters before the Cairo criminal court.",
                },
                days_ago=3,
            ),
            DemoRequest(
                MessageType.transnational_referral,
                {
                    "subject": "Return of a Moroccan woman identified as a victim in Cairo",
                    "urgency": "normal",
                    "case_reference": "EG-2026-000417",
                    "shared": {
                        "gender": "feminine",
                        "age_band": "24-26",
                        "citizenship": ["MA"],
                        "languages": ["ar"],
                        "forms_of_exploitation": ["domestic_servitude"],
                    },
                    "services_requested": ["shelter", "psychosocial", "return_reintegration"],
                    "destination": "Beni Mellal",
                    "summary": "Identified on 2 November in Cairo; wishes to return to her family in Beni Mellal. Needs a shelter place on arrival and psychosocial follow-up.",
                    "consent_id": str(uuid7()),
                },
                days_ago=1,
            ),
        ]
    if code == "TN":
        return [
            DemoRequest(
                MessageType.information_request,
                {
                    "subject": "Phone number seen in three smuggling cases",
                    "handling_code": "H1",
                    "deadline": (today - dt.timedelta(days=4)).isoformat(),
                    "question": "Is the number +212 6 61 23 45 78 known to your services? It was found in the phones of three smugglers arrested in Sfax.",
                    "purpose": "Identify the organiser of sea crossings from Sfax.",
                    "case_reference": "TN-2026-000093",
                },
                days_ago=9,
            )
        ]
    if code == "MR":
        return [
            DemoRequest(
                MessageType.spontaneous_information,
                {
                    "subject": "Recruiters travelling to Dakhla",
                    "handling_code": "H2",
                    "information": f"Two recruiters known to us, {_person(rng, 'MR')} and {_person(rng, 'MR')}, left Nouakchott by road for Dakhla on 20 November with six young women who said they had jobs in hotels.",
                    "conditions_of_use": "For police use only; not to be disclosed to the persons concerned.",
                    "source_evaluation": "B",
                    "information_evaluation": "2",
                },
                days_ago=0.5,
            )
        ]
    return []


def queue_requests(session: Session, *, actor: Actor, to: str, seed: int = 2026) -> list[Message]:
    """On a demo peer: queue its demo requests to the demo node `to`, dated as `demo_requests`
    says, through the real outbox (sealed once with this node's own keys)."""
    ident = node.identity(session)
    hub = peers.active_peer(session, to)
    sent = []
    for request in demo_requests(ident.node_id[:2], seed=seed):
        # Checked as when it was written: the overdue demo request's deadline has passed since.
        undated = {k: v for k, v in request.content.items() if k != "deadline"}
        content = validate_body(request.kind, undated)
        if "deadline" in request.content:
            content["deadline"] = request.content["deadline"]
        created = (utcnow() - dt.timedelta(days=request.days_ago)).replace(microsecond=0)
        sent.append(
            outbox.queue(
                session,
                actor=actor,
                ident=ident,
                peer=hub,
                kind=request.kind,
                content=content,
                subject=subject_of(request.kind, content) or "",
                thread=None,
                created=created,
            )
        )
    return sent


_CONTACTS: dict[str, list[dict[str, Any]]] = {
    "MA": [
        {
            "kind": "central_authority_mla",
            "authority": "Ministry of Justice",
            "unit": "Directorate of Criminal Affairs and Pardons, International Cooperation",
            "email": "entraide@justice.ma.example",
            "phone": "+212537000101",
            "languages": ["ar", "fr"],
            "request_types": ["mla_request"],
        },
        {
            "kind": "nrm_focal_point",
            "authority": "National Commission against Trafficking in Persons",
            "unit": "Referral focal point",
            "email": "orientation@cnlctp.ma.example",
            "phone": "+212537000202",
            "languages": ["ar", "fr", "en"],
            "request_types": ["transnational_referral"],
        },
        {
            "kind": "police_liaison",
            "authority": "General Directorate of National Security",
            "unit": "INTERPOL National Central Bureau, Rabat",
            "email": "bcn@police.ma.example",
            "phone": "+212537000303",
            "languages": ["ar", "fr", "en"],
            "request_types": ["information_request", "spontaneous_information"],
        },
    ],
    "EG": [
        {
            "kind": "central_authority_mla",
            "authority": "Public Prosecution",
            "unit": "International Cooperation Office",
            "email": "mla@pp.eg.example",
            "phone": "+20225000101",
            "languages": ["ar", "en"],
            "request_types": ["mla_request"],
        },
        {
            "kind": "nrm_focal_point",
            "authority": "National Coordinating Committee for Combating and Preventing Illegal Migration and Trafficking in Persons",
            "email": "nrm@nccpim.eg.example",
            "languages": ["ar", "en"],
            "request_types": ["transnational_referral"],
        },
    ],
    "TN": [
        {
            "kind": "nrm_focal_point",
            "authority": "National Authority against Trafficking in Persons",
            "email": "orientation@inltp.tn.example",
            "phone": "+21671000101",
            "languages": ["ar", "fr"],
            "request_types": ["transnational_referral"],
        },
        {
            "kind": "police_liaison",
            "authority": "Ministry of the Interior",
            "unit": "INTERPOL National Central Bureau, Tunis",
            "email": "bcn@interieur.tn.example",
            "languages": ["ar", "fr"],
            "request_types": ["information_request", "spontaneous_information"],
        },
    ],
    "MR": [
        {
            "kind": "central_authority_mla",
            "authority": "Ministry of Justice",
            "unit": "Directorate of Criminal Affairs",
            "email": "entraide@justice.mr.example",
            "languages": ["ar", "fr"],
            "request_types": ["mla_request"],
        },
    ],
}


def _contacts(session: Session, actor: Actor, own: str, known: Sequence[Peer]) -> None:
    for entry in _CONTACTS.get(own[:2], []):
        directory.add_contact(session, actor=actor, country=own[:2], data=entry)
    for peer in known:
        directory.replace_from_peer(session, peer=peer, contacts=_CONTACTS.get(peer.node_id, []))
    # One request of ours to Tunisia: delivered when its demo node runs, retried until then.
    if any(peer.node_id == "TN" for peer in known):
        outbox.send(
            session,
            actor=actor,
            to="TN",
            kind=MessageType.information_request,
            data={
                "subject": "Criminal records of two suspects",
                "question": "Do your services hold criminal records for the two persons named in the annex, arrested in Tangier on 14 November?",
                "purpose": "Investigation of a smuggling network (Tangier prosecution, case 2026/311).",
                "deadline": (utcnow().date() + dt.timedelta(days=10)).isoformat(),
            },
        )
