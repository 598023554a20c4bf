"""The package's layout is checked, not hoped for: contracts, no cycles, small public surfaces.

The contracts live in pyproject.toml (``[tool.importlinter]``) and are run here with
import-linter, so CI fails when one breaks. Each contract is also shown to *fail*
on a copy of the package with one bad import added: a contract that cannot fail
would prove nothing.
"""

from __future__ import annotations

import ast
import graphlib
import importlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

REPO = Path(__file__).resolve().parents[1]
CORE = REPO / "speechreader" / "core"
PARTS = sorted(p.name for p in CORE.iterdir() if (p / "__init__.py").is_file() and p.name[0] != "_")
LINT_IMPORTS = [
    sys.executable,
    "-c",
    "import sys; from importlinter.cli import lint_imports_command as c; c()",
]


def _lint_imports(root: Path) -> subprocess.CompletedProcess:
    """Run import-linter on the package and contracts found under ``root``."""
    return subprocess.run(
        [*LINT_IMPORTS, "--no-cache", "--config", str(root / "pyproject.toml")],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
        capture_output=True,
        text=True,
    )


def test_the_parts_are_the_ones_the_architecture_names():
    assert {"text", "corpus", "store", "search", "exchange", "analysis"} <= set(PARTS)


def _map_section(lines: list[str], folders: tuple[str, ...]) -> str | None:
    """The lines of the map under ``folders`` (each a ``name/`` line inside the last)."""
    start, indent = -1, -1
    for folder in folders:
        for k in range(start + 1, len(lines)):
            stripped = lines[k].lstrip()
            depth = len(lines[k]) - len(stripped)
            if stripped and depth <= indent:
                return None
            if stripped.split(" ")[0] == folder + "/" and depth > indent:
                start, indent = k, depth
                break
        else:
            return None
    section = []
    for line in lines[start + 1 :]:
        if line.strip() and len(line) - len(line.lstrip()) <= indent:
            break
        section.append(line)
    return "\n".join(section)


def _modules_missing_from_map(architecture: str, package: Path) -> list[str]:
    """Modules of ``package`` not named in their folder's part of ARCHITECTURE.md's map."""
    lines = architecture.split("```")[1].splitlines()
    missing = []
    for path in sorted(package.rglob("*.py")):
        if path.name == "__init__.py" and path.parent != package / "cli":
            continue
        rel = path.relative_to(package.parent)
        section = _map_section(lines, rel.parts[:-1])
        words = set(re.findall(r"[\w.]+", section or ""))
        if path.stem not in words and path.name not in words:
            missing.append(rel.as_posix())
    return missing


def test_the_architecture_map_names_every_module():
    architecture = (REPO / "ARCHITECTURE.md").read_text(encoding="utf-8")
    assert _modules_missing_from_map(architecture, REPO / "speechreader") == []
    # and a module left out is caught (the check can fail)
    without = architecture.replace("      _where ", "      _wh ")
    assert _modules_missing_from_map(without, REPO / "speechreader") == [
        "speechreader/core/corpus/_where.py"
    ]


def test_import_contracts_are_kept():
    result = _lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "bad_import", "broken"),
    [
        ("core/text/_units.py", "import textual", "The core is headless"),
        ("core/store/_records.py", "from speechreader.tui import layout", "The core is headless"),
        ("core/text/_units.py", "from speechreader.core.store import Store", "parts are layered"),
        ("core/corpus/_metadata.py", "from speechreader.core import search", "parts are layered"),
        ("core/analysis/_rows.py", "from speechreader.core import search", "parts are layered"),
        ("tui/state.py", "from speechreader.core.store import _store", "Private modules"),
        ("tui/layout.py", "import speechreader.cli", "both sit over the core"),
    ],
)
def test_a_bad_import_breaks_its_contract(tmp_path, module, bad_import, broken):
    copy = tmp_path / "copy"
    shutil.copytree(
        REPO / "speechreader", copy / "speechreader", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(REPO / "pyproject.toml", copy / "pyproject.toml")
    target = copy / "speechreader" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{bad_import}\n", encoding="utf-8")
    result = _lint_imports(copy)
    assert result.returncode != 0
    broken_lines = [line for line in result.stdout.splitlines() if line.endswith("BROKEN")]
    assert any(broken in line for line in broken_lines), result.stdout


def test_no_module_imports_itself_back_through_a_cycle():
    graph = grimp.build_graph("speechreader", cache_dir=None)
    edges = {m: graph.find_modules_directly_imported_by(m) for m in graph.modules}
    try:
        graphlib.TopologicalSorter(edges).prepare()
    except graphlib.CycleError as exc:
        pytest.fail(f"import cycle: {' -> '.join(exc.args[1])}")


def _type_checking_names(init: Path) -> dict[str, str]:
    """name -> private module, from the ``if TYPE_CHECKING:`` block of a part's __init__."""
    names: dict[str, str] = {}
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            for stmt in node.body:
                assert isinstance(stmt, ast.ImportFrom) and stmt.level == 1
                names.update((a.asname or a.name, stmt.module) for a in stmt.names)
    return names


@pytest.mark.parametrize("part", PARTS)
def test_each_part_names_a_short_public_surface_that_resolves(part):
    package = importlib.import_module(f"speechreader.core.{part}")
    declared = _type_checking_names(CORE / part / "__init__.py")
    assert declared, f"{part}/__init__.py names no public surface"
    assert sorted(package.__all__) == sorted(declared)
    assert len(package.__all__) <= 40, "a part's surface should stay short"
    for name, module in declared.items():
        assert not name.startswith("_")
        assert module.startswith("_"), f"{name} comes from a public module {module}"
        value = getattr(package, name)
        private = importlib.import_module(f"speechreader.core.{part}.{module}")
        assert value is getattr(private, name)


def test_the_core_imports_without_textual_rich_or_click():
    """Every core module, and every public name, in a fresh interpreter."""
    code = (
        "import importlib, pkgutil, sys\n"
        "import speechreader.core as core\n"
        "for info in pkgutil.walk_packages(core.__path__, 'speechreader.core.'):\n"
        "    module = importlib.import_module(info.name)\n"
        "    for name in getattr(module, '__all__', ()):\n"
        "        getattr(module, name)\n"
        "bad = ('textual', 'rich', 'click', 'speechreader.tui', 'speechreader.cli')\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith(bad))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


HEAVY = ("opencc", "jieba", "rjieba", "tinydb", "textual", "rich", "charset_normalizer", "numpy")
#: what only the analysis tables need: the store's span cache, the passages as columns
TABLES_ONLY = ("speechreader.core.store._spans", "speechreader.core.analysis._columns")


def _modules_imported_by(*args: str) -> set[str]:
    code = (
        "import sys\n"
        "from speechreader.cli import main\n"
        "try:\n"
        f"    main({list(args)!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('\\n'.join(sys.modules), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    return set(result.stderr.split())


def _imported_by(*args: str) -> set[str]:
    return {m.split(".")[0] for m in _modules_imported_by(*args)}


def test_version_imports_no_heavy_library():
    modules = _modules_imported_by("--version")
    assert {m.split(".")[0] for m in modules} & set(HEAVY) == set()
    assert modules & set(TABLES_ONLY) == set()


def test_listing_a_cached_corpus_imports_neither_opencc_jieba_nor_textual():
    _imported_by("list", "--json")  # fills the listing cache
    modules = _modules_imported_by("list", "--json")
    heavy = {"opencc", "jieba", "rjieba", "textual", "rich", "numpy"}
    assert {m.split(".")[0] for m in modules} & heavy == set()
    assert modules & set(TABLES_ONLY) == set()


def test_the_table_modules_exist_where_the_start_up_checks_look():
    import importlib

    for name in TABLES_ONLY:  # a rename would make the two checks above pass vacuously
        importlib.import_module(name)


def test_a_search_with_a_current_index_loads_only_what_it_needs():
    """A fresh `search` process is what a user waits for: with the index current it
    imports its own command and neither the listing, the index builder, numpy nor jieba."""
    _imported_by("search", "两个维护", "--json")  # builds the index of the sample corpus
    modules = _modules_imported_by("search", "两个维护", "--json")
    commands = {m for m in modules if m.startswith("speechreader.cli.") and m.endswith("_cmds")}
    assert commands == {"speechreader.cli.search_cmds"}
    assert "speechreader.core.search._index" in modules  # (the check below is not vacuous)
    unwanted = {
        "speechreader.core.corpus._corpus",
        "speechreader.core.corpus._listing_cache",
        "speechreader.core.search._build",
    }
    assert modules & unwanted == set()
    assert {m.split(".")[0] for m in modules} & {"numpy", "jieba", "rjieba", "textual"} == set()
