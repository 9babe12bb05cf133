"""Canonical JSON: the one byte form that is signed, hashed and sent.

Keys sorted, no insignificant whitespace, UTF-8 without escapes. Floats are refused: their text
form differs between implementations, and nothing exchanged needs them (dates are ISO strings).
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any


class NotCanonical(ValueError):
    """A value that has no canonical form here (a float, a set, an object)."""


def _check(value: Any) -> None:
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return
    if isinstance(value, float):
        raise NotCanonical("floats are not allowed in exchanged documents")
    if isinstance(value, list):
        for item in value:
            _check(item)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise NotCanonical("object keys must be strings")
            _check(item)
        return
    raise NotCanonical(f"{type(value).__name__} is not allowed in exchanged documents")


def canonical(value: Any) -> bytes:
    """The canonical bytes of a JSON value made of dicts, lists, str, int, bool and None."""
    _check(value)
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64(text: str) -> bytes:
    """Decode unpadded base64url; raises ValueError on anything else."""
    if not isinstance(text, str) or not text.isascii():
        raise ValueError("not base64url text")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
