"""Bounds on every file a user imports, checked before the file is read (ASVS 4.0.3 12.1.1:
size; 12.1.2: compressed files checked against their inflated size and a maximum; 5.1.4 and
12.1.1 also bound what parsing may cost, so rows are counted as they stream).

Two profiles: the console (`cli_limits`) takes large legal files from an operator at the
server; the web and API (`web_limits`) take what one request may carry, never more than the
body limit of the middleware. Every refusal is an `Invalid("file", …)` naming the limit, raised
before anything is written.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from jusoor.core.config import get_settings
from jusoor.core.errors import Invalid
from jusoor.core.i18n import format_number
from jusoor.core.i18n import gettext as _

# Below this, a member's compression ratio says nothing: a few kilobytes of XML may fold well.
RATIO_FLOOR_BYTES = 1 << 20


@dataclass(frozen=True)
class ImportLimits:
    """How large an imported file may be: on disk, in rows, and (XLSX) once unpacked."""

    max_bytes: int
    max_rows: int
    max_unpacked_bytes: int
    max_zip_ratio: int
    max_zip_members: int


def cli_limits() -> ImportLimits:
    """The console's limits (`JUSOOR_IMPORT_MAX_BYTES`, `JUSOOR_IMPORT_MAX_ROWS`, …)."""
    s = get_settings()
    return ImportLimits(
        s.import_max_bytes,
        s.import_max_rows,
        s.import_max_unpacked_bytes,
        s.import_max_zip_ratio,
        s.import_max_zip_members,
    )


def web_limits() -> ImportLimits:
    """The web's and API's limits: `JUSOOR_IMPORT_WEB_MAX_*`, and never above the body limit."""
    s = get_settings()
    return ImportLimits(
        min(s.import_web_max_bytes, s.max_body_bytes),
        s.import_web_max_rows,
        s.import_max_unpacked_bytes,
        s.import_max_zip_ratio,
        s.import_max_zip_members,
    )


def _number(value: int) -> str:
    return format_number(value)


def too_large(name: str, size: int, limit: int) -> Invalid:
    return Invalid(
        "file",
        _(
            "The file %(file)s is %(size)s bytes; files of up to %(limit)s bytes can be imported.",
            file=name,
            size=_number(size),
            limit=_number(limit),
        ),
    )


def check_size(name: str, size: int, limits: ImportLimits) -> None:
    """Invalid when `size` bytes are over the limit."""
    if size > limits.max_bytes:
        raise too_large(name, size, limits.max_bytes)


def check_file(path: Path, limits: ImportLimits) -> None:
    """Invalid when the file on disk is over the limit (its size is read, not its content)."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise Invalid(
            "file",
            _("%(file)s cannot be read (%(reason)s).", file=path.name, reason=exc.strerror),
        ) from None
    check_size(path.name, size, limits)


def read_capped(path: Path, limits: ImportLimits) -> bytes:
    """The bytes of a file under the limit; never reads more than the limit and one byte, so a
    file that grows (or a device that never ends) is refused too."""
    check_file(path, limits)
    with path.open("rb") as handle:
        data = handle.read(limits.max_bytes + 1)
    check_size(path.name, len(data), limits)
    return data


def too_many_rows(name: str, limits: ImportLimits) -> Invalid:
    return Invalid(
        "file",
        _(
            "The file %(file)s has more than %(limit)s rows; split it into smaller files.",
            file=name,
            limit=_number(limits.max_rows),
        ),
    )


def check_rows(name: str, rows: int, limits: ImportLimits) -> None:
    """Invalid when `rows` data rows are over the limit (call it as rows stream in)."""
    if rows > limits.max_rows:
        raise too_many_rows(name, limits)


def check_zip(path: Path, limits: ImportLimits) -> None:
    """Check an XLSX (zip) from its central directory alone, before any member is inflated:
    the number of members, their total unpacked size, and how far each large member (and the
    whole) is compressed. Python's zipfile never inflates a member past the size the directory
    declares, so these figures bound what a reader can be made to unpack."""
    check_file(path, limits)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError):
        raise Invalid(
            "file", _("The file %(file)s is not an XLSX workbook.", file=path.name)
        ) from None
    name = path.name
    if len(members) > limits.max_zip_members:
        raise Invalid(
            "file",
            _(
                "The workbook %(file)s holds %(count)s parts; at most %(limit)s are allowed.",
                file=name,
                count=_number(len(members)),
                limit=_number(limits.max_zip_members),
            ),
        )
    unpacked = sum(m.file_size for m in members)
    if unpacked > limits.max_unpacked_bytes:
        raise Invalid(
            "file",
            _(
                "The workbook %(file)s would unpack to %(size)s bytes; at most %(limit)s bytes "
                "are allowed.",
                file=name,
                size=_number(unpacked),
                limit=_number(limits.max_unpacked_bytes),
            ),
        )
    packed = sum(m.compress_size for m in members)
    large = [m for m in members if m.file_size > RATIO_FLOOR_BYTES]
    worst = max(
        [unpacked / max(packed, 1)] + [m.file_size / max(m.compress_size, 1) for m in large]
    )
    if unpacked > RATIO_FLOOR_BYTES and worst > limits.max_zip_ratio:
        raise Invalid(
            "file",
            _(
                "The workbook %(file)s is compressed %(ratio)s times over; at most %(limit)s "
                "times is allowed.",
                file=name,
                ratio=_number(int(worst)),
                limit=_number(limits.max_zip_ratio),
            ),
        )
