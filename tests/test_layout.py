"""The rooms depend one way, and domain code never reads the HTTP request."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "legalbase"
DOMAIN_ROOMS = ("regions", "corpus", "coverage", "drafting", "search", "accounts", "jobs")
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
def test_no_domain_room_imports_drafting_or_web(room):
    """Domain code never does; a room's HTTP and CLI doors may (DEVELOPERS.md, Design)."""
    for path in room_modules(room):
        if path.name.endswith(HTTP_MODULES):
            continue
        for forbidden in ("drafting", "web"):
            if room == forbidden:
                continue
            target = f"legalbase.{forbidden}"
            hits = [
                name
                for name in imported_modules(path)
                if name == target or name.startswith(target + ".")
            ]
            assert not hits, f"{path.name} imports {hits}"


@pytest.mark.parametrize("room", DOMAIN_ROOMS)
def test_domain_code_never_touches_flask_request(room):
    for path in room_modules(room):
        if path.name.endswith(HTTP_MODULES):
            continue
        names = imported_modules(path)
        assert "flask.request" not in names and "flask.g" not in names, path


def imports_of(paths, target: str) -> list[str]:
    """The names under `target` that any of `paths` imports."""
    return sorted(
        {
            name
            for path in paths
            for name in imported_modules(path)
            if name == target or name.startswith(target + ".")
        }
    )


def test_the_jobs_room_knows_no_kind_of_work():
    """The queue runs what the rooms register; of the domain it reads only the file store
    (results), besides accounts at its HTTP door."""
    allowed = ("legalbase.corpus.uploads", "legalbase.accounts")
    for room in ("corpus", "coverage", "drafting", "search", "regions", "accounts"):
        hits = [
            name
            for name in imports_of(room_modules("jobs"), f"legalbase.{room}")
            if not name.startswith(allowed)
        ]
        assert not hits, f"legalbase/jobs imports {hits}"


def test_serving_depends_on_jobs_not_on_a_room_that_runs_them():
    names = imported_modules(PACKAGE / "service" / "serving.py")
    assert "legalbase.jobs.run_queued_jobs" in names
    assert not [name for name in names if name.startswith("legalbase.drafting")]


def test_the_checker_sees_relative_imports():
    names = imported_modules(PACKAGE / "corpus" / "views.py")
    assert "legalbase.accounts.auth.current_user" in names
