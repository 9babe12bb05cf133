"""Envelopes: what is sealed opens only for its recipient, and any change to the bytes is refused."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest

from jusoor.exchange.nodes.keys import KeyPair, signature_valid
from jusoor.exchange.transport.canonical import NotCanonical, b64, canonical, unb64
from jusoor.exchange.transport.envelope import (
    EnvelopeError,
    Opened,
    check_outer_signature,
    check_receipt,
    digest_of,
    iso,
    make_receipt,
    open_envelope,
    read_wire,
    seal,
)

SENDER = KeyPair.generate()
RECIPIENT = KeyPair.generate()
BODY = {"content": {"question": "Who holds this line? هل تعرفون صاحب الرقم؟"}, "author": "a"}


def header(**changes: Any) -> dict[str, Any]:
    now = dt.datetime.now(dt.UTC)
    message_id = str(uuid.uuid4())
    return {
        "id": message_id,
        "sender": "MA",
        "recipient": "TN",
        "type": "information_request",
        "created": iso(now),
        "expires": iso(now + dt.timedelta(days=1)),
        "handling": "H1",
        "reply_to": None,
        "thread": message_id,
        "sender_key": SENDER.signing_public,
        "recipient_key": RECIPIENT.encryption_public,
        **changes,
    }


def sealed() -> bytes:
    return seal(header(), BODY, sender=SENDER, recipient_key=RECIPIENT.encryption_public)


def received(raw: bytes, *, recipient: KeyPair = RECIPIENT) -> Opened:
    """What the inbox does with the keys: structure, outer signature, then decryption."""
    wire = read_wire(raw)
    check_outer_signature(wire, SENDER.signing_public)
    return open_envelope(wire, recipient=recipient, sender_signing_key=SENDER.signing_public)


def flipped(text: str, index: int = 0) -> str:
    """A base64url field with one of its decoded bytes changed."""
    data = bytearray(unb64(text))
    data[index] ^= 0x01
    return b64(bytes(data))


def altered(raw: bytes, field: str) -> dict[str, Any]:
    wire: dict[str, Any] = json.loads(raw)
    if field == "header":
        wire["header"]["id"] = wire["header"]["id"][:-1] + (
            "0" if wire["header"]["id"][-1] != "0" else "1"
        )
    elif field == "ciphertext":
        wire["ciphertext"] = flipped(wire["ciphertext"], 20)  # past the nonce
    else:
        wire[field] = flipped(wire[field])
    return wire


def test_a_sealed_envelope_opens_to_its_header_and_body() -> None:
    raw = sealed()
    opened = received(raw)
    assert opened.body == BODY
    assert opened.header == json.loads(raw)["header"]
    document = {"header": opened.header, "body": opened.body}
    assert signature_valid(SENDER.signing_public, opened.document_signature, canonical(document))
    assert "هل تعرفون" not in raw.decode()  # the body travels encrypted


@pytest.mark.parametrize("field", ["header", "epk", "ciphertext", "signature"])
def test_a_changed_byte_anywhere_fails_the_outer_signature(field: str) -> None:
    wire = altered(sealed(), field)
    with pytest.raises(EnvelopeError) as caught:
        check_outer_signature(read_wire(canonical(wire)), SENDER.signing_public)
    assert caught.value.code == "signature"


@pytest.mark.parametrize("field", ["header", "epk", "ciphertext"])
def test_a_changed_byte_re_signed_outside_still_fails_decryption(field: str) -> None:
    """Even a sender who re-signs the altered envelope cannot get past the encryption's
    integrity check: the header is its associated data, the epk derives its key."""
    wire = altered(sealed(), field)
    unsigned = {k: v for k, v in wire.items() if k != "signature"}
    wire["signature"] = SENDER.sign(canonical(unsigned))
    with pytest.raises(EnvelopeError) as caught:
        received(canonical(wire))
    assert caught.value.code == "decryption"


def test_the_outer_signature_of_another_key_is_refused() -> None:
    other = KeyPair.generate()
    wire = read_wire(sealed())
    with pytest.raises(EnvelopeError) as caught:
        check_outer_signature(wire, other.signing_public)
    assert caught.value.code == "signature"


def test_an_inner_document_signed_by_another_key_is_refused() -> None:
    impostor = KeyPair.generate()
    raw = seal(header(), BODY, sender=impostor, recipient_key=RECIPIENT.encryption_public)
    wire = read_wire(raw)
    with pytest.raises(EnvelopeError) as caught:
        open_envelope(wire, recipient=RECIPIENT, sender_signing_key=SENDER.signing_public)
    assert caught.value.code == "signature"


def test_another_recipient_key_cannot_decrypt() -> None:
    with pytest.raises(EnvelopeError) as caught:
        received(sealed(), recipient=KeyPair.generate())
    assert caught.value.code == "decryption"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"not json", "malformed"),
        (b"[]", "malformed"),
        (b'{"v": 1}', "malformed"),
    ],
)
def test_what_is_not_an_envelope_is_malformed(raw: bytes, code: str) -> None:
    with pytest.raises(EnvelopeError) as caught:
        read_wire(raw)
    assert caught.value.code == code


def test_another_envelope_version_is_refused() -> None:
    wire = json.loads(sealed())
    wire["v"] = 2
    with pytest.raises(EnvelopeError) as caught:
        read_wire(canonical(wire))
    assert caught.value.code == "version"


def test_sealing_refuses_a_header_with_missing_or_extra_fields() -> None:
    incomplete = header()
    del incomplete["handling"]
    with pytest.raises(ValueError, match="header fields"):
        seal(incomplete, BODY, sender=SENDER, recipient_key=RECIPIENT.encryption_public)
    with pytest.raises(ValueError, match="header fields"):
        seal(header(extra="x"), BODY, sender=SENDER, recipient_key=RECIPIENT.encryption_public)


@pytest.mark.parametrize("value", [1.5, {"a": [1, 2.0]}, [{"nested": {"deep": 0.1}}]])
def test_canonical_refuses_floats(value: Any) -> None:
    with pytest.raises(NotCanonical):
        canonical(value)


def test_canonical_is_sorted_compact_and_unescaped() -> None:
    assert canonical({"b": 1, "a": ["ت", True, None]}) == '{"a":["ت",true,null],"b":1}'.encode()


# --- receipts ---------------------------------------------------------------------------------


def receipt_for(raw: bytes, *, keys: KeyPair = RECIPIENT) -> dict[str, Any]:
    return make_receipt(
        message_id=json.loads(raw)["header"]["id"],
        sender="MA",
        receiver="TN",
        digest=digest_of(raw),
        status="accepted",
        keys=keys,
    )


def check(signed: Any, raw: bytes) -> dict[str, Any]:
    return check_receipt(
        signed,
        message_id=json.loads(raw)["header"]["id"],
        digest=digest_of(raw),
        receiver="TN",
        receiver_keys=[RECIPIENT.signing_public],
    )


def test_a_receipt_over_the_exact_bytes_sent_is_accepted() -> None:
    raw = sealed()
    receipt = check(receipt_for(raw), raw)
    assert receipt["envelope_sha256"] == digest_of(raw)
    assert receipt["receiver_key"] == RECIPIENT.signing_public


def test_a_receipt_for_another_message_id_is_refused() -> None:
    raw, other = sealed(), sealed()
    with pytest.raises(EnvelopeError) as caught:
        check(receipt_for(other), raw)
    assert caught.value.code == "receipt"


def test_a_receipt_over_other_bytes_is_refused() -> None:
    raw = sealed()
    signed = receipt_for(raw)
    signed["receipt"]["envelope_sha256"] = digest_of(raw + b" ")
    signed["signature"] = RECIPIENT.sign(canonical(signed["receipt"]))  # validly signed, even
    with pytest.raises(EnvelopeError, match="other bytes") as caught:
        check(signed, raw)
    assert caught.value.code == "receipt"


def test_a_receipt_signed_by_another_key_is_refused() -> None:
    raw = sealed()
    with pytest.raises(EnvelopeError, match="does not verify") as caught:
        check(receipt_for(raw, keys=KeyPair.generate()), raw)
    assert caught.value.code == "receipt"


def test_a_receipt_whose_content_was_changed_after_signing_is_refused() -> None:
    raw = sealed()
    signed = receipt_for(raw)
    signed["receipt"]["status"] = "rejected"
    with pytest.raises(EnvelopeError) as caught:
        check(signed, raw)
    assert caught.value.code == "receipt"


@pytest.mark.parametrize("answer", [None, [], {"error": {"code": "x"}}, {"receipt": "x"}])
def test_an_answer_that_is_not_a_receipt_is_refused(answer: Any) -> None:
    with pytest.raises(EnvelopeError) as caught:
        check(answer, sealed())
    assert caught.value.code == "receipt"
