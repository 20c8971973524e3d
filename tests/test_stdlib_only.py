"""tinyframe imports only the standard library and itself."""

import ast
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
ALLOWED = set(sys.stdlib_module_names) | {"tinyframe"}


def imported_modules(source: str, filename: str) -> list[tuple[int, str]]:
    """Every absolute import of a module: (line, top-level name). Relative imports stay inside."""
    imports = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Import):
            imports += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            imports.append((node.lineno, node.module.split(".")[0]))
    return imports


def test_imported_modules_finds_absolute_imports_only():
    source = "import os.path, json\nfrom urllib import parse\nfrom . import sibling\nfrom .x import y\n"
    assert imported_modules(source, "x.py") == [(1, "os"), (1, "json"), (2, "urllib")]


@pytest.mark.parametrize(
    "path", sorted(path.relative_to(ROOT).as_posix() for path in (ROOT / "tinyframe").rglob("*.py"))
)
def test_tinyframe_imports_only_the_standard_library(path):
    source = (ROOT / path).read_text(encoding="utf-8")
    outside = [
        f"line {line}: import {name}" for line, name in imported_modules(source, path) if name not in ALLOWED
    ]
    assert not outside, f"{path} imports modules outside the standard library: {outside}"
