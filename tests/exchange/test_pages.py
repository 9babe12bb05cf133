"""Exchange pages as a liaison officer, an administrator and a case worker use them (both engines).

The node is MA; its one peer, TN, exists only as a key pair that seals envelopes delivered through
the real inbox (`inbox.receive`). Nothing answers at TN's address, so what MA sends stays "sent".
"""

from __future__ import annotations

import datetime as dt
import html
import uuid
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from jusoor.audit.models import AuditEvent
from jusoor.cases.consent import give_consent
from jusoor.cases.schemas import ConsentCreate
from jusoor.cases.vocabulary import ConsentPurpose
from jusoor.core.db import Database, utcnow
from jusoor.core.i18n import gettext, use_locale
from jusoor.core.ids import uuid7
from jusoor.core.permissions import system_actor
from jusoor.exchange.models import Message, OutboxEntry, Peer
from jusoor.exchange.nodes.keys import KeyPair, fingerprint
from jusoor.exchange.nodes.node import Identity, descriptor_of, identity, init_node
from jusoor.exchange.nodes.peers import add_peer
from jusoor.exchange.request.labels import ELEMENTS
from jusoor.exchange.transport import inbox
from jusoor.exchange.transport.envelope import seal
from jusoor.exchange.transport.sealing import header_for
from jusoor.exchange.vocabulary import Direction, MessageStatus, MessageType
from tests.conftest import DEMO_PASSWORD
from tests.referrals.support import actor, open_case
from tests.support.web import login, post_form

OPERATOR = system_actor("test")
QUESTION = "Who holds the line +216 20 123 456, and since when?"
TOMORROW = (dt.date.today() + dt.timedelta(days=1)).isoformat()


def start_node(db: Database) -> Identity:
    """MA with its keys, and TN as its peer: TN's own identity, to seal what TN sends."""
    keys = KeyPair.generate()
    tn = Identity(
        "TN",
        "Jusoor Tunisia",
        keys,
        fingerprint("TN", keys.signing_public, keys.encryption_public),
    )
    with db.unit_of_work() as session:
        init_node(session, actor=OPERATOR, node_id="MA")
        doc = descriptor_of(tn, endpoint="http://127.0.0.1:9")
        add_peer(session, actor=OPERATOR, descriptor=doc, expected_fingerprint=tn.fingerprint)
    return tn


def receive(
    db: Database,
    sender: Identity,
    content: dict[str, Any],
    kind: MessageType = MessageType.information_request,
) -> uuid.UUID:
    """An envelope from `sender` delivered to MA's real inbox; its message id."""
    with db.unit_of_work() as session:
        own = identity(session)
        me = Peer(node_id=own.node_id, encryption_key=own.keys.encryption_public)
        created = utcnow().replace(microsecond=0)
        message_id = uuid7()
        header = header_for(
            message_id=message_id,
            ident=sender,
            peer=me,
            kind=kind,
            created=created,
            expires=created + dt.timedelta(days=30),
            handling=content.get("handling_code"),
            reply_to=None,
            thread=message_id,
        )
        body = {"content": content, "author": "liaison.tn", "subject": content["subject"]}
        raw = seal(header, body, sender=sender.keys, recipient_key=own.keys.encryption_public)
        answer = inbox.receive(session, raw, client="test")
        assert answer.status == 200, answer.payload
        return message_id


def information_request() -> dict[str, Any]:
    return {
        "subject": "Recruiter's telephone number",
        "question": QUESTION,
        "purpose": "To identify the recruiter of three victims.",
        "handling_code": "H2",
        "deadline": TOMORROW,
    }


def mla_form(**changes: str) -> dict[str, str]:
    form = {
        "to": "TN",
        "subject": "Bank records of a recruitment agency",
        "urgency": "normal",
        "requesting_authority": "Ministry of Justice, Directorate of Criminal Affairs, Rabat",
        "proceeding_nature": "Criminal investigation of trafficking in persons for forced labour.",
        "conducting_authority": "Investigating judge, Court of First Instance of Casablanca.",
        "assistance_kind": "documents_records",
        "facts_summary": "Between 2024 and 2025, forty workers were recruited with false promises.",
        "assistance_sought": "Certified copies of the agency's bank statements for 2024-2025.",
        "persons_concerned": "A. B.; Tunis; TN",
        "purpose": "To trace the payments made by the workers to the recruiters.",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v}


def sign_in_english(client: TestClient, db: Database, username: str) -> None:
    assert login(client, db, username, DEMO_PASSWORD).status_code == 303
    post_form(client, "/language", {"lang": "en", "next": "/"}, page="/")


def english(message: str, **params: object) -> str:
    with use_locale("en"):
        return html.escape(gettext(message, **params), quote=True)


def test_liaison_sees_received_requests_unread_then_read(
    client: TestClient, demo_db: Database
) -> None:
    tn = start_node(demo_db)
    message_id = receive(demo_db, tn, information_request())
    sign_in_english(client, demo_db, "liaison.ma")
    page = client.get("/exchange")
    assert page.status_code == 200
    assert f"/exchange/messages/{message_id}" in page.text
    assert "Recruiter&#39;s telephone number" in page.text
    assert "Unread" in page.text and "Tunisia" in page.text
    assert "Due within 3 days" in page.text  # the deadline is tomorrow
    thread = client.get(f"/exchange/messages/{message_id}")
    assert thread.status_code == 200
    assert html.escape(QUESTION) in thread.text
    assert "Do not pass on to anyone without the sender&#39;s permission." in thread.text
    assert "Unread" not in client.get("/exchange").text


def test_exchange_is_refused_to_case_workers_and_the_administrator_sees_only_peers(
    client: TestClient, demo_db: Database
) -> None:
    start_node(demo_db)
    sign_in_english(client, demo_db, "caseworker.ma")
    assert client.get("/exchange").status_code == 403
    assert client.get("/exchange/new?type=mla_request").status_code == 403
    client.cookies.clear()
    sign_in_english(client, demo_db, "admin")
    assert client.get("/exchange").status_code == 403
    peers = client.get("/exchange/peers")
    assert peers.status_code == 200
    with demo_db.unit_of_work() as session:
        own = identity(session).fingerprint
    assert own[:4].upper() in peers.text and "http://127.0.0.1:9" in peers.text
    assert "jusoor exchange peers add FILE --fingerprint" in peers.text


def test_without_an_identity_the_pages_show_the_init_command(
    client: TestClient, demo_db: Database
) -> None:
    sign_in_english(client, demo_db, "liaison.ma")
    for url in ("/exchange", "/exchange/sent", "/exchange/new?type=mla_request"):
        page = client.get(url)
        assert page.status_code == 200, url
        assert "jusoor exchange init --node-id CC" in page.text, url


def test_without_an_identity_a_reader_without_the_right_is_refused_not_told_how_to_start(
    client: TestClient, demo_db: Database
) -> None:
    # exchange.queries.box_ready asks the right before it looks for the identity.
    sign_in_english(client, demo_db, "caseworker.ma")
    for url in ("/exchange", "/exchange/sent"):
        page = client.get(url)
        assert page.status_code == 403, url
        assert "jusoor exchange init" not in page.text, url


def test_compose_names_the_missing_mla_element_then_sends(
    client: TestClient, demo_db: Database
) -> None:
    start_node(demo_db)
    sign_in_english(client, demo_db, "liaison.ma")
    url = "/exchange/new?type=mla_request"
    refused = post_form(client, url, mla_form(purpose=""))
    assert refused.status_code == 422
    assert english(ELEMENTS[MessageType.mla_request]["purpose"]) in refused.text
    assert "Ministry of Justice, Directorate of Criminal Affairs, Rabat" in refused.text  # kept
    with demo_db.unit_of_work() as session:
        assert session.scalars(select(Message)).first() is None
    sent = post_form(client, url, mla_form())
    assert sent.status_code == 303
    message_id = uuid.UUID(sent.headers["location"].split("/")[3].split("?")[0])
    with demo_db.unit_of_work() as session:
        message = session.get(Message, message_id)
        assert message is not None
        assert message.direction is Direction.outgoing and message.peer == "TN"
        assert message.status is MessageStatus.sent
        stmt = select(AuditEvent).where(
            AuditEvent.action == "exchange.message.sent",
            AuditEvent.object_id == str(message_id),
        )
        assert session.scalars(stmt).one().actor_username == "liaison.ma"
    assert str(message_id) in client.get("/exchange/sent").text
    thread = client.get(sent.headers["location"])
    assert thread.status_code == 200
    assert "type=withdrawal" in thread.text and "type=refusal" not in thread.text


def test_a_draft_is_kept_unchecked_and_unsent_then_sent_from_its_form(
    client: TestClient, demo_db: Database
) -> None:
    start_node(demo_db)
    sign_in_english(client, demo_db, "liaison.ma")
    url = "/exchange/new?type=mla_request"
    saved = post_form(client, url, {**mla_form(purpose=""), "action": "draft"})
    assert saved.status_code == 303 and "draft=" in saved.headers["location"]
    with demo_db.unit_of_work() as session:
        [draft] = session.scalars(select(Message)).all()
        assert draft.status is MessageStatus.draft and draft.peer == "TN"
        draft_id = draft.id
        assert session.scalars(select(OutboxEntry)).first() is None  # nothing leaves the node
    form = client.get(saved.headers["location"])
    assert form.status_code == 200
    assert "Ministry of Justice, Directorate of Criminal Affairs, Rabat" in form.text  # kept
    opened = client.get(f"/exchange/messages/{draft_id}", follow_redirects=False)
    assert opened.status_code == 303  # a draft opens in its form, not as a thread
    assert opened.headers["location"] == f"/exchange/new?draft={draft_id}"
    sent = post_form(client, f"{url}&draft={draft_id}", mla_form())
    assert sent.status_code == 303
    with demo_db.unit_of_work() as session:
        assert session.get(Message, draft_id) is None  # the draft became the request
        [message] = session.scalars(select(Message)).all()
        assert message.status is MessageStatus.sent
        assert session.get(OutboxEntry, message.id) is not None
        actions = set(session.scalars(select(AuditEvent.action)))
        assert {"exchange.draft.saved", "exchange.draft.sent", "exchange.message.sent"} <= actions


def test_thread_of_an_incoming_request_offers_the_answers_and_no_withdrawal(
    client: TestClient, demo_db: Database
) -> None:
    tn = start_node(demo_db)
    message_id = receive(demo_db, tn, information_request())
    sign_in_english(client, demo_db, "liaison.ma")
    url = f"/exchange/messages/{message_id}"
    page = client.get(url).text
    for kind in ("reply", "acknowledgement", "progress_report", "refusal"):
        assert f"{url}/reply?type={kind}" in page, kind
    assert "type=withdrawal" not in page
    refused = post_form(client, f"{url}/reply?type=refusal", {"grounds": ""}, page=url)
    assert refused.status_code == 422
    assert 'id="refusal-ground_kind-error"' in refused.text
    assert 'id="refusal-grounds-error"' in refused.text
    withdrawn = post_form(client, f"{url}/reply?type=withdrawal", {"reason": "x"}, page=url)
    assert withdrawn.status_code == 422
    answer = "The line has belonged to a shop in Sfax since March 2025."
    replied = post_form(client, f"{url}/reply?type=reply", {"text": answer}, page=url)
    assert replied.status_code == 303
    with demo_db.unit_of_work() as session:
        opening = session.get(Message, message_id)
        assert opening is not None and opening.status is MessageStatus.answered
    thread = client.get(url)
    assert html.escape(answer) in thread.text


def test_case_worker_refers_abroad_only_with_cross_border_consent(
    client: TestClient, demo_db: Database
) -> None:
    start_node(demo_db)
    with demo_db.unit_of_work() as session:
        case_id = open_case(session)
    sign_in_english(client, demo_db, "caseworker.ma")
    case_page = client.get(f"/cases/{case_id}")
    assert f"/cases/{case_id}/exchange/refer" in case_page.text
    url = f"/cases/{case_id}/exchange/refer"
    form = {
        "to": "TN",
        "subject": "Return of a Tunisian woman",
        "urgency": "normal",
        "shared_fields": "age_band",
        "services_requested": "shelter",
        "summary": "She wishes to return to her family near Sousse.",
    }
    refused = post_form(client, url, form)
    assert refused.status_code == 422
    assert "consent" in refused.text and "Cross-border transfer" in refused.text
    with demo_db.unit_of_work() as session:
        assert session.scalars(select(Message)).first() is None
        give_consent(
            session,
            actor=actor(session, "caseworker.ma"),
            case_id=case_id,
            consent_in=ConsentCreate(purpose=ConsentPurpose.cross_border_transfer, language="ar"),
        )
    sent = post_form(client, url, form)
    assert sent.status_code == 303
    assert sent.headers["location"] == f"/cases/{case_id}?done=referred_abroad"
    with demo_db.unit_of_work() as session:
        message = session.scalars(select(Message)).one()
        assert message.type is MessageType.transnational_referral
        assert message.case_id == case_id and message.peer == "TN"
    panel = client.get(f"/cases/{case_id}").text
    assert "Return of a Tunisian woman" in panel


def test_liaison_keeps_the_directory_of_its_own_country_and_publishes_it(
    client: TestClient, demo_db: Database
) -> None:
    start_node(demo_db)
    sign_in_english(client, demo_db, "liaison.ma")
    url = "/exchange/contacts"
    entry = {
        "kind": "police_liaison",
        "authority": "DGSN, International Police Cooperation",
        "phone": "12",
        "languages": "ar fr",
        "request_types": "information_request",
    }
    refused = post_form(client, url, entry)
    assert refused.status_code == 422
    assert 'id="phone-error"' in refused.text and "Phone" in refused.text
    assert post_form(client, url, {**entry, "phone": "+212 537 000 000"}).status_code == 303
    page = client.get(url).text
    assert "DGSN, International Police Cooperation" in page and "Morocco" in page
    assert "Languages: Arabic, French" in page  # chosen by name, shown by name
    assert post_form(client, f"{url}/publish", {}, page=url).status_code == 303
    with demo_db.unit_of_work() as session:
        update = session.scalars(select(Message)).one()
        assert update.type is MessageType.directory_update and update.peer == "TN"
    removal = client.get(url).text.split('action="/exchange/contacts/')[1].split('"')[0]
    assert post_form(client, f"{url}/{removal}", {}, page=url).status_code == 303
    assert "DGSN, International Police Cooperation" not in client.get(url).text


def test_a_referral_received_is_accepted_or_declined_and_a_closed_request_takes_nothing(
    client: TestClient, demo_db: Database
) -> None:
    tn = start_node(demo_db)
    content = {
        "subject": "Return of a Moroccan man",
        "case_reference": "TN-2026-000007",
        "shared": {"age_band": "30-34", "languages": ["ar"]},
        "services_requested": ["shelter", "return_reintegration"],
        "summary": "He wishes to return to his family in Oujda.",
        "consent_id": str(uuid.uuid4()),
    }
    referral = receive(demo_db, tn, content, MessageType.transnational_referral)
    sign_in_english(client, demo_db, "liaison.ma")
    url = f"/exchange/messages/{referral}"
    page = client.get(url).text
    assert "Accept the referral" in page and "Decline the referral" in page
    assert "30-34" in page and "Return and reintegration" in page
    assert 'id="refusal-ground_kind"' not in page  # the ground is fixed: declined referral
    accepted = post_form(client, f"{url}/reply?type=acknowledgement", {}, page=url)
    assert accepted.status_code == 303
    with demo_db.unit_of_work() as session:
        opening = session.get(Message, referral)
        assert opening is not None and opening.decision == "accepted"

    sent = post_form(client, "/exchange/new?type=mla_request", mla_form())
    thread = sent.headers["location"].split("?")[0]
    reason = {"reason": "The suspect was arrested at home."}
    withdrawn = post_form(client, f"{thread}/reply?type=withdrawal", reason, page=thread)
    assert withdrawn.status_code == 303
    closed = client.get(thread).text
    assert "This request is closed" in closed and "/reply?type=" not in closed
    again = post_form(client, f"{thread}/reply?type=reply", {"text": "More."}, page=thread)
    assert again.status_code == 422


def test_a_case_workers_referral_abroad_explains_the_rules_in_words_without_citations(
    client: TestClient, demo_db: Database
) -> None:
    start_node(demo_db)
    with demo_db.unit_of_work() as session:
        case_id = open_case(session)
    sign_in_english(client, demo_db, "caseworker.ma")
    page = html.unescape(client.get(f"/cases/{case_id}/exchange/refer").text)
    assert "Tells the other country how it may use what you send, and who may see it." in page
    assert "UNTOC" not in page and "SIENA" not in page
    assert '<option value="TN">Tunisia — ' in page  # the country by its name, then the node


def test_a_liaisons_request_form_keeps_the_citation_small_beside_the_words(
    client: TestClient, demo_db: Database
) -> None:
    start_node(demo_db)
    sign_in_english(client, demo_db, "liaison.ma")
    page = html.unescape(client.get("/exchange/new?type=mla_request").text)
    assert "Name the authority that makes the request." in page
    assert '<small class="muted" dir="ltr">UNTOC art. 18(15)(a)</small>' in page
