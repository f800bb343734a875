"""The shape docs/ARCHITECTURE.md promises, read from the code: every module on README's map,
few modules at the top, imports that only point down, no import cycles, no long functions.

Nothing here imports the package: the modules are read as source and parsed with ``ast``.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "magistral_debugger"
NAME = PACKAGE.name

# The flow, bottom to top: a module may import from its own stage or one below it, never above.
# Documents (handout/) are made from a proof or a finished run, and every face may ask for one.
VOCABULARY, PROMPTING, BACKENDS, ENGINE, DOCUMENTS, FACES = range(6)
STAGES = {"prompting": PROMPTING, "backends": BACKENDS, "engine": ENGINE, "cli": FACES, "__main__": FACES}
# The class's room is state the page keeps, as the engine keeps a run's: below the faces, no Gradio.
STAGES |= {"classroom": ENGINE}
STAGES |= {"handout": DOCUMENTS}
STAGES |= {"ui": FACES, "rehearsal": FACES}
# The faces stand side by side; only the command line reaches into the others (``--ui`` launches
# the page, ``rehearse`` is a command of its own).
DISPATCHERS = {"cli", "__main__"}
TOP_LEVEL_BUDGET = 8
LONGEST_FUNCTION = 60
LONG_FUNCTIONS_ALLOWED_IN = {"ui/layout.py"}


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def relative(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def dotted(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def module_names() -> dict[str, Path]:
    return {dotted(path): path for path in modules()}


def face(module: str) -> str:
    """The first name below the package: "engine" for magistral_debugger.engine.run, "" for the package."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def stage(module: str) -> int:
    return STAGES.get(face(module), VOCABULARY)


def imports(path: Path) -> list[tuple[int, str]]:
    """Every module of the package that ``path`` imports (line, dotted name), wherever the import
    statement is (in a function, under TYPE_CHECKING); relative imports resolved."""
    names = module_names()
    own = dotted(path)
    package = own if path.name == "__init__.py" else own.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            else:
                base = node.module or ""
            # ``from .pkg import mod`` imports the module pkg.mod; ``from .pkg import name``, pkg itself.
            submodules = [f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in names]
            targets = submodules + ([base] if len(submodules) < len(node.names) else [])
        else:
            continue
        for target in targets:
            while target and target not in names and target.startswith(NAME + "."):
                target = target.rpartition(".")[0]  # ``import a.b.c`` of a name below a module
            if target in names:
                found.append((node.lineno, target))
    return found


def how_it_works() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## How it works\n(.*?)^## ", readme, re.DOTALL | re.MULTILINE)
    assert section, "README.md has no '## How it works' section followed by another section"
    return section.group(1)


def named_on_map(path: str, text: str) -> bool:
    return re.search(rf"(?<![\w/.]){re.escape(path)}(?![\w/])", text) is not None


def test_every_module_is_named_on_the_readme_map():
    text = how_it_works()
    expected = {"locales/"}
    for path in modules():
        name = relative(path)
        if path.name == "__init__.py" or name.startswith("locales/"):
            continue
        expected.add(name)
    assert sorted(name for name in expected if not named_on_map(name, text)) == []


def test_every_python_file_the_map_names_exists():
    """A file renamed or gone leaves no stale name on the map."""
    named = set(re.findall(r"`([\w/.]+\.py)`", how_it_works()))
    assert sorted(name for name in named if not (PACKAGE / name).is_file() and not (ROOT / name).is_file()) == []


def test_the_top_level_holds_few_modules():
    top = sorted(path.name for path in PACKAGE.glob("*.py") if path.name != "__init__.py")
    assert len(top) <= TOP_LEVEL_BUDGET, f"{len(top)} modules at the top of the package: {top}"


def test_imports_only_point_down_the_flow():
    wrong = []
    for path in modules():
        importer = dotted(path)
        for line, target in imports(path):
            if stage(target) > stage(importer):
                wrong.append(f"{relative(path)}:{line} imports {target} from a later stage")
            elif stage(target) == FACES == stage(importer) and face(target) != face(importer):
                if face(importer) not in DISPATCHERS:
                    wrong.append(f"{relative(path)}:{line} imports {target}: faces only reach each other from cli")
    assert wrong == []


def test_no_module_imports_itself_round_a_cycle():
    graph = {dotted(path): {target for _, target in imports(path)} - {dotted(path)} for path in modules()}
    cycles = []
    done: set[str] = set()

    def visit(module: str, trail: list[str]) -> None:
        if module in trail:
            cycles.append(" → ".join(trail[trail.index(module) :] + [module]))
            return
        if module in done:
            return
        for target in sorted(graph[module]):
            visit(target, trail + [module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])
    assert cycles == []


def long_functions() -> list[str]:
    found = []
    for path in modules():
        if relative(path) in LONG_FUNCTIONS_ALLOWED_IN:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > LONGEST_FUNCTION:
                    found.append(f"{relative(path)}:{node.lineno} {node.name} ({length} lines)")
    return found


def test_no_function_is_longer_than_a_screen():
    assert long_functions() == []


@pytest.mark.parametrize(
    "path, expected",
    [
        ("magistral_debugger.engine.run", ENGINE),
        ("magistral_debugger.ui.layout", FACES),
        ("magistral_debugger.handout.typst_pdf", DOCUMENTS),
        ("magistral_debugger.locales.en", VOCABULARY),
        ("magistral_debugger", VOCABULARY),
    ],
)
def test_stages_are_read_from_the_path(path, expected):
    assert stage(path) == expected


def test_relative_imports_resolve_to_the_modules_they_name():
    """The checks above see what Python would import, or they check nothing."""
    found = {target for _, target in imports(PACKAGE / "backends" / "__init__.py")}
    assert {f"{NAME}.settings", f"{NAME}.backends.base", f"{NAME}.backends.ollama"} <= found
    found = {target for _, target in imports(PACKAGE / "cli.py")}
    assert {f"{NAME}.ui", f"{NAME}.rehearsal.rehearse", f"{NAME}.engine.run"} <= found
