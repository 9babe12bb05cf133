"""Random secrets and their stored digests (session ids, API tokens, CSRF tokens)."""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_token(nbytes: int = 32) -> str:
    """A URL-safe random token with `nbytes` of entropy."""
    return secrets.token_urlsafe(nbytes)


def digest(token: str) -> str:
    """SHA-256 of a high-entropy token: what the database keeps instead of the token itself."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def sign(key: bytes, value: str) -> str:
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()


def constant_time_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))
