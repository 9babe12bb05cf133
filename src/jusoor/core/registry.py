"""The domain registry: what each package adds to the node, declared once, read at the top.

Each package states what it brings in one `Domain` (its `domain.py`): the modules whose `router`
the app mounts, the CLI sub-apps, navigation entries, home-page cards, the modules that define its
tables and declare its data files, and the function that registers its extensions with the layers
below it. `jusoor.domains` lists the domains in order and registers them; the app factory, the CLI,
the navigation, the home page and the metadata loader (`core.crypto`) read the registry instead of
naming domains themselves, so a new domain is added without editing another one's files.

Routers, CLI apps, models and data files are named by strings, imported only when the app, the CLI
or the metadata loader needs them; only `register` is a function.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class NavEntry:
    """One destination in the navigation; `order` places it in the one menu all domains share."""

    href: str
    label: str  # msgid, translated at render time
    action: str | None  # permission needed to see it; None: everyone signed in
    order: int


@dataclass(frozen=True)
class Domain:
    name: str
    # Modules with a `router`, in mount order: within a domain a route that must win over a
    # path parameter (e.g. /cases/export over /cases/{id}) is mounted first.
    routers: tuple[str, ...] = ()
    # CLI sub-apps: command name -> "module:attribute" (a Typer app).
    cli: Mapping[str, str] = field(default_factory=dict)
    nav: tuple[NavEntry, ...] = ()
    # Home-page cards: a navigation href -> the msgid saying what a person does there.
    home: Mapping[str, str] = field(default_factory=dict)
    # Modules defining tables (SQLAlchemy models), so the metadata loader sees every table.
    models: tuple[str, ...] = ()
    # Modules declaring data files (`core.datafiles.declare`), so `check_all` sees every file.
    data_files: tuple[str, ...] = ()
    # The package whose `templates/` folder pages use, if any.
    templates: str | None = None
    # Run by `jusoor.domains.register_all` to register the domain's extensions below it.
    register: Callable[[], None] | None = None
    # "module:function"s that load what the domain reads lazily and keeps (data files parsed
    # into tables, a model), called once when a serving process starts (`jusoor.app.warm_up`):
    # otherwise the first person to open a page pays it, and everyone who asks meanwhile.
    warm: tuple[str, ...] = ()


_DOMAINS: dict[str, Domain] = {}


class NotRegistered(RuntimeError):
    """The registry was read before `jusoor.domains.register_all()` filled it."""


def register_domain(domain: Domain) -> None:
    """Add `domain`; the same declaration again changes nothing, another under its name is an error."""
    previous = _DOMAINS.get(domain.name)
    if previous is not None and previous != domain:
        raise ValueError(f"domain {domain.name!r} is declared twice")
    _DOMAINS[domain.name] = domain


def unregister_domain(name: str) -> None:
    """Remove a domain (tests that add a fake one take it out again)."""
    _DOMAINS.pop(name, None)


def domains() -> tuple[Domain, ...]:
    """The registered domains, in registration order; loud if none is registered yet."""
    if not _DOMAINS:
        raise NotRegistered("No domain is registered: call jusoor.domains.register_all().")
    return tuple(_DOMAINS.values())


def resolve(path: str) -> Any:
    """The object a "module:attribute" string names."""
    module, _, attribute = path.partition(":")
    return getattr(importlib.import_module(module), attribute)


def router_modules() -> tuple[str, ...]:
    return tuple(name for d in domains() for name in d.routers)


def cli_apps(of: Iterable[Domain] | None = None) -> dict[str, str]:
    """CLI sub-apps by command name, of the registered domains (or of `of`)."""
    apps: dict[str, str] = {}
    for d in domains() if of is None else of:
        for name, target in d.cli.items():
            if name in apps:
                raise ValueError(f"CLI command {name!r} is declared twice")
            apps[name] = target
    return apps


def nav() -> tuple[NavEntry, ...]:
    return tuple(sorted((e for d in domains() for e in d.nav), key=lambda e: e.order))


def home_cards() -> dict[str, str]:
    return {href: msgid for d in domains() for href, msgid in d.home.items()}


def model_modules() -> tuple[str, ...]:
    return tuple(name for d in domains() for name in d.models)


def data_file_modules() -> tuple[str, ...]:
    return tuple(name for d in domains() for name in d.data_files)


def template_packages() -> tuple[str, ...]:
    return tuple(d.templates for d in domains() if d.templates)


def registrations() -> tuple[Callable[[], None], ...]:
    return tuple(d.register for d in domains() if d.register)


def warmers() -> tuple[str, ...]:
    return tuple(name for d in domains() for name in d.warm)
