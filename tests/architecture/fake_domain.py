"""A domain that exists only in tests: proves a new domain is added by declaring it, nothing else."""

from __future__ import annotations

import typer
from fastapi import APIRouter
from fastapi.responses import PlainTextResponse

from jusoor.core.registry import Domain, NavEntry

router = APIRouter(include_in_schema=False)
cli = typer.Typer(help="A probe domain of the tests.")
registered: list[str] = []


@router.get("/probe-domain", response_class=PlainTextResponse)
def probe() -> str:
    return "probe"


@cli.command("hello")
def hello() -> None:
    """Say hello from the probe domain."""
    typer.echo("hello from the probe domain")


def register() -> None:
    registered.append("probe")


DOMAIN = Domain(
    name="probe",
    routers=("tests.architecture.fake_domain",),
    cli={"probe": "tests.architecture.fake_domain:cli"},
    nav=(NavEntry("/probe-domain", "Probe", None, order=155),),
    home={"/probe-domain": "Probe the registry."},
    register=register,
)
