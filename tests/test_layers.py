"""The layers of lib/ (docs/architecture.md): a module imports only from its
own package or the packages below it, and nothing in lib/ imports routes/."""
import ast
from pathlib import Path

import pytest

from lib.queries.words import WORD_SORT
from lib.store.copies import WORD_TEXT, WORD_TOTALS

PROJECT_DIR = Path(__file__).resolve().parent.parent
LAYERS = ["base", "store", "scheduler", "queries", "inventory", "learning", "http", "commands"]


def lib_imports(path):
    """The modules a file imports: 'lib.store.db', 'routes', ..."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def package_of(module):
    parts = module.split(".")
    return parts[1] if parts[0] == "lib" and len(parts) > 1 else None


LIB_FILES = sorted((PROJECT_DIR / "lib").rglob("*.py"))


def test_every_lib_module_is_in_a_layer():
    outside = [path.relative_to(PROJECT_DIR) for path in LIB_FILES
               if path.parent.name not in LAYERS and path.name != "__init__.py"]
    assert outside == []


@pytest.mark.parametrize("path", LIB_FILES, ids=lambda path: str(path.relative_to(PROJECT_DIR)))
def test_imports_point_down(path):
    own = path.parent.name
    for module in lib_imports(path):
        assert not module.startswith(("routes", "app")), f"{module} is above lib/"
        package = package_of(module)
        if package is not None and own in LAYERS:
            assert LAYERS.index(package) <= LAYERS.index(own), f"{own} imports {module}"


def test_no_sql_in_routes():
    for path in (PROJECT_DIR / "routes").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert ".execute(" not in text and "sqlite3" not in text, path.name


def test_every_sort_key_of_a_group_s_words_is_a_copy_its_links_keep():
    """A group's words sort by the copies in word_groups (lib/store/copies.py):
    a sortable word field is declared there once."""
    assert set(WORD_SORT) == set(WORD_TEXT + WORD_TOTALS)
