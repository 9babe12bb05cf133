"""The root `jusoor` command: the node's own commands, then each domain's sub-apps.

The domains' sub-apps are those they declare (`core.registry.Domain.cli`), mounted in the order
`jusoor.domains.DOMAINS` lists the domains; this module names no domain. Their extensions are
registered by the root callback, before any command runs.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import typer

from jusoor import __version__
from jusoor.cli import backup, i18n, keys, node
from jusoor.core import registry
from jusoor.core.i18n import negotiate, use_locale
from jusoor.domains import DOMAINS, register_all

HELP = (
    "Jusoor: case management, referral, network analysis and cross-border cooperation "
    "against trafficking in persons and migrant smuggling."
)


def _version(value: bool) -> None:
    if value:
        typer.echo(__version__)
        raise typer.Exit()


def root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Jusoor: software for the national bodies that fight trafficking in persons and smuggling."""
    register_all()  # every domain, with its extensions of the layers below it (jusoor.domains)


def build(domains: Sequence[registry.Domain] = DOMAINS) -> typer.Typer:
    """The root command with the sub-apps `domains` declare (read as data: nothing registered)."""
    cli = typer.Typer(
        name="jusoor",
        help=HELP,
        no_args_is_help=True,
        pretty_exceptions_enable=False,  # never print a stack trace with local variables
    )
    cli.callback()(root)
    cli.command("init")(node.init_command)
    cli.command("serve")(node.serve_command)
    cli.add_typer(node.demo_app, name="demo")
    cli.add_typer(keys.app, name="keys")
    cli.command("backup")(backup.backup_command)
    cli.command("restore")(backup.restore_command)
    cli.add_typer(i18n.app, name="i18n")
    for name, target in registry.cli_apps(domains).items():
        cli.add_typer(registry.resolve(target), name=name)
    return cli


app = build()


def main() -> None:
    """Entry point: messages in the operator's language (JUSOOR_LOCALE, then LANG)."""
    # Every file a Jusoor command creates (database, journals, keys, exports, backups) is the
    # operator's alone; files that must be shared are made so on purpose (ASVS 4.0.3 V14.1.x).
    os.umask(0o077)
    locale = negotiate(os.environ.get("JUSOOR_LOCALE"), os.environ.get("LANG"), "en")
    with use_locale(locale):
        app()
