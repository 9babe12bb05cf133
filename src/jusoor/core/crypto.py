"""Protected fields: AES-256-GCM under named keys, a column type that uses them, and key rotation.

A keyring is `kid:base64key[,kid:base64key…]` (32-byte keys); the first key encrypts, the others
only decrypt, so a new key can be put first while old values stay readable until `rotate`
re-encrypts them. Keys come from `JUSOOR_DATA_KEY`, else from `<data_dir>/data.key` (0600),
created on first use so a laptop install works. A value is stored as
`jx1:<kid>:<base64url(nonce‖ciphertext)>` with its column name (the context) as associated data,
so a value copied into another column does not decrypt.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import importlib
import os
import re
import secrets
import threading
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Column, MetaData, Text, bindparam, func, select, tuple_, type_coerce
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

from jusoor.core import registry
from jusoor.core.config import Settings, get_settings
from jusoor.core.i18n import gettext as _

SCHEME = "jx1"
KEY_BYTES = 32
NONCE_BYTES = 12
KEYFILE_NAME = "data.key"
KID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,32}")
_ROTATE_BATCH = 500


class CryptoError(Exception):
    """Base of key and ciphertext errors; messages never contain key material or plaintext."""


class KeyringError(CryptoError, ValueError):
    """The keyring is missing, malformed or unsafe (e.g. a key file others can read)."""


class DecryptionError(CryptoError):
    """A value cannot be decrypted: unknown key, wrong context, tampering or not a token at all."""


class Keyring:
    """Named AES-256 keys; the first (primary) encrypts, all decrypt. Never prints its keys."""

    __slots__ = ("_keys", "primary_kid")

    def __init__(self, keys: list[tuple[str, bytes]]) -> None:
        if not keys:
            raise KeyringError(_("The data keyring holds no key."))
        for kid, key in keys:
            if not KID_PATTERN.fullmatch(kid):
                # Not echoed: a key written where its id belongs would be printed.
                raise KeyringError(_("A key id is not valid: use 1-32 letters, digits, - or _."))
            if len(key) != KEY_BYTES:
                raise KeyringError(_("Key %(kid)s is not 32 bytes long.", kid=kid))
        self._keys = dict(keys)
        if len(self._keys) != len(keys):
            raise KeyringError(_("The data keyring names the same key id twice."))
        self.primary_kid = keys[0][0]

    @classmethod
    def parse(cls, text: str) -> Keyring:
        """Read `kid:base64key[,kid:base64key…]` (commas or new lines between keys)."""
        keys = []
        for entry in text.replace("\n", ",").split(","):
            entry = entry.strip()
            if not entry:
                continue
            kid, sep, encoded = (part.strip() for part in entry.partition(":"))
            if not sep:
                raise KeyringError(_("Each data key must be written as kid:base64key."))
            try:
                key = base64.b64decode(encoded.translate(_URLSAFE), validate=True)
            except binascii.Error:
                key = b""  # reported by the constructor, which checks the id first
                if KID_PATTERN.fullmatch(kid):
                    raise KeyringError(_("Key %(kid)s is not valid base64.", kid=kid)) from None
            keys.append((kid, key))
        return cls(keys)

    def __repr__(self) -> str:
        return f"Keyring(kids={list(self._keys)!r})"

    @property
    def kids(self) -> tuple[str, ...]:
        return tuple(self._keys)

    def serialise(self) -> str:
        """The keyring in its text form (secret: for the key file only)."""
        return ",".join(
            f"{kid}:{base64.b64encode(key).decode()}" for kid, key in self._keys.items()
        )

    def key(self, kid: str) -> bytes:
        try:
            return self._keys[kid]
        except KeyError:
            raise DecryptionError(_("No data key %(kid)s in the keyring.", kid=kid[:40])) from None

    def with_new_primary(self, line: str) -> Keyring:
        """This keyring with the key in `line` put first; the old keys still decrypt."""
        return Keyring(list(Keyring.parse(line)._keys.items()) + list(self._keys.items()))

    def encrypt(self, plaintext: str, *, context: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self._keys[self.primary_kid]).encrypt(
            nonce, plaintext.encode("utf-8"), _aad(self.primary_kid, context)
        )
        body = base64.urlsafe_b64encode(nonce + sealed).rstrip(b"=").decode("ascii")
        return f"{SCHEME}:{self.primary_kid}:{body}"

    def decrypt(self, token: str, *, context: str) -> str:
        kid = token_kid(token)
        body = token.split(":", 2)[2]
        try:
            raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            plain = AESGCM(self.key(kid)).decrypt(
                raw[:NONCE_BYTES], raw[NONCE_BYTES:], _aad(kid, context)
            )
            return plain.decode("utf-8")
        except (binascii.Error, ValueError, InvalidTag):
            # Wrong context, altered bytes or a different key with the same id all look alike.
            raise DecryptionError(
                _("A protected value could not be decrypted (%(context)s).", context=context)
            ) from None


_URLSAFE = str.maketrans("-_", "+/")


def _aad(kid: str, context: str) -> bytes:
    return f"{SCHEME}:{kid}:{context}".encode()


def token_kid(token: str) -> str:
    """The key id a token was encrypted under; DecryptionError when it is not a token."""
    parts = token.split(":", 2)
    if len(parts) != 3 or parts[0] != SCHEME or not KID_PATTERN.fullmatch(parts[1]):
        raise DecryptionError(_("A stored value is not an encrypted token."))
    return parts[1]


def generate_key_line() -> str:
    """A fresh `kid:base64key` line: 256 random bits under an id like `k20250611a1b2c3`."""
    kid = f"k{dt.datetime.now(dt.UTC):%Y%m%d}{secrets.token_hex(3)}"
    return f"{kid}:{base64.b64encode(AESGCM.generate_key(bit_length=256)).decode()}"


# --- where keys come from -------------------------------------------------------------------


def keyfile_path(settings: Settings) -> Path:
    return settings.data_dir / KEYFILE_NAME


def keyring_from_settings(settings: Settings) -> Keyring:
    """The keyring from `JUSOOR_DATA_KEY`, else from the key file (created the first time)."""
    if settings.data_key is not None:
        return Keyring.parse(settings.data_key.get_secret_value())
    return load_or_create_keyfile(keyfile_path(settings))


def load_or_create_keyfile(path: Path) -> Keyring:
    """Read the key file; create it with one fresh key (mode 0600) when it does not exist yet."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = _write_private(path, generate_key_line())
        try:
            # link() fails if another process created the file first; then we read theirs.
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    if os.name == "posix" and path.stat().st_mode & 0o077:
        raise KeyringError(
            _("Data key file %(path)s can be read by others: run chmod 600 on it.", path=path)
        )
    return Keyring.parse(path.read_text(encoding="utf-8"))


def save_keyfile(path: Path, keyring: Keyring) -> None:
    """Replace the key file atomically (mode 0600), so a crash leaves the old or the new one."""
    os.replace(_write_private(path, keyring.serialise()), path)


def _write_private(path: Path, text: str) -> Path:
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    return tmp


_process_keyring: Keyring | None = None
_keyring_lock = threading.Lock()


def set_keyring(keyring: Keyring | None) -> None:
    """Use `keyring` for EncryptedText columns in this process (None: rebuild from settings)."""
    global _process_keyring
    with _keyring_lock:
        _process_keyring = keyring


def get_keyring() -> Keyring:
    """The process keyring, built from `get_settings()` on first use."""
    global _process_keyring
    with _keyring_lock:
        if _process_keyring is None:
            _process_keyring = keyring_from_settings(get_settings())
        return _process_keyring


def encrypt(plaintext: str, *, context: str) -> str:
    """Encrypt under the process keyring's primary key, bound to `context` (e.g. "users.x")."""
    return get_keyring().encrypt(plaintext, context=context)


def decrypt(token: str, *, context: str) -> str:
    """Decrypt a token made by `encrypt` for the same context; DecryptionError otherwise."""
    return get_keyring().decrypt(token, context=context)


class EncryptedText(TypeDecorator[str]):
    """A text column stored encrypted. Not searchable: equal plaintexts give different tokens."""

    impl = Text
    cache_ok = True

    def __init__(self, context: str) -> None:
        super().__init__()
        self.context = context

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else encrypt(value, context=self.context)

    def process_result_value(self, value: Any | None, dialect: Dialect) -> str | None:
        return None if value is None else decrypt(str(value), context=self.context)


# --- rotation -------------------------------------------------------------------------------


def rotate(session: Session, keyring: Keyring, metadata: MetaData | None = None) -> dict[str, int]:
    """Re-encrypt every EncryptedText value not under the primary key; counts per `table.column`.

    Runs in the caller's transaction and does not commit. On return no value of any column declared
    in `metadata` (default: every Jusoor model) is under an old key, so old keys may be retired.
    """
    if metadata is None:
        metadata = all_models_metadata()
    counts: dict[str, int] = {}
    for table in metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, EncryptedText):
                counts[f"{table.name}.{column.name}"] = _rotate_column(
                    session, keyring, column, column.type.context
                )
    return counts


def _rotate_column(session: Session, keyring: Keyring, column: Column[Any], context: str) -> int:
    table = column.table
    pk = list(table.primary_key.columns)
    if not pk:
        raise CryptoError(_("Table %(table)s has no primary key.", table=table.name))
    prefix = f"{SCHEME}:{keyring.primary_kid}:"
    raw = type_coerce(column, Text)  # read and write the stored token, not the plaintext
    # substr(), not LIKE: LIKE ignores case on SQLite and treats "_" in a kid as a wildcard.
    stale = raw.is_not(None) & (func.substr(raw, 1, len(prefix)) != prefix)
    update = (
        table.update()
        .where(*(c == bindparam(f"_jx_pk{i}") for i, c in enumerate(pk)))
        .values({column.name: bindparam("_jx_new", type_=Text)})
    )
    batch = select(*pk, raw).where(stale).order_by(*pk).limit(_ROTATE_BATCH)
    done, rows = 0, session.execute(batch).all()
    while rows:
        params = [
            {f"_jx_pk{i}": value for i, value in enumerate(row[:-1])}
            | {
                "_jx_new": keyring.encrypt(
                    keyring.decrypt(row[-1], context=context), context=context
                )
            }
            for row in rows
        ]
        session.execute(update, params)
        done += len(rows)
        # Walk on by primary key (an index), instead of rescanning rows already re-encrypted.
        rows = session.execute(batch.where(tuple_(*pk) > tuple(rows[-1][:-1]))).all()
    # Verify rather than trust the walk: retiring a key must never strand a value.
    if session.execute(select(func.count()).select_from(table).where(stale)).scalar_one():
        raise CryptoError(_("Values in %(column)s are still under an old key.", column=str(column)))
    return done


def all_models_metadata() -> MetaData:
    """`Base.metadata` after importing every model module the registered domains declare."""
    # Rotation must see every model, or retiring an old key would strand the values it missed:
    # the registry lists them (core.registry, filled by jusoor.domains.register_all), and reading
    # it before registration raises instead of returning a partial schema.
    from jusoor.core.db import Base

    for name in registry.model_modules():
        importlib.import_module(name)
    return Base.metadata
