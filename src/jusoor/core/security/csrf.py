"""CSRF tokens (ASVS 4.2.2; OWASP's HMAC-based token pattern).

A token is an HMAC, under the node's secret key, of the session cookie value — or, before login, of a
random pre-session cookie. Nothing to store, and a token is useless with any other session.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from jusoor.core.config import get_settings
from jusoor.core.security.secrets import constant_time_equal, new_token, sign

SECRET_FILE = "secret.key"  # noqa: S105 - a name, not a secret


@lru_cache(maxsize=1)
def secret_key() -> bytes:
    """`JUSOOR_SECRET_KEY`, or a random key generated once into the data directory (mode 0600)."""
    settings = get_settings()
    if settings.secret_key is not None:
        value = settings.secret_key.get_secret_value()
        if len(value) < 32:
            raise ValueError("JUSOOR_SECRET_KEY must have at least 32 characters")
        return value.encode("utf-8")
    path = Path(settings.data_dir) / SECRET_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(new_token(48))
    return path.read_text("utf-8").strip().encode("utf-8")


def token_for(binding: str) -> str:
    return sign(secret_key(), "csrf:" + binding)


def valid(binding: str | None, token: str | None) -> bool:
    if not binding or not token:
        return False
    return constant_time_equal(token_for(binding), token)
