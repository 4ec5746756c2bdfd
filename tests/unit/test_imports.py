"""The layers import one way and no module imports itself round about."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("dashboard", "queries", "etl", "store", "bench")


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _graph() -> dict[str, set[str]]:
    files = [ROOT / "app.py"] + [
        p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py") if "migrations" not in p.parts
    ]
    modules = {_module(p): p for p in files}
    graph = {}
    for name, path in modules.items():
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                # `from pkg import sub` names the submodule, not pkg's other contents.
                subs = [f"{node.module}.{a.name}" for a in node.names]
                candidates = [s for s in subs if s in modules] or [node.module]
            elif isinstance(node, ast.Import):
                candidates = [a.name for a in node.names]
            else:
                continue
            targets |= {c for c in candidates if c in modules and c != name}
        graph[name] = targets
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_import_graph_has_no_cycle():
    assert _cycle(_graph()) is None, " -> ".join(_cycle(_graph()))


def test_a_cycle_would_be_found():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


# What each layer may not import: etl -> store <- queries <- dashboard; bench is tooling.
FORBIDDEN = {
    "store": {"dashboard", "queries", "etl", "bench", "app"},
    "etl": {"dashboard", "queries", "bench", "app"},
    "queries": {"dashboard", "etl", "bench", "app"},
    "dashboard": {"etl", "bench", "app"},
}


# The one door from etl into queries: a load prepares the queries' frames in its own
# transaction (issue 13), with the norms the queries read. Nothing in queries imports etl.
ALLOWED = {("etl.loader", "queries.voorbereiding"), ("etl.loader", "queries.config")}


def _crossings(graph: dict[str, set[str]]) -> list[str]:
    return [
        f"{name} -> {target}"
        for name, targets in graph.items()
        for target in targets
        if target.split(".")[0] in FORBIDDEN.get(name.split(".")[0], set())
        and (name, target) not in ALLOWED
    ]


def test_layers_point_one_way():
    assert _crossings(_graph()) == []


def test_only_the_loader_may_call_the_prepare():
    graph = {"etl.reader": {"queries.voorbereiding"}, "etl.loader": {"queries.termijnen"}}
    assert _crossings(graph) == [
        "etl.reader -> queries.voorbereiding",
        "etl.loader -> queries.termijnen",
    ]
