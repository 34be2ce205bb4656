"""The package's shape: no import cycle anywhere, counting imports inside functions."""

from __future__ import annotations

import ast
from pathlib import Path

import interviewer

ROOT = Path(interviewer.__file__).parent


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, modules: set[str]) -> set[str]:
    """The ``interviewer.*`` modules ``path`` imports, at any depth of its code."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            for alias in node.names:  # ``from pkg import mod`` imports the module itself
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in modules else base)
    return {m for m in found if m in modules and m != name}


def graph() -> dict[str, set[str]]:
    paths = sorted(ROOT.rglob("*.py"))
    modules = {module_name(p) for p in paths}
    return {module_name(p): imports(p, modules) for p in paths}


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One cycle in the graph, as the modules around it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_walk_sees_imports_inside_functions() -> None:
    edges = graph()
    assert "interviewer.models.openai_compat" in edges["interviewer.models"]  # inside make_model
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_no_module_of_the_package_imports_itself_round_a_circle() -> None:
    assert find_cycle(graph()) is None


def test_each_model_client_imports_only_the_base_and_what_sits_beside_it() -> None:
    edges = graph()
    for client in ("openai_compat", "litellm_client"):
        own = {m for m in edges[f"interviewer.models.{client}"] if m.startswith("interviewer.")}
        beside = {"interviewer.models.base", "interviewer.models.retry_policy"}
        # safe_text is a leaf (it imports no module of ours): the clients make a reply's
        # text fit to save and show (no lone surrogate) where it comes off the wire.
        leaves = {
            "interviewer.errors",
            "interviewer.formats.transcript",
            "interviewer.formats.text",
        }
        assert own <= beside | leaves
