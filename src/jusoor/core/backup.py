"""Encrypted, consistent backups of the whole database, and restores verified by reading back.

An archive is a header and AES-256-GCM chunks (the STREAM construction). The chunk key is
HKDF-SHA256(data key, random salt), so archives never share a key with field tokens; chunk *i* has
nonce `prefix ‖ i` and associated data `header ‖ final-flag`, so a changed header or chunk, and
chunks reordered, cut off or appended, are all detected. The plaintext is
`u32 length ‖ manifest JSON ‖ dump` (the SQLite file, or a `pg_dump --format=custom` archive), and
it only ever lies in a private (0700) temporary directory that is removed afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import struct
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import URL, Connection, create_engine, func, inspect, make_url, select, table
from sqlalchemy.pool import NullPool

from jusoor import __version__
from jusoor.core.crypto import KID_PATTERN, DecryptionError, Keyring
from jusoor.core.db import utcnow
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


class _SealedWriter:
    def __init__(self, out: IO[bytes], keyring: Keyring) -> None:
        kid, salt, self._prefix = keyring.primary_kid.encode(), os.urandom(32), os.urandom(8)
        self._header = _HEADER.pack(MAGIC, FORMAT, kid, salt, self._prefix, CHUNK_BYTES)
        self._aead = _chunk_aead(keyring.key(keyring.primary_kid), salt)
        self._out, self._buf, self._counter = out, bytearray(), 0
        out.write(self._header)

    def write(self, data: bytes) -> None:
        self._buf += data
        # Keep at least one byte back: only close() knows which chunk is the last.
        while len(self._buf) > CHUNK_BYTES:
            self._seal(bytes(self._buf[:CHUNK_BYTES]), _MORE)
            del self._buf[:CHUNK_BYTES]

    def close(self) -> None:
        self._seal(bytes(self._buf), _FINAL)

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


def _write_archive(out_file: Path, manifest: Manifest, dump: Path, keyring: Keyring) -> None:
    # Write beside the target and rename, so a crash never leaves a half archive under its name.
    tmp = out_file.with_name(f".{out_file.name}.{uuid7().hex}.partial")
    try:
        with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as fh:
            writer = _SealedWriter(fh, keyring)
            head = manifest.to_json()
            writer.write(struct.pack(">I", len(head)) + head)
            with dump.open("rb") as src:
                while data := src.read(CHUNK_BYTES):
                    writer.write(data)
            writer.close()
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out_file)
    finally:
        tmp.unlink(missing_ok=True)


def _read_archive(src: IO[bytes], keyring: Keyring, dump: Path) -> Manifest:
    head, manifest = bytearray(), None
    with dump.open("xb") as out:
        for chunk in _unsealed_chunks(src, keyring):
            if manifest is not None:
                out.write(chunk)
                continue
            head += chunk
            size = struct.unpack_from(">I", head)[0] if len(head) >= 4 else 0
            if size > _MAX_MANIFEST_BYTES:
                raise ArchiveError(_("The backup manifest cannot be read."))
            if len(head) >= 4 and len(head) >= 4 + size:
                manifest = bytes(head[4 : 4 + size])
                out.write(head[4 + size :])
    # Only now, with the final chunk authenticated, may the manifest be believed.
    return Manifest.from_json(manifest or b"")


# --- databases ------------------------------------------------------------------------------


def create_backup(
    out_file: Path, *, url: str, keyring: Keyring, overwrite: bool = False
) -> Manifest:
    """Write a consistent snapshot of the database at `url`, encrypted under the primary key.

    Safe while Jusoor runs. The archive appears under `out_file` only once it is complete.
    """
    if out_file.exists() and not overwrite:
        raise BackupError(_("%(path)s already exists.", path=out_file))
    engine = _engine(url)
    source = _sqlite_path(url) if engine == "sqlite" else None
    with _private_dir(source.parent if source else None) as work:
        dump = work / "dump"
        tables = _snapshot_sqlite(source, dump) if source else _snapshot_postgres(url, dump)
        manifest = Manifest(
            backup_id=str(uuid7()),
            created_at=utcnow().isoformat(timespec="seconds"),
            engine=engine,
            jusoor_version=__version__,
            kid=keyring.primary_kid,
            tables=tables,
        )
        _write_archive(out_file, manifest, dump, keyring)
    return manifest


def restore_backup(in_file: Path, *, url: str, keyring: Keyring) -> Manifest:
    """Replace the database at `url` with the archive's contents, then read it back and check it.

    Nothing is changed unless the whole archive decrypts and authenticates. Raises
    VerificationError when the restored database does not match the manifest. Stop Jusoor first.
    """
    engine = _engine(url)
    target = _sqlite_path(url) if engine == "sqlite" else None
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
    with _private_dir(target.parent if target else None) as work, in_file.open("rb") as src:
        dump = work / "dump"
        manifest = _read_archive(src, keyring, dump)
        if manifest.engine != engine:
            raise BackupError(
                _(
                    "This is a %(kind)s backup; the database is %(engine)s.",
                    kind=manifest.engine,
                    engine=engine,
                )
            )
        if target is not None:
            _verify(_sqlite_url(dump), manifest)  # before it replaces anything
            _replace_sqlite(target, dump)
        else:
            # One transaction: a restore that fails half-way leaves the old database as it was.
            options = ("--clean", "--if-exists", "--no-owner", "--single-transaction")
            _pg_tool("pg_restore", url, *options, str(dump))
    _verify(url, manifest)
    return manifest


def has_rows(url: str) -> bool:
    """Whether any table of the database at `url` holds a row (a missing SQLite file holds none)."""
    if _engine(url) == "sqlite" and not _sqlite_path(url).exists():
        return False
    with _connect(url) as conn:
        return any(_row_counts(conn).values())


def _engine(url: str) -> str:
    name = make_url(url).get_backend_name()
    if name not in ("sqlite", "postgresql"):
        raise BackupError(_("Backups support SQLite and PostgreSQL, not %(engine)s.", engine=name))
    return name


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError(_("Only a SQLite database file can be backed up or restored."))
    return Path(database)


def _sqlite_url(path: Path) -> URL:
    return URL.create("sqlite", database=str(path))


@contextmanager
def _connect(url: str | URL) -> Iterator[Connection]:
    engine = create_engine(url, poolclass=NullPool, hide_parameters=True)
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


def _row_counts(conn: Connection) -> dict[str, int]:
    insp = inspect(conn)
    schemas: list[str | None] = [None]
    if conn.dialect.name == "postgresql":
        schemas = [s for s in insp.get_schema_names() if s != "information_schema"]
    counts = {}
    for schema in schemas:
        for name in insp.get_table_names(schema=schema):
            key = name if schema in (None, insp.default_schema_name) else f"{schema}.{name}"
            query = select(func.count()).select_from(table(name, schema=schema))
            counts[key] = conn.execute(query).scalar_one()
    return counts


def _verify(url: str | URL, manifest: Manifest) -> None:
    with _connect(url) as conn:
        if conn.dialect.name == "sqlite":
            result = conn.exec_driver_sql("PRAGMA integrity_check").scalars().all()
            if result != ["ok"]:
                raise VerificationError(_("The restored database fails its integrity check."))
        counts = _row_counts(conn)
    if counts != manifest.tables:
        expected = manifest.tables
        names = sorted(
            k for k in counts.keys() | expected.keys() if counts.get(k) != expected.get(k)
        )
        raise VerificationError(
            _("Row counts differ from the backup in: %(tables)s.", tables=", ".join(names[:10]))
        )


def _snapshot_sqlite(path: Path, dump: Path) -> dict[str, int]:
    if not path.is_file():
        raise BackupError(_("Database file %(path)s does not exist.", path=path))
    # mode=rw: never create an empty database by mistake. The online backup API copies a
    # consistent snapshot while other connections keep working.
    try:
        src = sqlite3.connect(path.resolve().as_uri() + "?mode=rw", uri=True, timeout=30)
        dst = sqlite3.connect(dump)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # a self-contained file, no -wal beside it
        finally:
            dst.close()
            src.close()
    except sqlite3.Error as exc:
        raise BackupError(_("The database cannot be read: %(reason)s", reason=exc)) from None
    with _connect(_sqlite_url(dump)) as conn:
        return _row_counts(conn)


def _replace_sqlite(target: Path, restored: Path) -> None:
    mode = target.stat().st_mode & 0o777 if target.exists() else 0o600
    if target.exists():
        # Leaving WAL mode needs the only connection: this both checkpoints the old file and
        # proves no server has it open (an old -wal replayed onto the new file would corrupt it).
        conn = sqlite3.connect(target, timeout=5)
        try:
            journal = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        except sqlite3.OperationalError:
            journal = "busy"
        except sqlite3.Error as exc:
            raise BackupError(
                _("The database cannot be replaced: %(reason)s", reason=exc)
            ) from None
        finally:
            conn.close()
        if str(journal).lower() != "delete":
            raise BackupError(_("The database is in use: stop Jusoor before restoring."))
    for suffix in ("-wal", "-shm", "-journal"):
        target.with_name(target.name + suffix).unlink(missing_ok=True)
    os.chmod(restored, mode)
    os.replace(restored, target)


def _snapshot_postgres(url: str, dump: Path) -> dict[str, int]:
    with _connect(url) as conn:
        conn.execution_options(isolation_level="REPEATABLE READ")
        # pg_dump reads the very snapshot the counts come from, so the manifest matches the dump.
        snapshot = conn.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one()
        tables = _row_counts(conn)
        _pg_tool("pg_dump", url, "--format=custom", f"--snapshot={snapshot}", f"--file={dump}")
        conn.rollback()
    return tables


def _pg_tool(tool: str, url: str, *args: str) -> None:
    exe = shutil.which(tool)
    if exe is None:
        raise BackupError(_("%(tool)s was not found on PATH.", tool=tool))
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password is not None:
        # In the environment, not the command line, where other local users could read it.
        env["PGPASSWORD"] = str(parsed.password)
    dbname = parsed.set(drivername="postgresql", password=None).render_as_string(
        hide_password=False
    )
    done = subprocess.run(  # noqa: S603 - fixed argv, no shell
        [exe, "--no-password", f"--dbname={dbname}", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines() or ["?"]
        raise BackupError(_("%(tool)s failed: %(reason)s", tool=tool, reason=lines[-1][:300]))


@contextmanager
def _private_dir(parent: Path | None) -> Iterator[Path]:
    # Beside a SQLite database (same file system, so the restore is a rename); else in TMPDIR.
    with tempfile.TemporaryDirectory(prefix=".jusoor-backup-", dir=parent) as name:
        path = Path(name)
        path.chmod(0o700)
        yield path
