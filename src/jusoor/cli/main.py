"""The root `jusoor` command: each domain adds its sub-app here."""

from __future__ import annotations

import os

import typer

import jusoor.cases.htcds.cli  # noqa: F401 - adds `cases export` and `cases import`
from jusoor import __version__
from jusoor.agencies.cli import agencies_app, users_app
from jusoor.audit.cli import app as audit_app
from jusoor.cases.cli import app as cases_app
from jusoor.cli import backup, i18n, keys, node
from jusoor.core.i18n import negotiate, use_locale
from jusoor.domains import register_all
from jusoor.entities.cli import app as entities_app
from jusoor.entities.resolution.cli import app as names_app
from jusoor.entities.resolution.persons_cli import app as resolve_app
from jusoor.exchange.cli import app as exchange_app
from jusoor.graph.cli import app as graph_app
from jusoor.monitor.cli import app as monitor_app
from jusoor.referrals.cli import referrals_app, services_app
from jusoor.screening.cli import app as screening_app

app = typer.Typer(
    name="jusoor",
    help="Jusoor: case management, referral, network analysis and cross-border cooperation "
    "against trafficking in persons and migrant smuggling.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,  # never print a stack trace with local variables
)


def _version(value: bool) -> None:
    if value:
        typer.echo(__version__)
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Jusoor: software for the national bodies that fight trafficking in persons and smuggling."""
    register_all()  # the domains' extensions of the layers below them (jusoor.domains)


app.command("init")(node.init_command)
app.command("serve")(node.serve_command)
app.add_typer(node.demo_app, name="demo")
app.add_typer(users_app, name="users")
app.add_typer(agencies_app, name="agencies")
app.add_typer(audit_app, name="audit")
app.add_typer(keys.app, name="keys")
app.command("backup")(backup.backup_command)
app.command("restore")(backup.restore_command)
app.add_typer(i18n.app, name="i18n")
app.add_typer(monitor_app, name="monitor")
app.add_typer(names_app, name="names")
app.add_typer(resolve_app, name="resolve")
app.add_typer(screening_app, name="screening")
app.add_typer(services_app, name="services")
app.add_typer(referrals_app, name="referrals")
app.add_typer(cases_app, name="cases")
app.add_typer(exchange_app, name="exchange")
app.add_typer(entities_app, name="entities")
app.add_typer(graph_app, name="graph")


def main() -> None:
    """Entry point: messages in the operator's language (JUSOOR_LOCALE, then LANG)."""
    # Every file a Jusoor command creates (database, journals, keys, exports, backups) is the
    # operator's alone; files that must be shared are made so on purpose (ASVS 4.0.3 V14.1.x).
    os.umask(0o077)
    locale = negotiate(os.environ.get("JUSOOR_LOCALE"), os.environ.get("LANG"), "en")
    with use_locale(locale):
        app()
