"""Match keys of an entity and their blind index.

Entity values are encrypted at rest, so equal values cannot be found by SQL. Instead each entity
gets keys — normalised values that two records of the same thing share (a phone in E.164, a
document number without spaces, a cross-script name key) — and the database keeps only
HMAC-SHA256(index key, kind ‖ value) of each. The index key is derived from the node's secret
(`JUSOOR_SECRET_KEY`) under a fixed label, so it is not the CSRF key itself, and digests made on
one node mean nothing on another. After the secret changes, `service.reindex` rebuilds them.

What the digests still reveal, by design: which entities share a value. Phone numbers have few
possible values, so whoever holds the secret key can test guesses; the key stays on the node.

Key kinds: strong ones make a candidate on their own (phone, email, document, vehicle, account;
name — the whole-name key; name_pair — two words of the name, so that "Mohamed Ould Akik" meets
"Mohamed Lamine Ould Akeik"); weak ones (name_part — one word, birth_year) only together. A
phone also gets a `phone_stem` key (the number but its last digits), which finds nothing: the
person model reads it to score a pair (`evidence`), a new SIM card of the same operator.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from itertools import combinations

from jusoor.core.security.csrf import secret_key
from jusoor.entities.resolution import (
    blocking_keys,
    name_key,
    normalize_document_number,
    normalize_phone,
)
from jusoor.entities.resolution.linkage.prepare import phone_stem
from jusoor.entities.schemata import schema as schema_of

INDEX_LABEL = b"jusoor.entities.blind-index.v1"
STRONG_KINDS = frozenset({"phone", "email", "document", "vehicle", "account", "name", "name_pair"})
WEAK_KINDS = frozenset({"name_part", "birth_year"})
SCORE_ONLY_KINDS = frozenset({"phone_stem"})  # kept to score a pair, never to find one

# Identifier properties and the key kind their normalised value goes under.
_IDENTIFIER_KINDS = {
    ("IdentityDocument", "number"): "document",
    ("Organization", "registrationNumber"): "document",
    ("Vehicle", "registrationNumber"): "vehicle",
    ("BankAccount", "iban"): "account",
    ("BankAccount", "accountNumber"): "account",
}
_NAME_PROPERTIES = ("name", "alias")


def _index_key() -> bytes:
    # A key of its own for the blind index, derived from the node secret under a fixed label
    # (HMAC as a PRF, as in HKDF-Expand with one block); `secret_key()` is cached by csrf.
    return hmac.new(secret_key(), INDEX_LABEL, hashlib.sha256).digest()


def digest(kind: str, value: str) -> str:
    """The blind-index digest of one key (hex, 64 characters)."""
    message = f"{kind}\x1f{value}".encode()
    return hmac.new(_index_key(), message, hashlib.sha256).hexdigest()


def _identifier_keys(schema: str, prop: str, values: Iterable[str]) -> set[tuple[str, str]]:
    kind = _IDENTIFIER_KINDS.get((schema, prop))
    if kind is None:
        return set()
    return {(kind, n) for n in map(normalize_document_number, values) if n}


def keys(schema: str, properties: dict[str, list[str]], region: str | None) -> set[tuple[str, str]]:
    """The (kind, normalised value) keys of an entity with these (cleaned) properties.

    `region` (ISO alpha-2, the owning agency's country) reads national phone numbers."""
    types = schema_of(schema).properties
    found: set[tuple[str, str]] = set()
    for prop, values in properties.items():
        kind = types.get(prop)
        if kind == "phone":
            phones = {p for p in (normalize_phone(v, region) for v in values) if p}
            found |= {("phone", p) for p in phones}
            found |= {("phone_stem", s) for s in map(phone_stem, phones) if s}
        elif kind == "email":
            found |= {("email", v.strip().lower()) for v in values if "@" in v}
        elif kind == "identifier":
            found |= _identifier_keys(schema, prop, values)
        elif kind == "name" and prop in _NAME_PROPERTIES:
            for value in values:
                whole = name_key(value)
                if whole:
                    found.add(("name", whole))
                    words = sorted(set(whole.split()))
                    found |= {("name_pair", " ".join(p)) for p in combinations(words, 2)}
                found |= {("name_part", part) for part in blocking_keys(value)}
        elif kind == "date" and prop == "birthDate":
            found |= {("birth_year", v[:4]) for v in values if v[:4].isdigit()}
    return found


def digests(
    schema: str, properties: dict[str, list[str]], region: str | None
) -> set[tuple[str, str]]:
    """(kind, digest) of every key of an entity: what `entity_keys` stores."""
    return {(kind, digest(kind, value)) for kind, value in keys(schema, properties, region)}


def query_keys(text: str, region: str | None) -> set[tuple[str, str]]:
    """Keys a free-text search may stand for: a phone, an e-mail, a number, or a name."""
    text = text.strip()
    found: set[tuple[str, str]] = set()
    phone = normalize_phone(text, region)
    if phone:
        found.add(("phone", phone))
    if "@" in text:
        found.add(("email", text.lower()))
    number = normalize_document_number(text)
    if number and any(ch.isdigit() for ch in number):
        found |= {(kind, number) for kind in ("document", "vehicle", "account")}
    words = " ".join(w for w in text.split() if any(ch.isalpha() for ch in w))
    whole = name_key(words) if words else ""
    if whole:
        found.add(("name", whole))
    found |= {("name_part", part) for part in blocking_keys(words)} if words else set()
    return {(kind, digest(kind, value)) for kind, value in found}
