"""Password hashing (Argon2id, OWASP parameters) and the password policy (ASVS 2.1)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from zxcvbn.frequency_lists import FREQUENCY_LISTS  # type: ignore[import-untyped]

from jusoor.core.errors import Invalid
from jusoor.core.i18n import gettext as _

# OWASP Password Storage Cheat Sheet (2023+): Argon2id, m=19 MiB, t=2, p=1 as the minimum.
_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
MAX_LENGTH = 128  # ASVS 2.1.2: at least 64 allowed; bounded so hashing cannot be abused.

# A precomputed hash used when the username does not exist, so timing does not reveal which users exist.
_DUMMY_HASH = _HASHER.hash("jusoor-timing-equaliser")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; always spends the same work, even for an unknown user."""
    try:
        return _HASHER.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _HASHER.check_needs_rehash(password_hash)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """Common and breached passwords (ASVS 2.1.7), lower-cased: zxcvbn's 30,000 most common
    passwords plus a bundled list of regional ones (French, Arabic transliterations, Jusoor itself)."""
    text = (
        resources.files("jusoor.core.security").joinpath("common_passwords.txt").read_text("utf-8")
    )
    regional = {line.strip().lower() for line in text.splitlines() if line.strip()}
    return frozenset(regional | {p.lower() for p in FREQUENCY_LISTS["passwords"]})


def check_policy(password: str, *, min_length: int, username: str | None = None) -> None:
    """Raise `Invalid("password", …)` when the password breaks the policy; say which rule."""
    if len(password) < min_length:
        raise Invalid(
            "password", _("The password must have at least %(n)s characters.", n=min_length)
        )
    if len(password) > MAX_LENGTH:
        raise Invalid(
            "password", _("The password must have at most %(n)s characters.", n=MAX_LENGTH)
        )
    lowered = password.lower()
    if lowered in common_passwords() or (username and username.lower() in lowered):
        raise Invalid(
            "password",
            _("This password is too common or too easy to guess. Choose another one."),
        )
