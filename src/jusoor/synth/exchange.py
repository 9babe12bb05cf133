"""Demo exchange: this node's identity, three demo peers, received requests and contact points.

The demo peers' keys are made here, used to seal the demo's incoming envelopes, and thrown away:
the envelopes go through the real inbox (`jusoor.exchange.transport.inbox.receive`), with every check and
audit event a real delivery has. Replies to the demo peers wait in the outbox and are retried,
since no node answers at their addresses; start real nodes to see deliveries (docs/EXCHANGE.md).
"""

from __future__ import annotations

import datetime as dt
import random
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
from jusoor.exchange.models import Peer
from jusoor.exchange.nodes import node, peers
from jusoor.exchange.nodes.keys import KeyPair, fingerprint
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


def _receive(
    session: Session,
    own: node.Identity,
    sender: _DemoPeer,
    kind: MessageType,
    content: dict[str, Any],
    *,
    days_ago: float,
    thread: Any = None,
) -> str:
    created = (utcnow() - dt.timedelta(days=days_ago)).replace(microsecond=0)
    message_id = uuid7()
    own_peer = Peer(node_id=own.node_id, encryption_key=own.keys.encryption_public)
    header = header_for(
        message_id=message_id,
        ident=sender.ident,
        peer=own_peer,
        kind=kind,
        created=created,
        expires=created + dt.timedelta(days=60),
        handling=content.get("handling_code"),
        reply_to=thread,
        thread=thread or message_id,
    )
    author = "liaison (liaison_officer)"
    raw = seal(
        header,
        {"content": content, "author": author, "subject": content.get("subject", "")},
        sender=sender.ident.keys,
        recipient_key=own.keys.encryption_public,
    )
    answer = inbox.receive(session, raw, client="demo")
    if answer.status != 200:  # the demo must show what the real path accepts
        raise RuntimeError(f"demo envelope refused: {answer.payload}")
    return str(message_id)


def _person(rng: random.Random, country: str) -> str:
    return random_person_name(rng, country=country).latin(
        "maghrebi_french" if country in {"MA", "TN", "DZ", "MR"} else "egyptian"
    )


def load_if_empty(session: Session, *, actor: Actor, seed: int = 2026) -> bool:
    """Set up the demo node's exchange once; False when it already has peers."""
    if session.scalars(select(Peer).limit(1)).first() is not None:
        return False
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
    if node.has_identity(session):
        own = node.identity(session)
    else:
        own = node.init_node(session, actor=actor, node_id=_demo_node_id(), name="")
    demo = {
        code: _make_peer(session, actor, code, port)
        for code, port in DEMO_PEERS.items()
        if code != own.node_id
    }
    today = utcnow().date()
    eg, tn, mr = demo.get("EG"), demo.get("TN"), demo.get("MR")
    if eg is not None:
        _receive(
            session,
            own,
            eg,
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
        )
        _receive(
            session,
            own,
            eg,
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
        )
    if tn is not None:
        _receive(
            session,
            own,
            tn,
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
    if mr is not None:
        _receive(
            session,
            own,
            mr,
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
    _contacts(session, actor, own.node_id, demo)
    return True


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


def _contacts(session: Session, actor: Actor, own: str, demo: dict[str, _DemoPeer]) -> None:
    for entry in _CONTACTS.get(own[:2], []):
        directory.add_contact(session, actor=actor, country=own[:2], data=entry)
    for code, peer in demo.items():
        directory.replace_from_peer(session, peer=peer.peer, contacts=_CONTACTS.get(code, []))
    # One request of ours waits for a peer that never answers: its retries show in the outbox.
    if "TN" in demo:
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
