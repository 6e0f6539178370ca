"""The rooms depend one way (the import-linter contracts in pyproject.toml, run by `make lint`),
and domain code never reads the HTTP request."""

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "legalbase"
DOMAIN_ROOMS = (
    "regions",
    "corpus",
    "coverage",
    "drafting",
    "reporting",
    "search",
    "accounts",
    "jobs",
)
HTTP_MODULES = ("views.py", "auth.py", "cli.py")  # and any *_views.py, *_cli.py


def imported_modules(path: Path) -> set[str]:
    """Absolute dotted names imported by one module of the package."""
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def room_modules(room: str):
    return sorted((PACKAGE / room).rglob("*.py"))


@pytest.mark.parametrize("room", DOMAIN_ROOMS)
def test_domain_code_never_touches_flask_request(room):
    for path in room_modules(room):
        if path.name.endswith(HTTP_MODULES):
            continue
        names = imported_modules(path)
        assert "flask.request" not in names and "flask.g" not in names, path


def test_the_checker_sees_relative_imports():
    names = imported_modules(PACKAGE / "corpus" / "views.py")
    assert "legalbase.accounts.auth.current_user" in names


LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """`lint-imports` (as `make lint` runs it) on the copy of the package under `root`."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache"], cwd=root, env=env, capture_output=True, text=True
    )


def planted(tmp_path: Path, module: str, line: str) -> Path:
    """A copy of the package and its contracts with `line` added to `module` (a relative path)."""
    shutil.copytree(PACKAGE, tmp_path / "legalbase", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(PACKAGE.parent / "pyproject.toml", tmp_path)
    with open(tmp_path / "legalbase" / module, "a") as handle:
        handle.write(f"\n{line}  # noqa\n")
    return tmp_path


def test_the_contracts_hold_and_an_arrow_from_coverage_to_drafting_breaks_them(tmp_path):
    assert lint_imports(planted(tmp_path / "kept", "coverage/__init__.py", "")).returncode == 0
    result = lint_imports(
        planted(tmp_path / "broken", "coverage/basis.py", "from ..drafting import drafts")
    )
    assert result.returncode != 0
    assert "legalbase.coverage is not allowed to import legalbase.drafting" in result.stdout
    assert "legalbase.coverage.basis -> legalbase.drafting.drafts" in result.stdout


@pytest.mark.parametrize(
    "module, line, message",
    [
        (
            "search/postgresql/index.py",
            "import whoosh",
            "legalbase.search.postgresql.index -> whoosh",
        ),
        (
            "search/postgresql/queries.py",
            "from ..whoosh import outbox",
            "legalbase.search.postgresql.queries -> legalbase.search.whoosh.outbox",
        ),
        ("search/highlights.py", "import whoosh", "legalbase.search.highlights -> whoosh"),
        ("corpus/cli.py", "from ..search import backend", "legalbase.corpus.cli -> legalbase"),
    ],
)
def test_the_search_backends_stay_apart_and_the_corpus_never_reads_search(
    tmp_path, module, line, message
):
    result = lint_imports(planted(tmp_path, module, line))
    assert result.returncode != 0
    assert message in result.stdout
