"""The shape of the library: stages in import order, each importing only the stages below it,
and no import cycle. Both top-level imports and imports inside functions count."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from ntm_analysis import config

#: The stages, lowest first (README "Layout"); a module belongs to the stage of its package.
STAGES = ("foundation", "reference", "raw", "clean", "method", "report", "data", "publish",
          "cli")
FOUNDATION = {"config", "messages", "errors", "storage", "text", "console", "processed"}


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def stage_of(module: str) -> int:
    """Rank of a module's stage; the package's own ``__init__`` is foundation."""
    parts = module.split(".")[1:]
    if not parts or parts[0] in FOUNDATION:
        return 0
    if parts[0] in STAGES:
        return STAGES.index(parts[0])
    raise AssertionError(f"{module} belongs to no stage: add it to STAGES or FOUNDATION")


def imported_modules(root: Path, path: Path) -> list[tuple[str, int]]:
    """(module, line) of every import of the package's own modules in ``path``."""
    package = root.name
    name = module_name(root, path)
    here = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(a.name, node.lineno) for a in node.names
                      if a.name.split(".")[0] == package]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here.split(".")
                base = ".".join(base[:len(base) - node.level + 1])
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            if target.split(".")[0] != package:
                continue
            for alias in node.names:  # `from . import plots` imports a module
                sub = f"{target}.{alias.name}"
                where = root.parent / Path(*sub.split("."))
                is_module = where.with_suffix(".py").exists() or (where / "__init__.py").exists()
                found.append((sub if is_module else target, node.lineno))
    return found


def layer_problems(root: Path) -> list[str]:
    """Every import of a higher stage, and every import cycle, under the package ``root``."""
    graph: dict[str, set[str]] = {}
    problems = []
    for path in sorted(root.rglob("*.py")):
        source = module_name(root, path)
        graph.setdefault(source, set())
        for target, line in imported_modules(root, path):
            graph[source].add(target)
            if stage_of(target) > stage_of(source):
                problems.append(f"{path.relative_to(root.parent)}:{line}: {source} "
                                f"({STAGES[stage_of(source)]}) imports {target} "
                                f"({STAGES[stage_of(target)]}), a later stage")
    state: dict[str, int] = {}  # 1 on the current path, 2 done

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycle = [*trail[trail.index(nxt):], nxt] if nxt in trail else [node, nxt]
                problems.append("import cycle: " + " → ".join(cycle))
            elif nxt in graph and not state.get(nxt):
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for node in sorted(graph):
        if not state.get(node):
            visit(node, [node])
    return problems


def test_each_stage_imports_only_the_stages_below_it_and_nothing_cycles():
    root = config.PACKAGE_DIR
    assert layer_problems(root) == []
    # the tree has every stage as a package (or, for foundation and cli, modules)
    for stage in STAGES[1:-1]:
        assert (root / stage / "__init__.py").exists(), stage


@pytest.mark.parametrize("source,line,expected", [
    ("raw/readers.py", "from ..clean.cells import parse_tally\n", "a later stage"),
    ("method/pace.py", "def f():\n    from ..report import style\n", "a later stage"),
    ("clean/cells.py", "from .ledger import Ledger\n", "import cycle"),
])
def test_the_layer_check_finds_a_backwards_import_and_a_cycle(tmp_path, source, line,
                                                             expected):
    """The checker itself, on a small tree shaped like the package with one bad import."""
    root = tmp_path / "ntm_analysis"
    files = {"__init__.py": "", "config.py": "", "raw/__init__.py": "",
             "raw/readers.py": "from .. import config\n", "clean/__init__.py": "",
             "clean/cells.py": "", "clean/ledger.py": "from .cells import x\n",
             "method/__init__.py": "", "method/pace.py": "", "report/__init__.py": "",
             "report/style.py": ""}
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    assert layer_problems(root) == []
    with (root / source).open("a") as handle:
        handle.write(line)
    problems = layer_problems(root)
    assert len(problems) == 1 and expected in problems[0], problems
