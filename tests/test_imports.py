"""The house: no import circle among policywatch's modules, and a command line that starts without the heavy parts."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import policywatch

PACKAGE = Path(policywatch.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, name: str, modules: set[str]) -> set[str]:
    """policywatch modules ``path`` imports anywhere (deferred imports count: they close circles too),
    except under `if TYPE_CHECKING:`, which never runs."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    skipped = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
               for statement in node.body for n in ast.walk(statement)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name in modules}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parents = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parents + ([node.module] if node.module else []))
            for alias in node.names:
                if f"{base}.{alias.name}" in modules:
                    found.add(f"{base}.{alias.name}")
                elif base in modules:
                    found.add(base)
    return found - {name}


def import_graph() -> dict[str, set[str]]:
    """Each module of policywatch (migrations aside: Alembic loads them by path) and the modules it imports."""
    paths = {_module_name(p): p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts}
    return {name: _imports(path, name, set(paths)) for name, path in paths.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while (member := stack.pop()) != node:
                group.append(member)
            if group:
                found.append(sorted([node, *group]))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_sees_imports_of_every_kind():
    graph = import_graph()
    assert "policywatch.store.database" in graph["policywatch.api"]  # from package import module
    assert "policywatch.watch.runner" in graph["policywatch.api"]  # deferred, inside a function
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_circle():
    assert circles(import_graph()) == []


def test_the_command_line_starts_without_the_heavy_modules():
    heavy = ("sqlalchemy", "jieba", "opencc", "pydantic", "fastapi", "pandas", "policywatch.api")
    code = f"import sys, policywatch.cli; print(' '.join(m for m in {heavy!r} if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert loaded == []


def test_version_is_answered_before_the_command_line_framework_loads():
    code = ("import sys; sys.argv = ['policywatch', '--version']; from policywatch.launcher import main; main(); "
            "print(sorted(m for m in ('typer', 'rich', 'click') if m in sys.modules))")
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.splitlines()
    assert shown == [f"policywatch {policywatch.__version__}", "[]"]
    helped = subprocess.run([sys.executable, "-m", "policywatch.launcher", "--help"], capture_output=True, text=True,
                            env={**os.environ, "COLUMNS": "100"})
    assert helped.returncode == 0 and "Usage:" in helped.stdout and "ingest" in helped.stdout
