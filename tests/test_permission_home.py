"""Permissions have one home: the host's ``load``/``can``/``authorize`` over the policies.

These tests read the code itself: every route of every blueprint is classified in a
route-by-role table; no view, controller or template tests a role (views load and ask
``can``, templates ask ``can``; a whole view may still be declared for roles with
``roles_required``); and no second loader answers 404/403 by its own rules.
"""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest
from jinja2 import FileSystemLoader

from tests.conftest import make_app
from tests.route_tables import classified, unclassified

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("lms", "courses", "cohorts", "assignments")
#: calls that test a role
ROLE_CALLS = {"has_role", "is_staff", "is_organiser"}
#: a role written out in a template: a call, the enum, a role's name in quotes, an ``if``
#: over someone's roles (showing a person's roles is no test)
TEMPLATE_ROLE_TEST = re.compile(
    r"has_role\s*\(|is_staff|is_organiser|\bRole\.|[\"'](organiser|lecturer|participant)[\"']"
    r"|\bif\b[^%]*\bin\s+[\w.]*\broles\b")


def _unwrapped(view: object) -> object:
    while hasattr(view, "__wrapped__"):
        view = view.__wrapped__
    return view


def view_modules(app) -> dict[str, Path]:
    """The modules that hold the app's view functions (views, controllers), by name."""
    found = {}
    for endpoint, view in app.view_functions.items():
        module = inspect.getmodule(_unwrapped(view))
        if module is None or endpoint == "static" or endpoint.endswith(".static"):
            continue
        path = Path(inspect.getfile(module)).resolve()
        if path.is_relative_to(ROOT) and not path.is_relative_to(ROOT / "tests"):
            found[module.__name__] = path
    return found


def role_tests(source: str) -> list[str]:
    """Role tests in a module's code: the calls above, and ``Role.X`` outside a decorator."""
    tree = ast.parse(source)
    in_decorators = {id(node) for function in ast.walk(tree)
                     if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
                     for decorator in function.decorator_list for node in ast.walk(decorator)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else \
                getattr(node.func, "id", "")
            if name in ROLE_CALLS:
                found.append(f"line {node.lineno}: {name}()")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and node.value.id == "Role" and id(node) not in in_decorators:
            found.append(f"line {node.lineno}: Role.{node.attr}")
    return found


def test_every_route_is_classified_in_a_role_table(app):
    unmatched = sorted(endpoint for endpoint, _method in classified(app)
                       if endpoint.startswith("?"))
    assert unmatched == [], f"table rows that match no route: {unmatched}"
    missing = unclassified(app)
    assert missing == [], ("routes that no route-by-role table classifies (see "
                           f"tests/route_tables.py): {missing}")


def test_the_route_check_fails_on_an_unclassified_route(tmp_path):
    """The check above can fail: a new route that nobody classified is reported."""
    app = make_app(f"sqlite:///{tmp_path / 'routes.db'}", str(tmp_path))
    app.add_url_rule("/nobody-classified-this/<int:thing_id>", "nobody.classified",
                     lambda thing_id: "", methods=["GET", "POST"])
    assert unclassified(app) == ["GET nobody.classified /nobody-classified-this/<int:thing_id>",
                                 "POST nobody.classified /nobody-classified-this/<int:thing_id>"]


def test_no_view_or_controller_tests_a_role(app):
    modules = view_modules(app)
    assert {"cohorts.views", "assignments.work", "assignments.steps.controllers.board",
            "lms.admin", "courses.congress_views"} <= set(modules)
    found = {name: tests for name, path in sorted(modules.items())
             if (tests := role_tests(path.read_text(encoding="utf-8")))}
    assert found == {}, f"views test roles; load, or ask can(): {found}"


@pytest.mark.parametrize("source, expected", [
    ("if current_user.has_role(Role.ORGANISER):\n    pass\n",
     ["line 1: has_role()", "line 1: Role.ORGANISER"]),
    ("staff = is_staff(user)\n", ["line 1: is_staff()"]),
    ("@roles_required(Role.ORGANISER)\ndef view():\n    return can('edit', x)\n", []),
])
def test_the_view_scan_finds_role_tests(source, expected):
    assert sorted(role_tests(source)) == sorted(expected)


def _templates(app) -> list[Path]:
    folders = {Path(app.root_path) / (app.template_folder or "templates")}
    for blueprint in app.blueprints.values():
        loader = blueprint.jinja_loader
        if isinstance(loader, FileSystemLoader):
            folders.update(Path(folder) for folder in loader.searchpath)
    return sorted(path for folder in folders if folder.is_dir()
                  for path in folder.rglob("*") if path.suffix in {".html", ".txt", ".md"})


def test_no_template_tests_a_role(app):
    templates = _templates(app)
    assert any(path.name == "board.html" for path in templates)
    found = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
             for path in templates
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if TEMPLATE_ROLE_TEST.search(line)]
    assert found == [], "templates test roles; ask can(action, obj) instead:\n" + \
        "\n".join(found)


@pytest.mark.parametrize("line", [
    '{% if current_user.has_role("organiser") %}', "{% if current_user.has_role(Role.X) %}",
    "{% if 'lecturer' in current_user.roles %}", "{% if is_staff %}"])
def test_the_template_scan_finds_role_tests(line):
    assert TEMPLATE_ROLE_TEST.search(line)


LOADER = re.compile(r"get_or_404|first_or_404|get_authorized|^def (_?load|load_\w+)\(",
                    re.MULTILINE)
#: loaders that are not the host's: objects without an id of their own (a cohort's board,
#: a municipality's records), and loading data that is no permission question
NOT_LOADERS = {"load_board", "load_records", "load_roster", "load_reference_list",
               "load_municipalities", "load_plugins", "load_config", "load_reference",
               "load_revision", "load_cohort_certificates", "load_eligibility"}


def test_one_loader_answers_404_and_403():
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if path == ROOT / "lms" / "auth" / "access.py":
                continue
            for match in LOADER.finditer(path.read_text(encoding="utf-8")):
                name = (match.group(1) or match.group(0)).lstrip("_")
                if name not in NOT_LOADERS:
                    found.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert found == [], f"load through lms.auth.access.load instead: {found}"
