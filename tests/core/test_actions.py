"""Permission actions: the `Action` enum, `permissions.yaml` and the action literals in `src` agree.

An action missing from the YAML used to deny everyone silently; now the three agree by test and an
unknown action raises (OWASP ASVS 4.0.3 V4.1.3 least privilege, V4.1.5 access control fails safely).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import jusoor
from jusoor.core.permissions import Action, Actor, matrix, scope_clause, system_actor

SRC = Path(jusoor.__file__).parent
DECLARED = {a.value for a in Action}
# Calls whose action argument(s) we read: method or function name -> positions of actions (None: all).
ACTION_CALLS: dict[str, tuple[int, ...] | None] = {
    "require": (0,),
    "can": (0,),
    "scope": (0,),
    "scope_clause": (1,),
    "in_scope": (1,),
    "requires": None,
}
# Getters that take the action to check as a keyword (`get_user(..., action="users.manage")`).
ACTION_KEYWORD_CALLS = {"get_user", "get_service", "_load", "owns_case", "get_agency"}


def _namespaces() -> set[str]:
    return {action.split(".", 1)[0] for action in Action}


def _literals(node: ast.AST) -> Iterator[ast.Constant]:
    """String constants in `node`, looking into conditional expressions, tuples and dicts."""
    for child in ast.walk(node):
        if isinstance(child, ast.Constant) and isinstance(child.value, str):
            yield child


def _action_literals(tree: ast.Module) -> Iterator[ast.Constant]:
    namespaces = _namespaces()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name in ACTION_CALLS:
                positions = ACTION_CALLS[name]
                args = (
                    node.args
                    if positions is None
                    else [node.args[i] for i in positions if i < len(node.args)]
                )
                args += [k.value for k in node.keywords if k.arg == "action"]
                for arg in args:
                    yield from _literals(arg)
            elif name in ACTION_KEYWORD_CALLS:
                for keyword in node.keywords:
                    if keyword.arg == "action":
                        yield from _literals(keyword.value)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            # `def get_user(..., action: str = "users.read")`; a form field named `action`
            # (a referral's "accept") has no dot and is not a permission.
            params = node.args.args + node.args.kwonlyargs
            defaults = [None] * (len(node.args.args) - len(node.args.defaults))
            defaults += list(node.args.defaults) + list(node.args.kw_defaults)
            for param, default in zip(params, defaults, strict=True):
                if (
                    param.arg == "action"
                    and isinstance(default, ast.Constant)
                    and isinstance(default.value, str)
                    and "." in default.value
                ):
                    yield default
    for statement in tree.body:
        # Module constants used as actions: `READ = "screening.read"`, `SIDES = {...: "..."}`.
        if isinstance(statement, ast.Assign) and all(
            isinstance(t, ast.Name) and t.id.isupper() for t in statement.targets
        ):
            for literal in _literals(statement.value):
                value = str(literal.value)
                if (
                    "." in value
                    and value.split(".", 1)[0] in namespaces
                    and " " not in value
                    and not value.endswith((".key", ".yaml", ".json", ".txt"))
                ):
                    yield literal


def _all_action_literals() -> list[tuple[str, int, str]]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for literal in _action_literals(tree):
            found.append((str(path.relative_to(SRC)), literal.lineno, str(literal.value)))
    return found


def test_the_enum_and_permissions_yaml_list_the_same_actions() -> None:
    assert {a.value for a in Action} == set(matrix().actions)


def test_every_action_literal_in_src_is_a_declared_action() -> None:
    found = _all_action_literals()
    unknown = [f"{path}:{line}: {value!r}" for path, line, value in found if value not in DECLARED]
    assert not unknown, "actions missing from permissions.yaml:\n" + "\n".join(unknown)
    # The scan does find the call sites (a scan that finds nothing would pass vacuously).
    assert len(found) > 50
    assert {value for _, _, value in found} >= {"cases.read", "screening.read", "users.manage"}


def test_the_scan_catches_a_misspelt_action() -> None:
    tree = ast.parse(
        'READ = "cases.raed"\n'
        'def f(actor, action: str = "users.raed"):\n'
        '    actor.require("cases.mvoe")\n'
        '    scope_clause(actor, "exchange.snd", agency_col=1, country_col=2)\n'
        '    get_user(s, actor=actor, action="users.mnage")\n'
    )
    assert {str(c.value) for c in _action_literals(tree)} == {
        "cases.raed",
        "users.raed",
        "cases.mvoe",
        "exchange.snd",
        "users.mnage",
    }


def _admin() -> Actor:
    return Actor(
        user_id=None, username="a", agency_id=None, country="MA", roles=frozenset({"admin"})
    )


@pytest.mark.parametrize("actor", [_admin(), system_actor()], ids=["admin", "system"])
def test_an_unknown_action_raises_instead_of_silently_denying(actor: Actor) -> None:
    for check in (actor.can, actor.require, actor.scope):
        with pytest.raises(ValueError, match=r"unknown permission action 'cases\.raed'"):
            check("cases.raed")
    with pytest.raises(ValueError, match="unknown permission action"):
        scope_clause(actor, "cases.raed", agency_col=None, country_col=None)


def test_the_enum_is_accepted_wherever_a_string_action_is() -> None:
    assert _admin().can(Action.users_manage) is _admin().can("users.manage") is True
