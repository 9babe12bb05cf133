"""A node's key pairs and the fingerprint peers compare out of band.

Ed25519 signs, X25519 receives encrypted envelopes (RFC 8032, RFC 7748). A fingerprint is the
SHA-256 of the canonical {node_id, signing_key, encryption_key}: it changes when either key or the
node id changes, so reading it aloud over the phone checks all three.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from jusoor.exchange.transport.canonical import b64, canonical, sha256_hex, unb64

_RAW = serialization.Encoding.Raw
_PUB = serialization.PublicFormat.Raw
_PRIV = serialization.PrivateFormat.Raw
_FP_DISPLAY_HEX = 32  # 128 bits shown to people; the whole digest is compared by code


def fingerprint(node_id: str, signing_key: str, encryption_key: str) -> str:
    """Hex SHA-256 of the node id and both public keys (base64url)."""
    return sha256_hex(
        canonical(
            {"node_id": node_id, "signing_key": signing_key, "encryption_key": encryption_key}
        )
    )


def display_fingerprint(value: str) -> str:
    """`3F2A 91C0 …`: the first 128 bits in groups of four, for reading aloud."""
    head = value[:_FP_DISPLAY_HEX].upper()
    return " ".join(head[i : i + 4] for i in range(0, len(head), 4))


def fingerprint_matches(full: str, given: str) -> bool:
    """Whether what an operator typed (any case, spaces or colons) is this fingerprint.

    At least the displayed 128 bits must be given; a shorter prefix is not a check.
    """
    typed = re.sub(r"[\s:\-]", "", given).lower()
    return len(typed) >= _FP_DISPLAY_HEX and full.lower().startswith(typed)


@dataclass(frozen=True)
class KeyPair:
    """Private keys of one generation (raw bytes; kept encrypted at rest by the models)."""

    signing_private: bytes
    encryption_private: bytes

    @classmethod
    def generate(cls) -> KeyPair:
        return cls(
            signing_private=Ed25519PrivateKey.generate().private_bytes(
                _RAW, _PRIV, serialization.NoEncryption()
            ),
            encryption_private=X25519PrivateKey.generate().private_bytes(
                _RAW, _PRIV, serialization.NoEncryption()
            ),
        )

    @property
    def signer(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(self.signing_private)

    @property
    def decrypter(self) -> X25519PrivateKey:
        return X25519PrivateKey.from_private_bytes(self.encryption_private)

    @property
    def signing_public(self) -> str:
        return b64(self.signer.public_key().public_bytes(_RAW, _PUB))

    @property
    def encryption_public(self) -> str:
        return b64(self.decrypter.public_key().public_bytes(_RAW, _PUB))

    def sign(self, data: bytes) -> str:
        return b64(self.signer.sign(data))


def verifier(signing_key: str) -> Ed25519PublicKey:
    """The public key from its base64url form; ValueError when it is not one."""
    return Ed25519PublicKey.from_public_bytes(unb64(signing_key))


def encryption_key(value: str) -> X25519PublicKey:
    return X25519PublicKey.from_public_bytes(unb64(value))


def signature_valid(signing_key: str, signature: str, data: bytes) -> bool:
    try:
        verifier(signing_key).verify(unb64(signature), data)
    except (InvalidSignature, ValueError):
        return False
    return True
