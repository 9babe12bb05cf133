"""Releases of records: a k-anonymised HTCDS extract or a differentially private synthetic one,
of the cases in the releaser's scope, written so that a file is whole or absent.

Only roles with `stats.release` (coordinator, analyst: their country) release; every release is
one `stats.release` audit event saying who, the method, its parameters and how many rows left.
A release never holds the case reference or any field `jusoor cases export` leaves out (names,
contacts, dates of birth, free text): it starts from the pseudonymised HTCDS row of each case.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

import jusoor
from jusoor.audit import service as audit
from jusoor.cases.htcds.columns import export_columns
from jusoor.cases.htcds.export import htcds_row
from jusoor.cases.models import Case
from jusoor.core.db import utcnow
from jusoor.core.errors import Invalid
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Action, Actor, scope_clause
from jusoor.stats import kanon

Method = Literal["k-anon", "dp"]
METHODS: tuple[Method, ...] = ("k-anon", "dp")
DEFAULT_K = 10  # CTDC's k-anonymised data use k = 10 or 11
DEFAULT_EPSILON = 1.0
RELEASE = Action.stats_release
REFERENCE = "jus_CaseReference"
YEAR = "jus_Year"


@dataclass(frozen=True)
class Release:
    columns: tuple[str, ...]
    rows: list[dict[str, str]]
    metadata: dict[str, Any]

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(self.columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.rows)
        return out.getvalue()

    def metadata_json(self) -> str:
        return json.dumps(self.metadata, ensure_ascii=False, indent=1) + "\n"


def check_method(method: str) -> Method:
    for known in METHODS:
        if method == known:
            return known
    raise Invalid(
        "method",
        _("Unknown release method %(method)s: choose k-anon or dp.", method=method),
    )


def source_rows(session: Session, *, actor: Actor, country: str | None) -> list[dict[str, Any]]:
    """The pseudonymised HTCDS rows of the cases in the actor's release scope, with the year the
    case was opened and without the case reference."""
    fields = frozenset({c.field for c in export_columns()} | {"age", "date_of_birth"})
    stmt = select(Case).where(
        scope_clause(actor, RELEASE, agency_col=Case.agency_id, country_col=Case.country)
    )
    if country:
        stmt = stmt.where(Case.country == country.upper())
    rows: list[dict[str, Any]] = []
    for case in session.scalars(stmt.order_by(Case.opened_at, Case.reference)):
        row = htcds_row(case, fields)
        row.pop(REFERENCE, None)
        row[YEAR] = str(case.opened_at.year)
        rows.append(row)
    return rows


def make_release(
    session: Session,
    *,
    actor: Actor,
    method: str,
    k: int | None = None,
    epsilon: float | None = None,
    country: str | None = None,
    seed: int | None = None,
) -> Release:
    """A release of the cases the actor may release (see the module's docstring)."""
    from jusoor.stats import dp  # here, not at the top: numpy is slow to import

    actor.require(RELEASE)
    chosen = check_method(method)
    k_used = kanon.check_k(DEFAULT_K if k is None else k) if chosen == "k-anon" else None
    epsilon_used = (
        dp.check_epsilon(DEFAULT_EPSILON if epsilon is None else epsilon)
        if chosen == "dp"
        else None
    )
    rows = source_rows(session, actor=actor, country=country)
    metadata: dict[str, Any] = {
        "standard": "HTCDS 2.0",
        "created": utcnow().isoformat(timespec="seconds"),
        "jusoor_version": jusoor.__version__,
        "country": country.upper() if country else actor.country,
        "records_in": len(rows),
    }
    if k_used is not None:
        anonymised = kanon.anonymise(rows, k=k_used)
        columns, out = anonymised.columns, anonymised.rows
        metadata.update(
            method="k-anon", k=k_used, epsilon=None, delta=None,
            attributes=list(columns), report=anonymised.report.as_dict(),
        )  # fmt: skip
    else:
        assert epsilon_used is not None
        synthetic = dp.synthesise(rows, epsilon=epsilon_used, seed=seed)
        columns, out = synthetic.columns, synthetic.rows
        metadata.update(synthetic.metadata)
    metadata["records"] = len(out)
    audit.record(
        session,
        actor=actor,
        action="stats.release",
        object_type="release",
        details={key: metadata.get(key) for key in (
            "method", "k", "epsilon", "country", "records_in", "records")},
    )  # fmt: skip
    return Release(columns=columns, rows=out, metadata=metadata)


def sidecar(out: Path) -> Path:
    """Where a release's metadata is written: beside the CSV, `F.csv.json`."""
    return out.with_name(out.name + ".json")


def check_out(out: Path) -> Path:
    """A release is never written over a file (its CSV or its metadata), nor into no folder."""
    for target in (out, sidecar(out)):
        if target.exists():
            raise Invalid("out", _("The file %(path)s already exists.", path=str(target)))
    if not out.parent.is_dir():
        raise Invalid("out", _("The folder %(path)s does not exist.", path=str(out.parent)))
    return out


def write(release: Release, out: Path) -> None:
    """Write the CSV and its metadata: each to a temporary file in the same folder, renamed into
    place only when both are whole, so a failure leaves no file (and never a half-written one)."""
    check_out(out)
    targets = [(out, release.csv()), (sidecar(out), release.metadata_json())]
    written: list[tuple[str, Path]] = []
    try:
        for target, body in targets:
            written.append((_temporary(target, body), target))
        for temporary, target in written:
            os.replace(temporary, target)
    except BaseException:
        for temporary, target in written:
            for leftover in (temporary, str(target)):
                if os.path.exists(leftover):
                    os.unlink(leftover)
        raise


def _temporary(target: Path, body: str) -> str:
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(body)
        os.chmod(name, 0o600)
    except BaseException:
        os.unlink(name)
        raise
    return name
