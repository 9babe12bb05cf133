"""The domain registry (core.registry, filled by jusoor.domains): every domain declared once, in
one place, and the app, the CLI, the menu, the home page, the metadata loader and the data-file
check all read it, so a new domain is added without editing anyone else's files."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from jusoor.core import registry
from jusoor.core.crypto import all_models_metadata
from jusoor.core.db import Database
from jusoor.domains import DOMAINS, register_all
from jusoor.web import templating
from tests.architecture import fake_domain
from tests.conftest import DEMO_PASSWORD
from tests.support.web import login

SRC = Path(__file__).resolve().parents[2] / "src" / "jusoor"

# The menu before the registry (its order is the one users know); a new domain may add entries
# anywhere (NavEntry.order), these keep their order.
MENU = [
    "/",
    "/admin/users",
    "/admin/agencies",
    "/screening",
    "/cases",
    "/audit",
    "/referrals",
    "/services",
    "/monitor",
    "/exchange",
    "/exchange/contacts",
    "/exchange/peers",
    "/entities",
    "/network",
    "/entities/review",
    "/profile",
]

# Every command `jusoor --help` listed before the registry; a new domain may add its own.
COMMANDS = {
    "init", "serve", "backup", "restore", "demo", "keys", "i18n", "users", "agencies", "audit",
    "monitor", "names", "resolve", "screening", "services", "referrals", "cases", "exchange",
    "entities", "graph",
}  # fmt: skip

# Pairs of routes one URL could reach, where the parametrised one is mounted first on purpose.
SHADOWING_ALLOWED = {
    # /cases/opened/profile reaches the first; "opened" is no case id (a UUID), so no real URL
    # of the second is ever taken by the first.
    ("/cases/{case_id}/profile", "/cases/opened/{reference}"),
}


def test_each_domain_is_declared_once_in_its_own_package() -> None:
    names = [d.name for d in DOMAINS]
    assert len(names) == len(set(names)), names
    declared_in = {p.parent.name for p in SRC.glob("*/domain.py")}
    assert declared_in == set(names)
    for domain in DOMAINS:
        module = f"jusoor.{domain.name}.domain"
        assert __import__(module, fromlist=["DOMAIN"]).DOMAIN is domain


def test_a_second_declaration_under_a_taken_name_is_refused() -> None:
    register_all()
    with pytest.raises(ValueError, match="declared twice"):
        registry.register_domain(registry.Domain(name="cases"))


def test_the_menu_and_home_cards_are_unchanged() -> None:
    register_all()
    menu = [e.href for e in templating.navigation()]
    assert [href for href in menu if href in MENU] == MENU
    assert len(menu) == len(set(menu)), menu
    orders = [e.order for e in templating.navigation()]
    assert len(orders) == len(set(orders)), "two menu entries claim one place"
    cards = registry.home_cards()
    assert set(MENU) - {"/"} <= set(cards)  # every destination but home says what it is for
    assert set(cards) <= set(menu)  # a card leads to a menu destination


def _segments_clash(first: str, second: str) -> bool:
    a, b = first.strip("/").split("/"), second.strip("/").split("/")
    return (
        first != second
        and len(a) == len(b)
        and all(x == y or x.startswith("{") or y.startswith("{") for x, y in zip(a, b, strict=True))
    )


def _first_wins_wrongly(first: str, second: str) -> bool:
    """`first` is mounted before `second`: wrong when, at the first segment where they differ,
    `first` has a parameter and `second` a fixed word (the word's URLs would never reach it)."""
    for x, y in zip(first.strip("/").split("/"), second.strip("/").split("/"), strict=True):
        if x != y:
            return x.startswith("{") and not y.startswith("{")
    return False


def test_no_route_is_hidden_behind_an_earlier_parametrised_one() -> None:
    """Domains mount in `jusoor.domains` order: a fixed path (/cases/export) must still come
    before a path parameter at its place (/cases/{case_id}), whatever the order of domains."""
    app = __import__("jusoor.app", fromlist=["create_app"]).create_app(Database("sqlite://"))
    routes = [(r.path, set(r.methods or ())) for r in iter_route_contexts(app.routes)]
    hidden = [
        (p, q)
        for i, (p, m) in enumerate(routes)
        for q, n in routes[i + 1 :]
        if m & n and _segments_clash(p, q) and _first_wins_wrongly(p, q)
    ]
    assert set(hidden) <= SHADOWING_ALLOWED, hidden
    assert len(routes) == len({(p, frozenset(m)) for p, m in routes}), "a route is mounted twice"


def test_the_cli_lists_the_same_commands() -> None:
    from jusoor.cli.main import app

    result = CliRunner().invoke(app, ["--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    listed = set(re.findall(r"^│ (\w+)\s{2,}", result.output, flags=re.MULTILINE))
    assert listed >= COMMANDS


def _table_modules() -> Iterator[str]:
    """Modules that define a table (a class deriving from `Base`), read from the source."""
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(
            isinstance(node, ast.ClassDef)
            and any(isinstance(b, ast.Name) and b.id == "Base" for b in node.bases)
            for node in tree.body
        ):
            parts = path.relative_to(SRC.parent).with_suffix("").parts
            yield ".".join(parts)


def test_every_table_is_in_a_declared_model_module() -> None:
    register_all()
    assert set(_table_modules()) == set(registry.model_modules())
    assert "entity_judgements" in all_models_metadata().tables


@pytest.fixture
def probe_domain() -> Iterator[registry.Domain]:
    register_all()
    registry.register_domain(fake_domain.DOMAIN)
    try:
        yield fake_domain.DOMAIN
    finally:
        registry.unregister_domain(fake_domain.DOMAIN.name)
        register_all()  # the menu and templates of the real domains only, again


def test_a_new_domain_needs_no_edit_elsewhere(
    probe_domain: registry.Domain, demo_sqlite: Database
) -> None:
    """Declared and registered, a domain's router, menu entry, home card, CLI and extensions
    are live; no file of the app, the CLI, web or another domain names it."""
    from jusoor.app import create_app
    from jusoor.cli.main import build

    with TestClient(create_app(demo_sqlite), base_url="http://127.0.0.1:8000") as client:
        assert "probe" in fake_domain.registered  # its register() ran
        login(client, demo_sqlite, "admin", DEMO_PASSWORD)
        assert client.get("/probe-domain").text == "probe"
        home = client.get("/").text
        assert 'href="/probe-domain"' in home
        assert "Probe the registry." in home
    result = CliRunner().invoke(build((*DOMAINS, probe_domain)), ["probe", "hello"])
    assert result.exit_code == 0, result.output
    assert "hello from the probe domain" in result.output


def test_reading_the_models_before_registration_is_loud(monkeypatch: pytest.MonkeyPatch) -> None:
    """Key rotation and migrations must see every table: an empty registry raises, it does not
    hand back a partial schema."""
    monkeypatch.setattr(registry, "_DOMAINS", {})
    with pytest.raises(registry.NotRegistered, match="register_all"):
        all_models_metadata()
