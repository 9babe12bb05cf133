"""Envelopes: canonical JSON signed by the sender, encrypted to the recipient, signed again outside.

    plaintext  = canonical({"header": H, "body": B})       signed: inner signature (evidence)
    ciphertext = ChaCha20-Poly1305(K, nonce, canonical({"document", "signature"}), aad=canonical(H))
    K          = HKDF-SHA256(X25519(ephemeral, recipient), salt = epk ‖ recipient key)
    wire       = {"v", "header", "epk", "ciphertext", "signature"}   outer signature over the rest

The header travels in clear (routing needs it) but is bound to the ciphertext as associated data
and to both signatures. The outer signature lets a node refuse a forged or altered envelope before
decrypting anything; the inner one is what the receiver keeps as evidence of what was said.
A receipt is the receiver's signature over the SHA-256 of the exact bytes it received
(after e-CODEX evidences and X-Road's request hash).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from jusoor.exchange.nodes.keys import KeyPair, encryption_key, signature_valid
from jusoor.exchange.transport.canonical import b64, canonical, sha256_hex, unb64
from jusoor.exchange.vocabulary import HandlingCode

VERSION = 1
HANDLING_CODES = frozenset(code.value for code in HandlingCode)
_INFO = b"jusoor-exchange-v1"
HEADER_FIELDS = frozenset(
    {
        "id",
        "sender",
        "recipient",
        "type",
        "created",
        "expires",
        "handling",
        "reply_to",
        "thread",
        "sender_key",
        "recipient_key",
    }
)


class EnvelopeError(ValueError):
    """An envelope that fails a check. `code` is stable (for logs and tests); the text is English
    for the peer's operator, and the receiving node records both."""

    def __init__(self, code: str, text: str) -> None:
        super().__init__(text)
        self.code = code
        self.text = text


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def parse_time(value: Any) -> dt.datetime:
    if not isinstance(value, str):
        raise EnvelopeError("malformed", "a time is not a string")
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise EnvelopeError("malformed", "a time is not ISO 8601") from None
    if moment.tzinfo is None:
        raise EnvelopeError("malformed", "a time has no time zone")
    return moment.astimezone(dt.UTC)


def _key(shared: bytes, epk: bytes, recipient: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=epk + recipient, info=_INFO).derive(
        shared
    )


def seal(
    header: dict[str, Any], body: dict[str, Any], *, sender: KeyPair, recipient_key: str
) -> bytes:
    """The wire bytes of a new envelope (canonical JSON), ready to POST."""
    if set(header) != HEADER_FIELDS:
        raise ValueError(f"header fields must be exactly {sorted(HEADER_FIELDS)}")
    document = {"header": header, "body": body}
    inner = {"document": document, "signature": sender.sign(canonical(document))}
    ephemeral = X25519PrivateKey.generate()
    epk = ephemeral.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    recipient = encryption_key(recipient_key)
    key = _key(ephemeral.exchange(recipient), epk, unb64(recipient_key))
    nonce = os.urandom(12)
    ciphertext = nonce + ChaCha20Poly1305(key).encrypt(nonce, canonical(inner), canonical(header))
    wire: dict[str, Any] = {
        "v": VERSION,
        "header": header,
        "epk": b64(epk),
        "ciphertext": b64(ciphertext),
    }
    wire["signature"] = sender.sign(canonical(wire))
    return canonical(wire)


@dataclass(frozen=True)
class Opened:
    header: dict[str, Any]
    body: dict[str, Any]
    document_signature: str  # the sender's signature over canonical({"header", "body"})


def read_wire(raw: bytes) -> dict[str, Any]:
    """The outer envelope, structurally checked (nothing verified yet)."""

    try:
        wire = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise EnvelopeError("malformed", "the envelope is not JSON") from None
    if not isinstance(wire, dict) or set(wire) != {"v", "header", "epk", "ciphertext", "signature"}:
        raise EnvelopeError("malformed", "the envelope does not have the expected fields")
    if wire["v"] != VERSION:
        raise EnvelopeError("version", "this envelope version is not supported")
    header = wire["header"]
    if not isinstance(header, dict) or set(header) != HEADER_FIELDS:
        raise EnvelopeError("malformed", "the envelope header does not have the expected fields")
    for name in ("id", "sender", "recipient", "type", "created", "expires", "sender_key"):
        if not isinstance(header[name], str) or not header[name]:
            raise EnvelopeError("malformed", f"the header field {name} is missing")
    _check_optional_fields(header)
    return wire


def _check_optional_fields(header: dict[str, Any]) -> None:
    """The fields that may be null are text when present, and ids are UUIDs: the inbox stores
    them as they are (a bad one must be refused and recorded, not fail the request)."""
    for name in ("handling", "reply_to", "thread", "recipient_key"):
        if header[name] is not None and not isinstance(header[name], str):
            raise EnvelopeError("malformed", f"the header field {name} is not text")
    if header["handling"] is not None and header["handling"] not in HANDLING_CODES:
        raise EnvelopeError("malformed", "the handling code is not one of H0 to H3")
    for name in ("reply_to", "thread"):
        if header[name] is not None:
            try:
                uuid.UUID(header[name])
            except ValueError:
                raise EnvelopeError("malformed", f"the header field {name} is not a UUID") from None


def check_outer_signature(wire: dict[str, Any], sender_signing_key: str) -> None:
    unsigned = {k: v for k, v in wire.items() if k != "signature"}
    if not isinstance(wire["signature"], str) or not signature_valid(
        sender_signing_key, wire["signature"], canonical(unsigned)
    ):
        raise EnvelopeError("signature", "the envelope signature does not verify")


def open_envelope(wire: dict[str, Any], *, recipient: KeyPair, sender_signing_key: str) -> Opened:
    """Decrypt and check the inner signature (call `check_outer_signature` first)."""
    header = wire["header"]
    try:
        epk = unb64(wire["epk"])
        blob = unb64(wire["ciphertext"])
        ephemeral = encryption_key(wire["epk"])
    except (ValueError, TypeError):
        raise EnvelopeError("malformed", "the envelope keys or ciphertext are not valid") from None
    own = unb64(recipient.encryption_public)
    key = _key(recipient.decrypter.exchange(ephemeral), epk, own)
    try:
        plain = ChaCha20Poly1305(key).decrypt(blob[:12], blob[12:], canonical(header))
    except (InvalidTag, ValueError):
        raise EnvelopeError("decryption", "the envelope cannot be decrypted") from None

    inner = json.loads(plain)
    document = inner.get("document") if isinstance(inner, dict) else None
    if (
        not isinstance(document, dict)
        or document.get("header") != header
        or not isinstance(document.get("body"), dict)
        or not isinstance(inner.get("signature"), str)
        or not signature_valid(sender_signing_key, inner["signature"], canonical(document))
    ):
        raise EnvelopeError("signature", "the signed document inside the envelope does not verify")
    return Opened(header=header, body=document["body"], document_signature=inner["signature"])


def make_receipt(
    *, message_id: str, sender: str, receiver: str, digest: str, status: str, keys: KeyPair
) -> dict[str, Any]:
    """The receiver's signed statement that it holds the envelope whose bytes hash to `digest`."""
    receipt = {
        "v": VERSION,
        "message_id": message_id,
        "sender": sender,
        "receiver": receiver,
        "received_at": iso(dt.datetime.now(dt.UTC)),
        "envelope_sha256": digest,
        "status": status,
        "receiver_key": keys.signing_public,
    }
    return {"receipt": receipt, "signature": keys.sign(canonical(receipt))}


def check_receipt(
    signed: Any, *, message_id: str, digest: str, receiver: str, receiver_keys: list[str]
) -> dict[str, Any]:
    """The receipt, if it is the named receiver's valid signature over exactly what was sent."""
    if not isinstance(signed, dict) or not isinstance(signed.get("receipt"), dict):
        raise EnvelopeError("receipt", "the answer is not a receipt")
    receipt = signed["receipt"]
    if (
        receipt.get("message_id") != message_id
        or receipt.get("envelope_sha256") != digest
        or receipt.get("receiver") != receiver
    ):
        raise EnvelopeError("receipt", "the receipt is for another message or other bytes")
    signature = signed.get("signature")
    data = canonical(receipt)
    if not isinstance(signature, str) or not any(
        signature_valid(key, signature, data) for key in receiver_keys
    ):
        raise EnvelopeError("receipt", "the receipt signature does not verify")
    return dict(receipt)


def digest_of(raw: bytes) -> str:
    return sha256_hex(raw)
