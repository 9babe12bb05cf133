"""The audit keys: HMAC-SHA256 keys that seal each audit event and sign the anchor checkpoints.

They live outside the database (ASVS 7.3.3: logs protected from modification), so someone who can
write the database — through stolen credentials, a restored copy or a SQL injection — cannot
recompute a valid chain after changing it. Format and storage follow the data keys
(`jusoor.core.crypto`): `JUSOOR_AUDIT_KEY` = `kid:base64key[,kid:base64key…]`, else
`<data dir>/audit.key` (0600), created on first use. The first key seals new events; the others
only verify, so a key can be rotated while older events keep verifying under the key id they store.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from pathlib import Path

from jusoor.core.config import Settings, get_settings
from jusoor.core.crypto import (
    CryptoError,
    Keyring,
    KeyringError,
    generate_key_line,
    load_or_create_keyfile,
    save_keyfile,
)
from jusoor.core.i18n import gettext as _

KEYFILE_NAME = "audit.key"


class AuditKeyError(CryptoError):
    """The audit keyring is missing, malformed or unsafe; messages never hold key material."""


class MissingAuditKey(AuditKeyError):
    """An event or a checkpoint names a key id that the keyring does not hold."""

    def __init__(self, kid: str) -> None:
        self.kid = kid[:40]
        super().__init__(
            _("Audit key %(kid)s is not in the audit keyring (JUSOOR_AUDIT_KEY).", kid=self.kid)
        )


class AuditKeyring:
    """Named HMAC keys; the first (primary) seals, all verify. Never prints its keys."""

    __slots__ = ("_keyring",)

    def __init__(self, keyring: Keyring) -> None:
        self._keyring = keyring

    @classmethod
    def parse(cls, text: str) -> AuditKeyring:
        try:
            return cls(Keyring.parse(text))
        except KeyringError as exc:
            raise AuditKeyError(_("The audit key is not valid: %(reason)s", reason=exc)) from None

    def __repr__(self) -> str:
        return f"AuditKeyring(kids={list(self.kids)!r})"

    @property
    def primary_kid(self) -> str:
        return self._keyring.primary_kid

    @property
    def kids(self) -> tuple[str, ...]:
        return self._keyring.kids

    def has(self, kid: str) -> bool:
        return kid in self._keyring.kids

    def mac(self, kid: str, message: str) -> str:
        """HMAC-SHA256 of `message` under key `kid`, as hex; MissingAuditKey for an unknown id."""
        if not self.has(kid):
            raise MissingAuditKey(kid)
        return hmac.new(self._keyring.key(kid), message.encode("utf-8"), hashlib.sha256).hexdigest()


def keyfile_path(settings: Settings) -> Path:
    return settings.data_dir / KEYFILE_NAME


def keyring_from_settings(settings: Settings) -> AuditKeyring:
    """`JUSOOR_AUDIT_KEY`, else the key file in the data dir (created, 0600, the first time)."""
    if settings.audit_key is not None:
        return AuditKeyring.parse(settings.audit_key.get_secret_value())
    try:
        return AuditKeyring(load_or_create_keyfile(keyfile_path(settings)))
    except KeyringError as exc:
        raise AuditKeyError(_("The audit key is not valid: %(reason)s", reason=exc)) from None


_cache: tuple[Settings, AuditKeyring] | None = None
_lock = threading.Lock()


def audit_keyring() -> AuditKeyring:
    """The process's audit keyring, loaded once per settings object (a cheap call on the hot path)."""
    global _cache
    settings = get_settings()
    with _lock:
        if _cache is None or _cache[0] is not settings:
            _cache = (settings, keyring_from_settings(settings))
        return _cache[1]


def forget_keyring() -> None:
    """Drop the cached keyring (after a rotation), so the next call reads the keys again."""
    global _cache
    with _lock:
        _cache = None


def add_primary_key(settings: Settings) -> str:
    """Put a fresh key first in the key file (old keys kept, so old events verify); its id."""
    if settings.audit_key is not None:
        raise AuditKeyError(
            _(
                "Audit keys come from JUSOOR_AUDIT_KEY: put a new key (jusoor keys generate) first "
                "in it, keep the old ones after it, and restart Jusoor."
            )
        )
    path = keyfile_path(settings)
    current = keyring_from_settings(settings)._keyring
    rotated = current.with_new_primary(generate_key_line())
    save_keyfile(path, rotated)
    forget_keyring()
    return rotated.primary_kid
