"""Signed checkpoints of the audit chain's head, appended to a file outside the database.

A checkpoint says "event `seq` of node `node` had hash `hash` at `at`", with an HMAC under the
audit key `kid` (ASVS 7.3.3). Kept in `JUSOOR_AUDIT_ANCHOR` (default
`<data dir>/audit-anchors.jsonl`, 0600), one JSON object per line, so that removing events from the
end of the log and moving `audit_head` back is found: the log then ends before an anchored event.

The file is only ever appended to (O_APPEND), under an exclusive `flock`, one `write` per line,
fsynced, so several processes (the server's checkpointer, `jusoor audit verify`) never interleave
or lose lines. Put it on storage the database's administrators cannot write (another host, a
write-once volume, `chattr +a`) to make it as strong as its location.
"""

from __future__ import annotations

import fcntl
import hmac
import json
import logging
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from jusoor.audit.keys import AuditKeyring, MissingAuditKey
from jusoor.core.i18n import gettext as _

FORMAT = 1
CheckpointListener = Callable[[str], None]  # receives each signed checkpoint line once written
_listeners: list[CheckpointListener] = []
_CONTEXT = "jusoor-audit-checkpoint"  # domain separation from the events' HMACs
_TAIL_BYTES = 8192
log = logging.getLogger("jusoor.audit")


class AnchorError(Exception):
    """A line of the anchor file is not a checkpoint signed by one of our audit keys."""

    def __init__(self, line: int, message: str, kid: str | None = None) -> None:
        super().__init__(message)
        self.line, self.message, self.kid = line, message, kid


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str  # ISO 8601, UTC
    kid: str
    node: str
    legacy_through: int = (
        0  # the last event sealed with plain SHA-256 before keyed hashes (0: none)
    )
    v: int = FORMAT

    def _message(self) -> str:
        body = json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))
        return f"{_CONTEXT}\n{body}"

    def signed_line(self, keys: AuditKeyring) -> str:
        """The checkpoint as one JSON line, with its HMAC under key `kid`."""
        return json.dumps(
            {**asdict(self), "mac": keys.mac(self.kid, self._message())},
            sort_keys=True,
            separators=(",", ":"),
        )


def on_checkpoint(listener: CheckpointListener) -> None:
    """Call `listener` with every checkpoint line this process appends (an extension point).

    A layer above audit (e.g. the exchange, sending the latest checkpoint to a peer as a second,
    independent anchor) registers here, so audit never imports it. A failing listener is logged,
    never allowed to undo or block the checkpoint.
    """
    _listeners.append(listener)


def _notify(line: str) -> None:
    for listener in list(_listeners):
        try:
            listener(line)
        except Exception:  # another layer's failure must not lose our anchor
            log.exception("an audit checkpoint listener failed")


def parse_line(text: str, keys: AuditKeyring, *, line: int) -> Checkpoint:
    """A checkpoint from one line, its signature checked; AnchorError when forged or malformed."""
    try:
        raw = json.loads(text)
        mac = str(raw.pop("mac"))
        checkpoint = Checkpoint(
            seq=int(raw["seq"]),
            hash=str(raw["hash"]),
            at=str(raw["at"]),
            kid=str(raw["kid"]),
            node=str(raw["node"]),
            legacy_through=int(raw.get("legacy_through", 0)),
            v=int(raw["v"]),
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        raise AnchorError(
            line, _("Line %(line)s of the anchor file is not a checkpoint.", line=line)
        ) from None
    try:
        expected = keys.mac(checkpoint.kid, checkpoint._message())
    except MissingAuditKey as exc:
        raise AnchorError(line, str(exc), kid=exc.kid) from None
    if not _equal(expected, mac) or set(raw) - set(asdict(checkpoint)):
        raise AnchorError(
            line, _("Line %(line)s of the anchor file does not carry a valid signature.", line=line)
        )
    return checkpoint


def _equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def read_all(path: Path, keys: AuditKeyring) -> list[Checkpoint] | None:
    """Every checkpoint in the file, in order; None when the file does not exist.

    A file others may write is refused: they could not forge a checkpoint, but they could remove
    the newest ones and so hide events cut from the end of the log.
    """
    try:
        with path.open("r", encoding="utf-8") as fh:
            if os.fstat(fh.fileno()).st_mode & 0o022:
                message = _(
                    "The anchor file %(path)s can be written by others: run chmod 600 on it.",
                    path=path,
                )
                raise AnchorError(0, message)
            lines = fh.read().splitlines()
    except FileNotFoundError:
        return None
    return [parse_line(text, keys, line=n) for n, text in enumerate(lines, 1) if text.strip()]


def append(path: Path, checkpoint: Checkpoint, keys: AuditKeyring, *, create: bool) -> bool:
    """Append `checkpoint` unless the last one already names the same event and hash.

    `create` allows starting the file; otherwise a missing file is FileNotFoundError, so that a
    removed anchor file is reported instead of silently replaced. True when a line was written.
    """
    flags = os.O_WRONLY | os.O_APPEND | (os.O_CREAT if create else 0)
    created = create and not path.exists()
    if created:
        path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, flags | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # released when fd is closed
        if _names_same_event(_last_line(path), checkpoint):
            return False
        line = checkpoint.signed_line(keys)
        data = (line + "\n").encode("utf-8")
        if os.write(fd, data) != len(data):  # a regular file takes it whole, or raises
            raise OSError(_("The anchor file %(path)s could not be written.", path=path))
        os.fsync(fd)
    finally:
        os.close(fd)
    if created:
        _fsync_dir(path.parent)
    _notify(line)
    return True


def read_last(path: Path, keys: AuditKeyring) -> Checkpoint | None:
    """The newest checkpoint, its signature checked (reads only the file's tail); None: no file."""
    try:
        last = _last_line(path)
    except FileNotFoundError:
        return None
    return None if last is None else parse_line(last, keys, line=0)


def _names_same_event(line: str | None, checkpoint: Checkpoint) -> bool:
    try:
        previous = json.loads(line) if line else {}
    except ValueError:
        return False
    return bool(previous.get("seq") == checkpoint.seq and previous.get("hash") == checkpoint.hash)


def _last_line(path: Path) -> str | None:
    with path.open("rb") as fh:
        fh.seek(0, os.SEEK_END)
        size = fh.tell()
        fh.seek(max(0, size - _TAIL_BYTES))
        lines = [line for line in fh.read().splitlines() if line.strip()]
    return lines[-1].decode("utf-8", "replace") if lines else None


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
