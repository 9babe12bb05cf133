"""The layer contract (DESIGN.md "Layers"), checked by reading every import in src/jusoor.

Imports run one way, from a higher layer to a lower one. A lower package never imports a
higher one: it offers an extension point and the higher package registers with it. The
contract is the data below; the test reads the source with `ast`, so it sees what a grep
would miss:

- imports at the top of a module, deferred imports inside functions, and imports under
  `if TYPE_CHECKING:` are all counted. A TYPE_CHECKING import costs nothing at run time,
  but it still says that the lower module knows the higher one's types, which is the
  coupling the contract forbids; counting it also stops a cycle from being hidden there.
- `from jusoor.x import y` counts as an import of the module `jusoor.x.y` when that is a
  module, otherwise of `jusoor.x`.

The few upward imports left are listed in ALLOWED_UPWARD with a reason each. The test fails
on any new upward import, and on an entry that no longer occurs, so the list only shrinks.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"

# The order, lowest first. An import may go to its own unit or to any unit earlier in this
# list. Units are packages of jusoor, except "identity adapters" (below).
LAYERS: list[tuple[str, list[str]]] = [
    ("core", ["core", "audit"]),
    ("identity", ["agencies", "auth"]),  # auth may use agencies, never the reverse
    ("web", ["web"]),
    # The HTTP/CLI adapters of the packages below web (audit, agencies, auth) sit just above
    # web: web's middleware needs the identity services, and their pages need web's helpers.
    ("identity adapters", ["identity adapters"]),
    # Domains, in the order their real dependencies run: every case-bound domain builds on
    # cases; exchange carries referrals; graph draws entities; investigations ties the criminal
    # file to cases (victims), screening (the identification queue), entities (defendants),
    # exchange (requests abroad) and graph (the defendants' network).
    (
        "domains",
        [
            "cases",
            "screening",
            "referrals",
            "entities",
            "monitor",
            "exchange",
            "graph",
            "investigations",
            # statistics count every domain's records; plans measure progress with statistics.
            "stats",
            "plans",
        ],
    ),
    # The top: synth (demo data) and the portal (home, language, node status) may read any
    # domain; `domains` registers them all (jusoor/domains.py), and app, cli and the migrations
    # read the registry it fills.
    ("top", ["synth", "portal", "domains", "migrations", "app", "cli", "__main__"]),
]

ADAPTERS_OF = {"core", "audit", "agencies", "auth"}
ADAPTER_NAMES = {"api", "pages", "cli"}
ADAPTER_SUFFIXES = ("_pages", "_cli", "_api")

# (importing module, imported module): why it is still there. Shrink only.
ALLOWED_UPWARD: dict[tuple[str, str], str] = {}

# Circles between units still present (as sorted tuples of unit names). Shrink only.
KNOWN_CIRCLES: set[tuple[str, ...]] = set()

RANK = {unit: i for i, unit in enumerate(u for _, units in LAYERS for u in units)}


@dataclass(frozen=True)
class Import:
    source: str
    target: str
    line: int


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_module(name: str) -> bool:
    base = SRC.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def imports_of(path: Path, source: str | None = None) -> Iterator[Import]:
    source = source or module_name(path)
    package = source if path.name == "__init__.py" else source.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(source, alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                full = f"{base}.{alias.name}"
                yield Import(source, full if is_module(full) else base, node.lineno)


def all_imports() -> list[Import]:
    found = []
    for path in sorted((SRC / "jusoor").rglob("*.py")):
        found += [i for i in imports_of(path) if i.target.startswith("jusoor.")]
    return found


def unit_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "__main__"  # the package's own __init__: the top
    package, leaf = parts[1], parts[-1]
    adapter = leaf in ADAPTER_NAMES or leaf.endswith(ADAPTER_SUFFIXES)
    if package in ADAPTERS_OF and len(parts) > 2 and adapter:
        return "identity adapters"
    return package


def upward_imports() -> dict[tuple[str, str], Import]:
    found = {}
    for imp in all_imports():
        src, dst = unit_of(imp.source), unit_of(imp.target)
        if src != dst and RANK[dst] > RANK[src]:
            found.setdefault((imp.source, imp.target), imp)
    return found


def circles() -> set[tuple[str, ...]]:
    """Strongly connected groups of units (Tarjan), each of more than one unit."""
    graph: dict[str, set[str]] = defaultdict(set)
    for imp in all_imports():
        src, dst = unit_of(imp.source), unit_of(imp.target)
        if src != dst:
            graph[src].add(dst)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: set[tuple[str, ...]] = set()

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.add(tuple(sorted(group)))

    for node in sorted(RANK):
        if node not in index:
            visit(node)
    return groups


def test_every_package_has_a_place_in_the_contract() -> None:
    units = {unit_of(module_name(p)) for p in (SRC / "jusoor").rglob("*.py")}
    assert units <= set(RANK), sorted(units - set(RANK))


def test_no_new_upward_import() -> None:
    new = [
        f"{i.source}:{i.line} imports {i.target}"
        for key, i in sorted(upward_imports().items())
        if key not in ALLOWED_UPWARD
    ]
    assert not new, "Upward imports (add an extension point instead):\n" + "\n".join(new)


def test_allowed_upward_imports_still_occur() -> None:
    gone = sorted(set(ALLOWED_UPWARD) - set(upward_imports()))
    assert not gone, f"Remove these from ALLOWED_UPWARD, they no longer occur: {gone}"


def test_no_new_circle_between_packages() -> None:
    assert circles() <= KNOWN_CIRCLES, sorted(circles() - KNOWN_CIRCLES)


def test_known_circles_still_occur() -> None:
    gone = sorted(KNOWN_CIRCLES - circles())
    assert not gone, f"Remove these from KNOWN_CIRCLES, they no longer occur: {gone}"


def test_the_reader_sees_deferred_and_type_checking_imports(tmp_path: Path) -> None:
    """The check must be able to fail: an import hidden in a function or under TYPE_CHECKING
    is read like any other."""
    module = tmp_path / "probe.py"
    module.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from jusoor.cases import models\n"
        "def f():\n"
        "    import jusoor.graph.service\n"
    )
    targets = {i.target for i in imports_of(module, "jusoor.probe")}
    assert {"jusoor.cases.models", "jusoor.graph.service"} <= targets
    assert RANK[unit_of("jusoor.graph.service")] > RANK[unit_of("jusoor.cases.models")]
