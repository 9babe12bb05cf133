"""What each role may do, role by role and action by action, against a table written here.

`permissions.yaml` is the one place the matrix is declared; this copy exists so that a change to it
(a new grant, a wider scope) must be made twice, consciously. Deny by default: `-` means refused.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from jusoor.auth import service as auth
from jusoor.core.db import Database
from jusoor.core.permissions import ROLES, Actor, Scope, matrix, parse_matrix
from tests.conftest import DEMO_PASSWORD
from tests.support.tokens import bearer

# fmt: off
COLUMNS = ("admin", "coordinator", "screener", "case_worker", "service_provider", "investigator",
           "prosecutor", "liaison_officer", "analyst", "auditor")
EXPECTED = """
                   admin  coord  screen  casew  provid  invest  prosec  liaison  analyst  auditor
node.status        all    -      -       -      -       -       -       -        -        -
agencies.read      all    country -      -      -       -       -       all      -        -
agencies.manage    all    -      -       -      -       -       -       -        -        -
users.read         all    -      -       -      -       -       -       -        -        -
users.manage       all    -      -       -      -       -       -       -        -        -
audit.read         all    -      -       -      -       -       -       -        -        country
profile.manage     own    own    own     own    own     own     own     own      own      own
tokens.manage_own  own    own    -       -      -       own     own     own      own      own
cases.read         -      -      -       agency -       -       -       -        -        -
cases.create       -      -      country agency -       -       -       -        -        -
cases.update       -      -      -       agency -       -       -       -        -        -
cases.move         -      -      -       agency -       -       -       -        -        -
cases.consent      -      -      -       agency -       -       -       -        -        -
cases.consent_override -  -      -       agency -       -       -       -        -        -
cases.export       -      -      -       agency agency  -       -       -        -        -
cases.import       -      -      -       agency -       -       -       -        -        -
services.read      all    country country country agency -       -       -        -        -
services.manage    all    agency -       -      agency  -       -       -        -        -
referrals.read     -      -      -       agency agency  -       -       -        -        -
referrals.create   -      -      -       agency -       -       -       -        -        -
referrals.respond  -      -      -       -      agency  -       -       -        -        -
monitor.read       all    all    -       -      -       all     all     all      all      -
screening.conduct  -      -      agency  agency agency  agency  -       -        -        -
screening.read     -      -      own     agency own     country country -        -        -
identification.decide -   -      -       -      -       country country -        -        -
monitor.ingest     all    -      -       -      -       -       -       -        all      -
exchange.read      -      -      -       -      -       -       -       all      -        -
exchange.send      -      -      -       -      -       -       -       all      -        -
exchange.refer     -      -      -       agency -       -       -       -        -        -
exchange.manage    all    -      -       -      -       -       -       -        -        -
exchange.directory.read all all  -       all    -       all     all     all      -        -
exchange.directory.manage all -  -       -      -       -       -       all      -        -
entities.read      -      -      -       -      -       agency  country -        -        -
entities.manage    -      -      -       -      -       agency  -       -        -        -
entities.judge     -      -      -       agency -       agency  country -        -        -
investigations.read -     -      -       -      -       agency  country -        -        -
investigations.open -     -      -       -      -       agency  agency  -        -        -
investigations.update -   -      -       -      -       agency  country -        -        -
investigations.prosecute - -     -       -      -       -       country -        -        -
investigations.witness -  -      -       agency -       -       -       -        -        -
investigations.figures all country -     -      -       country country -        country  -
stats.read         all    country agency  agency agency  agency  agency  agency   country  -
stats.export       all    country -       agency agency  agency  agency  -        country  -
stats.release      -      country -       -      -       -       -       -        country  -
stats.import       all    country -       -      -       -       -       -        country  -
plans.read         all    country country country country country country country country  -
plans.manage       -      country -       -      -       -       -       -        -        -
plans.report       -      country agency  agency agency  agency  agency  agency   country  -
"""
# fmt: on


def expected_table() -> dict[str, dict[str, Scope | None]]:
    lines = [line.split() for line in EXPECTED.strip().splitlines()]
    table: dict[str, dict[str, Scope | None]] = {}
    for action, *cells in lines[1:]:
        assert len(cells) == len(COLUMNS), f"row {action} has {len(cells)} cells"
        table[action] = {
            role: None if cell == "-" else Scope[cell]
            for role, cell in zip(COLUMNS, cells, strict=True)
        }
    return table


def test_the_table_covers_every_role_and_every_declared_action() -> None:
    assert set(COLUMNS) == set(ROLES)
    assert set(expected_table()) == set(matrix().actions)


def _actor(*roles: str) -> Actor:
    return Actor(user_id=None, username="t", agency_id=None, country="MA", roles=frozenset(roles))


@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_do_exactly_what_the_table_says(role: str) -> None:
    actor = _actor(role)
    for action, grants in expected_table().items():
        assert actor.scope(action) == grants[role], f"{role} × {action}"
        assert actor.can(action) is (grants[role] is not None), f"{role} × {action}"


def test_an_unknown_action_is_refused_to_every_role() -> None:
    # Never granted: it raises (a typo fails its test) rather than deny silently (issue 15).
    with pytest.raises(ValueError, match="unknown permission action"):
        _actor(*ROLES).can("cases.delete_everything")


def test_a_user_with_no_role_may_do_nothing() -> None:
    assert not any(_actor().can(action) for action in matrix().actions)


def test_several_roles_get_the_widest_scope() -> None:
    assert _actor("coordinator", "liaison_officer").scope("agencies.read") is Scope.all
    assert _actor("auditor", "admin").scope("audit.read") is Scope.all


# The loader ----------------------------------------------------------------------------------


def _yaml() -> dict[str, Any]:
    from importlib import resources

    text = resources.files("jusoor.core").joinpath("permissions.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    return data


def test_the_shipped_yaml_parses() -> None:
    assert parse_matrix(_yaml()).roles == ROLES


def test_the_loader_rejects_an_unknown_role_in_a_grant() -> None:
    data = copy.deepcopy(_yaml())
    data["actions"]["users.read"]["superuser"] = "all"
    with pytest.raises(ValueError, match="unknown role"):
        parse_matrix(data)


def test_the_loader_rejects_an_unknown_scope() -> None:
    data = copy.deepcopy(_yaml())
    data["actions"]["users.read"]["admin"] = "everything"
    with pytest.raises(ValueError, match="unknown scope"):
        parse_matrix(data)


def test_the_loader_rejects_a_role_listed_twice() -> None:
    data = copy.deepcopy(_yaml())
    data["roles"].append("admin")
    with pytest.raises(ValueError, match="roles must be listed once each"):
        parse_matrix(data)


# Behaviour through the API -------------------------------------------------------------------


def test_a_screener_may_not_list_users(client: TestClient, demo_db: Database) -> None:
    response = client.get("/api/v1/users", headers=bearer(demo_db, "screener.eg"))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_a_coordinator_sees_the_agencies_of_their_country_only(
    client: TestClient, demo_db: Database
) -> None:
    headers = bearer(demo_db, "coordinator.ma")
    response = client.get("/api/v1/agencies", headers=headers)
    assert response.status_code == 200
    agencies = response.json()
    assert agencies and {a["country"] for a in agencies} == {"MA"}
    everything = client.get("/api/v1/agencies", headers=bearer(demo_db, "admin")).json()
    foreign = next(a for a in everything if a["country"] == "EG")
    assert client.get(f"/api/v1/agencies/{foreign['id']}", headers=headers).status_code == 404
    own = agencies[0]
    assert client.get(f"/api/v1/agencies/{own['id']}", headers=headers).status_code == 200


def test_an_auditor_reads_only_their_countrys_audit_events(
    client: TestClient, demo_db: Database
) -> None:
    # Sign-ins by users of several countries leave events attributed to each country.
    with demo_db.unit_of_work() as session:
        for username in ("screener.ma", "screener.eg", "coordinator.tn", "analyst.ma"):
            result = auth.login(
                session,
                username=username,
                password=DEMO_PASSWORD,
                client_addr=None,
                request_id=None,
            )
            assert result.user is not None
    moroccan = client.get("/api/v1/audit/events?limit=500", headers=bearer(demo_db, "auditor.ma"))
    assert moroccan.status_code == 200
    events = moroccan.json()["events"]
    assert events, "the Moroccan auditor should see Moroccan events"
    assert {e["country"] for e in events} == {"MA"}
    everyone = client.get("/api/v1/audit/events?limit=500", headers=bearer(demo_db, "admin"))
    assert {"EG", "MA"} <= {e["country"] for e in everyone.json()["events"]}
