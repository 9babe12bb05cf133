"""The sealed archive format of `jusoor backup`: a header, then AES-256-GCM chunks.

The STREAM construction: the chunk key is HKDF-SHA256(data key, random salt), so archives never
share a key with field tokens; chunk *i* has nonce `prefix ‖ i` and associated data
`header ‖ final-flag`, so a changed header or chunk, and chunks reordered, cut off or appended, are
all detected. The plaintext is `u32 length ‖ manifest JSON ‖ dump`. Each chunk is authenticated
before it is handed on, so a reader only ever sees bytes the key holder wrote; that nothing was cut
off is known only at the final chunk, so nothing may be acted upon before the stream has ended.
"""

from __future__ import annotations

import json
import os
import struct
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from jusoor.core.crypto import KID_PATTERN, DecryptionError, Keyring
from jusoor.core.i18n import gettext as _
from jusoor.core.ids import uuid7

MAGIC = b"JUSOORBK"
FORMAT = 1
CHUNK_BYTES = 1 << 20
# magic, format, key id (NUL-padded), HKDF salt, nonce prefix, chunk size
_HEADER = struct.Struct(">8sB32s32s8sI")
_TAG_BYTES = 16
_MAX_CHUNK_BYTES = 1 << 26  # bounds what a not-yet-authenticated header can make us read
_MAX_MANIFEST_BYTES = 1 << 20
_FINAL, _MORE = b"\x01", b"\x00"


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and holds no data."""


class ArchiveError(BackupError):
    """The archive is not a Jusoor backup, was altered or cut short, or needs a key we lack."""


class VerificationError(BackupError):
    """A database does not match the manifest (row counts) or fails its integrity check."""


@dataclass(frozen=True)
class Manifest:
    """What an archive holds: enough to check a restore without trusting the dump."""

    backup_id: str
    created_at: str
    engine: str
    jusoor_version: str
    kid: str
    tables: dict[str, int]
    format: int = FORMAT
    revisions: list[str] = field(default_factory=list)  # Alembic's, at the time of the backup

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), sort_keys=True).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        try:
            manifest = cls(**json.loads(data))
        except (ValueError, TypeError):
            raise ArchiveError(_("The backup manifest cannot be read.")) from None
        if manifest.format != FORMAT:
            raise ArchiveError(_("This backup format is not supported."))
        return manifest


# --- the sealed stream ----------------------------------------------------------------------


def _chunk_aead(key: bytes, salt: bytes) -> AESGCM:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"jusoor backup v1")
    return AESGCM(hkdf.derive(key))


class SealedWriter:
    """Seals what it is given, a chunk at a time; counts the bytes and the time spent sealing."""

    def __init__(self, out: IO[bytes], keyring: Keyring) -> None:
        kid, salt, self._prefix = keyring.primary_kid.encode(), os.urandom(32), os.urandom(8)
        self._header = _HEADER.pack(MAGIC, FORMAT, kid, salt, self._prefix, CHUNK_BYTES)
        self._aead = _chunk_aead(keyring.key(keyring.primary_kid), salt)
        self._out, self._buf, self._counter = out, bytearray(), 0
        self.plain_bytes, self.seconds = 0, 0.0
        out.write(self._header)

    def write(self, data: bytes) -> None:
        started = time.perf_counter()
        self._buf += data
        self.plain_bytes += len(data)
        # Keep at least one byte back: only close() knows which chunk is the last.
        while len(self._buf) > CHUNK_BYTES:
            self._seal(bytes(self._buf[:CHUNK_BYTES]), _MORE)
            del self._buf[:CHUNK_BYTES]
        self.seconds += time.perf_counter() - started

    def close(self) -> None:
        started = time.perf_counter()
        self._seal(bytes(self._buf), _FINAL)
        self.seconds += time.perf_counter() - started

    def _seal(self, chunk: bytes, flag: bytes) -> None:
        if self._counter >= 1 << 32:
            raise BackupError(_("The database is too large for one backup archive."))
        nonce = self._prefix + struct.pack(">I", self._counter)
        self._out.write(self._aead.encrypt(nonce, chunk, self._header + flag))
        self._counter += 1


def _unsealed_chunks(src: IO[bytes], keyring: Keyring) -> Iterator[bytes]:
    """Decrypted chunks in order; raises ArchiveError at the first sign of damage."""
    damaged = ArchiveError(_("The backup is damaged or was altered; it cannot be restored."))
    header = src.read(_HEADER.size)
    if len(header) < _HEADER.size or not header.startswith(MAGIC):
        raise ArchiveError(_("This file is not a Jusoor backup."))
    _magic, version, raw_kid, salt, prefix, chunk_bytes = _HEADER.unpack(header)
    if version != FORMAT:
        raise ArchiveError(_("This backup format is not supported."))
    if not 0 < chunk_bytes <= _MAX_CHUNK_BYTES:
        raise damaged
    kid = raw_kid.rstrip(b"\0").decode("ascii", errors="replace")
    if not KID_PATTERN.fullmatch(kid):  # it is printed below, and not yet authenticated
        raise damaged
    try:
        aead = _chunk_aead(keyring.key(kid), salt)
    except DecryptionError:
        raise ArchiveError(
            _("This backup was made with key %(kid)s, which is not in the keyring.", kid=kid)
        ) from None
    block, counter = src.read(chunk_bytes + _TAG_BYTES), 0
    while True:
        ahead = src.read(chunk_bytes + _TAG_BYTES)
        flag = _MORE if ahead else _FINAL
        try:
            yield aead.decrypt(prefix + struct.pack(">I", counter), block, header + flag)
        except InvalidTag:
            raise damaged from None
        if not ahead:
            return
        block, counter = ahead, counter + 1


@contextmanager
def sealed_archive(out_file: Path, keyring: Keyring, manifest: Manifest) -> Iterator[SealedWriter]:
    """A writer whose archive appears under `out_file` (0600) only once complete and synced.

    Written beside the target and renamed, so a crash never leaves a half archive under its name.
    """
    tmp = out_file.with_name(f".{out_file.name}.{uuid7().hex}.partial")
    try:
        with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as fh:
            writer = SealedWriter(fh, keyring)
            head = manifest.to_json()
            writer.write(struct.pack(">I", len(head)) + head)
            yield writer
            writer.close()
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out_file)
    finally:
        tmp.unlink(missing_ok=True)


def open_archive(src: IO[bytes], keyring: Keyring) -> tuple[Manifest, Iterator[bytes]]:
    """The manifest, and the dump's bytes as authenticated chunks.

    The manifest is authentic (its chunks decrypted), but whether the archive was cut short is
    known only when the dump's iterator ends without an ArchiveError.
    """
    chunks = _unsealed_chunks(src, keyring)
    head = bytearray()
    for chunk in chunks:
        head += chunk
        size = struct.unpack_from(">I", head)[0] if len(head) >= 4 else 0
        if size > _MAX_MANIFEST_BYTES:
            raise ArchiveError(_("The backup manifest cannot be read."))
        if len(head) >= 4 and len(head) >= 4 + size:
            manifest = Manifest.from_json(bytes(head[4 : 4 + size]))
            return manifest, _rest(bytes(head[4 + size :]), chunks)
    raise ArchiveError(_("The backup manifest cannot be read."))


def _rest(first: bytes, chunks: Iterator[bytes]) -> Iterator[bytes]:
    if first:
        yield first
    yield from chunks
