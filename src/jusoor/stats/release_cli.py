"""`jusoor stats release`: a k-anonymised or differentially private release of the cases, written
to a CSV with its metadata beside it (`F.csv.json`)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from jusoor.core.console import JSON_OPTION, unit_of_work
from jusoor.core.i18n import gettext as _
from jusoor.stats import releases


def release(
    method: str = typer.Option(..., "--method", help="k-anon or dp."),
    out: Path = typer.Option(..., "--out", help="The CSV to write (it must not exist)."),
    as_user: str = typer.Option(
        ..., "--as", help="The user on whose behalf you act (their role and scope apply)."
    ),
    k: int | None = typer.Option(None, "--k", help="k-anon: each combination shared by k (2-100)."),
    epsilon: float | None = typer.Option(
        None, "--epsilon", help="dp: the privacy budget (0.1-10; smaller is more private)."
    ),
    country: str | None = typer.Option(None, "--country", help="Only this country's cases."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Release the cases as records that protect the people in them (HTCDS 2.0 columns).

    k-anon generalises and suppresses until every combination of quasi-identifiers is shared by
    at least k records; dp draws synthetic records from differentially private marginals. The
    method, its parameters and what was lost are written to F.csv.json; the release is audited.
    """
    from jusoor.stats.console import acting

    with unit_of_work() as session:
        releases.check_out(out)  # before any work: refused at once, nothing written
        actor = acting(session, as_user)
        made = releases.make_release(
            session, actor=actor, method=method, k=k, epsilon=epsilon, country=country
        )
        releases.write(made, out)
    if json_out:
        typer.echo(json.dumps(made.metadata, ensure_ascii=False))
        return
    typer.echo(
        _("%(count)s records written to %(path)s (method %(method)s); metadata in %(meta)s.",
          count=len(made.rows), path=str(out), method=made.metadata["method"],
          meta=str(releases.sidecar(out)))
    )  # fmt: skip
