"""Credentials the node can recognise as its own without a database look-up.

Session ids and API tokens carry a tag: an HMAC, under the node's secret key, of the random part.
Only the server can make a valid tag, so the request rate limiter (web.ratelimit) can tell a
credential this node issued from an invented one in microseconds, before any other work, and
count invented ones as anonymous (OWASP ASVS 4.0.3 V11.1.4). The tag proves issue, not
validity: whether the session or token is still live is for the database to say, as before (an
ended session's cookie or a revoked token only ever gets its own bucket, never fresh ones).

Credentials issued before tags existed, or under another secret key (JUSOOR_SECRET_KEY changed,
a restore onto a machine with another key), still sign in but are counted as anonymous: issue new
tokens to get the signed-in budget back.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from jusoor.core.security.csrf import secret_key
from jusoor.core.security.secrets import constant_time_equal, new_token

_LABEL = b"jusoor credential tag\x00"
_TAG_BYTES = 16


def _tag(value: str) -> str:
    mac = hmac.new(secret_key(), _LABEL + value.encode("utf-8"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:_TAG_BYTES]).rstrip(b"=").decode("ascii")


def new_credential(prefix: str = "") -> str:
    """A random credential (`prefix`, 32 random bytes, a dot, its tag)."""
    value = prefix + new_token()
    return f"{value}.{_tag(value)}"


def issued_here(credential: str) -> bool:
    """Whether `credential` carries this node's tag (constant time in the tag)."""
    value, dot, tag = credential.rpartition(".")
    if not dot or not value or len(credential) > 200:
        return False
    return constant_time_equal(_tag(value), tag)
