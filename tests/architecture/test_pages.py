"""Pages are thin: they parse, call a service through the one form action, and render.

Read from the source with `ast`, every pages module (`pages.py`, `*_pages.py`, `page_*.py`)
must not:

- roll the session back (`.rollback(`): a failed form's service call runs in a savepoint
  (`jusoor.web.actions`), and the request's unit of work does the rest;
- query the database itself (`select(`, or `.execute(`/`.scalar(`/`.scalars(`/`.get(` on the
  session): the domain's service or queries module offers the read, with its scope check;
- check a permission with `.require(`: the service checks it, and a route that must refuse
  before the body is read declares `requires(...)` on the route. `actor.can(...)` that only
  chooses what to SHOW is fine and not looked at.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "jusoor"

# Names a page gives the request's session.
SESSION_NAMES = {"db", "session", "s"}
QUERY_METHODS = {"execute", "scalar", "scalars", "get"}

# (module, function): why its `.require(` stays. Shrink only. A page whose route must refuse a
# caller before anything else (before the body is parsed, so that a refused person never gets a
# 422 describing the form, ASVS 4.0.3 V4.1.3; or before an id is looked at) declares it on the
# route, as the API does: `dependencies=[jusoor.web.access.requires("agencies.manage")]`.
ALLOWED_REQUIRE: dict[tuple[str, str], str] = {}


def _page_modules() -> list[Path]:
    found = [
        p
        for p in SRC.rglob("*.py")
        if p.name == "pages.py" or p.stem.endswith("_pages") or p.stem.startswith("page_")
    ]
    return sorted(found)


def _functions(tree: ast.AST) -> Iterator[tuple[str, ast.AST]]:
    """Each function with its calls, the calls of nested functions counted for the outer one."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node.name, node
        elif isinstance(node, ast.ClassDef):
            yield from _functions(node)


def _calls(node: ast.AST) -> Iterator[ast.Call]:
    return (n for n in ast.walk(node) if isinstance(n, ast.Call))


def _problem(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name) and func.id == "select":
        return "select("
    if not isinstance(func, ast.Attribute):
        return None
    if func.attr == "rollback":
        return ".rollback("
    if func.attr == "select":
        return "select("
    on_session = isinstance(func.value, ast.Name) and func.value.id in SESSION_NAMES
    if on_session and func.attr in QUERY_METHODS:
        return f"{func.value.id}.{func.attr}("  # type: ignore[attr-defined]
    return None


def _requires(node: ast.AST) -> bool:
    return any(isinstance(c.func, ast.Attribute) and c.func.attr == "require" for c in _calls(node))


def test_the_rules_see_every_pages_module() -> None:
    names = {str(p.relative_to(SRC)) for p in _page_modules()}
    assert {"cases/pages.py", "cases/page_actions.py", "referrals/service_pages.py"} <= names
    assert len(names) >= 20


def test_pages_neither_roll_back_nor_query_the_database() -> None:
    found = []
    for path in _page_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call in _calls(tree):
            if problem := _problem(call):
                found.append(f"{path.relative_to(SRC)}:{call.lineno}: {problem}")
    assert not found, "pages must leave this to services and web.actions:\n" + "\n".join(found)


def test_pages_leave_permission_checks_to_the_services() -> None:
    seen: set[tuple[str, str]] = set()
    new = []
    for path in _page_modules():
        module = str(path.relative_to(SRC))
        for name, node in _functions(ast.parse(path.read_text(encoding="utf-8"))):
            if _requires(node):
                seen.add((module, name))
                if (module, name) not in ALLOWED_REQUIRE:
                    new.append(f"{module}: {name}")
    assert not new, "the service checks this permission; the page must not:\n" + "\n".join(new)
    stale = sorted(set(ALLOWED_REQUIRE) - seen)
    assert not stale, f"no longer there, take off ALLOWED_REQUIRE: {stale}"


def test_the_checks_catch_what_they_name() -> None:
    """The rules themselves: each bad line is found, and the lines pages do write are not."""
    bad = [
        "db.rollback()",
        "db.scalars(select(User))",
        "session.execute(stmt)",
        "db.get(Case, case_id)",
        "db.scalar(stmt)",
    ]
    fine = ["request.query_params.get('done')", "form.get('name')", "service.get_case(db)"]
    for line in bad:
        call = ast.parse(line).body[0].value  # type: ignore[attr-defined]
        assert _problem(call), line
    for line in fine:
        call = ast.parse(line).body[0].value  # type: ignore[attr-defined]
        assert _problem(call) is None, line
    assert _requires(ast.parse("def f(actor):\n    actor.require('cases.create')"))
    assert not _requires(ast.parse("def f(actor):\n    return actor.can('cases.create')"))
