"""`jusoor services …` and `jusoor referrals …`: the directory and referrals, from the console."""

from __future__ import annotations

import json
import uuid
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from jusoor.core.console import JSON_OPTION, fail, operator, unit_of_work
from jusoor.core.i18n import gettext as _
from jusoor.referrals import directory, service, workflow
from jusoor.referrals.labels import service_kind_label, status_label
from jusoor.referrals.models import Service, ServiceKind, Transition

services_app = typer.Typer(
    help="The service directory: what agencies offer, where, with what room."
)
referrals_app = typer.Typer(help="Referrals of cases to services: list them, find overdue ones.")


def _service_row(s: Service) -> dict[str, Any]:
    return {
        "id": str(s.id),
        "agency": s.agency.code,
        "kind": s.kind.value,
        "name": s.name,
        "country": s.country,
        "areas": s.areas,
        "languages": s.languages,
        "capacity_total": s.capacity_total,
        "capacity_free": s.capacity_free,
        "capacity_updated_at": s.capacity_updated_at.isoformat() if s.capacity_updated_at else None,
        "phone": s.phone,
        "email": s.email,
        "hours": s.hours,
        "active": s.active,
    }


def _kind(value: str) -> ServiceKind | None:
    if not value:
        return None
    try:
        return ServiceKind(value)
    except ValueError:
        fail(
            _(
                "--kind: choose one of: %(choices)s.",
                choices=", ".join(k.value for k in ServiceKind),
            )
        )


@services_app.command("list")
def list_services(
    kind: str = typer.Option("", "--kind", help="Kind of service, e.g. shelter or legal_aid."),
    country: str = typer.Option("", "--country", help="ISO 3166-1 alpha-2 country code."),
    language: str = typer.Option("", "--language", help="A language the service works in."),
    free: bool = typer.Option(False, "--free", help="Only services with free places."),
    inactive: bool = typer.Option(False, "--inactive", help="Include inactive services."),
    json_out: bool = JSON_OPTION,
) -> None:
    """List the services of the directory, with their capacity and contacts."""
    flt = directory.ServiceFilter(
        kind=_kind(kind),
        country=country or None,
        language=language or None,
        with_free_capacity=free,
        include_inactive=inactive,
    )
    with unit_of_work() as session:
        rows = [
            _service_row(s) for s in directory.list_services(session, actor=operator(), flt=flt)
        ]
    if json_out:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    table = Table()
    for title in (_("Agency"), _("Kind"), _("Name"), _("Languages"), _("Free places")):
        table.add_column(title)
    for r in rows:
        free_places = (
            "" if r["capacity_free"] is None else f"{r['capacity_free']}/{r['capacity_total']}"
        )
        table.add_row(
            r["agency"],
            service_kind_label(r["kind"]),
            r["name"],
            ", ".join(r["languages"]),
            free_places,
        )
    Console().print(table)


@services_app.command("capacity")
def set_capacity(
    service_id: str = typer.Argument(..., help="The service's id (jusoor services list)."),
    free: int = typer.Argument(..., help="How many places are free now."),
) -> None:
    """Record how many places a service has free now."""
    try:
        sid = uuid.UUID(service_id)
    except ValueError:
        fail(_("No such service."))
    with unit_of_work() as session:
        directory.set_free_capacity(session, actor=operator(), service_id=sid, free=free)
    typer.echo(_("Free places recorded: %(free)s.", free=free))


def _referral_row(r: Transition) -> dict[str, Any]:
    return {
        "id": str(r.id),
        "case": r.case_reference,
        "from_agency": r.from_agency.code,
        "to_agency": r.to_agency.code,
        "service_kind": r.service_kind.value,
        "status": r.status,
        "deadline": r.deadline.isoformat(),
        "overdue": workflow.is_overdue(r),
    }


@referrals_app.command("list")
def list_referrals(
    overdue: bool = typer.Option(
        False, "--overdue", help="Only those unanswered past the deadline."
    ),
    status: str = typer.Option("", "--status", help="Only referrals in this state."),
    json_out: bool = JSON_OPTION,
) -> None:
    """List referrals with their case reference, agencies, state and deadline (no case data)."""
    flt = service.ReferralFilter(status=status or None, overdue=overdue)
    with unit_of_work() as session:
        rows = [
            _referral_row(r) for r in service.list_referrals(session, actor=operator(), flt=flt)
        ]
    if json_out:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    table = Table()
    for title in (_("Case"), _("From"), _("To"), _("Kind"), _("State"), _("Deadline")):
        table.add_column(title)
    for r in rows:
        table.add_row(
            r["case"],
            r["from_agency"],
            r["to_agency"],
            service_kind_label(r["service_kind"]),
            status_label(r["status"]),
            r["deadline"],
        )
    Console().print(table)
