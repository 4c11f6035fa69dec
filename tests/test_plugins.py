"""The plugin registry: loading, ordering, checks, and what a plugin contributes."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Blueprint

from lms.auth.models import Role
from lms.plugins import (
    CalendarQuery,
    PersonColumn,
    Plugin,
    PluginError,
    PluginRegistry,
    current_plugins,
)
from tests import example_plugin
from tests.conftest import make_app


@pytest.fixture
def example_app(app, database_url, tmp_path):
    """The product without its own plugins, plus the example plugin from the tests."""
    return make_app(database_url, str(tmp_path), PLUGINS=["tests.example_plugin"],
                    LOAD_ENTRY_POINTS=False)


PRODUCT = ["courses", "cohorts", "assignments", "steps", "certificates", "advice"]
PRODUCT_PACKAGES = ("lms", "courses", "cohorts", "assignments", "advice")
#: calls that attach something to a blueprint
ATTACHING = frozenset({"route", "get", "post", "put", "patch", "delete", "add_url_rule",
                       "record", "record_once"})


def test_default_app_loads_product_plugins_in_dependency_order(app):
    with app.app_context():
        assert current_plugins().names == PRODUCT


def test_entry_points_alone_load_the_product_plugins(app, database_url, tmp_path):
    only_entry_points = make_app(database_url, str(tmp_path), PLUGINS=[])
    with only_entry_points.app_context():
        registry = current_plugins()
        assert sorted(registry.names) == sorted(PRODUCT)
        for plugin in registry:  # the entry points' order, each after what it requires
            assert all(registry.names.index(required) < registry.names.index(plugin.name)
                       for required in plugin.requires)


def test_plugins_come_after_those_they_require_whatever_the_configured_order(
        app, database_url, tmp_path):
    reversed_order = make_app(database_url, str(tmp_path), LOAD_ENTRY_POINTS=False,
                              PLUGINS=["advice", "assignments.certificates",
                                       "assignments.steps", "assignments", "cohorts",
                                       "courses"])
    with reversed_order.app_context():
        assert current_plugins().names == ["courses", "cohorts", "advice", "assignments",
                                           "steps", "certificates"]


def test_steps_without_module_work_are_refused(app, database_url, tmp_path):
    with pytest.raises(PluginError, match="'steps' requires 'assignments'"):
        make_app(database_url, str(tmp_path), LOAD_ENTRY_POINTS=False,
                 PLUGINS=["courses", "cohorts", "assignments.steps"])


def _attaching_calls(tree: ast.AST) -> list[int]:
    """Lines where a module adds routes or setup functions to a blueprint."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            decorator_only = node.func.attr != "add_url_rule"
            if node.func.attr in ATTACHING and not (decorator_only and not _decorates(
                    tree, node)):
                lines.append(node.lineno)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            lines += [d.lineno for d in node.decorator_list if isinstance(d, ast.Attribute)
                      and d.attr in ATTACHING]
    return lines


def _decorates(tree: ast.AST, call: ast.Call) -> bool:
    return any(call in node.decorator_list for node in ast.walk(tree)
               if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef))


def test_routes_are_registered_where_their_blueprint_is_made():
    """No module adds routes to a blueprint made elsewhere: importing it for that side
    effect is how routes went missing or got registered twice."""
    root = Path(__file__).resolve().parent.parent
    elsewhere = []
    for package in PRODUCT_PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            makes_blueprint = any(isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                                  and node.func.id == "Blueprint" for node in ast.walk(tree))
            if not makes_blueprint:
                elsewhere += [f"{path.relative_to(root)}:{line}"
                              for line in _attaching_calls(tree)]
    assert elsewhere == []


def test_example_plugin_registers_and_shows_its_navigation(example_app, create_user):
    lecturer = create_user("lecturer@example.org", Role.LECTURER, name="Lena Lecturer")
    participant = create_user("p@example.org", Role.PARTICIPANT)
    client = example_app.test_client()

    client.post("/login", data={"email": lecturer.email, "password": "ein-sicheres-passwort"})
    dashboard = client.get("/").get_data(as_text=True)
    assert 'href="/example/"' in dashboard
    assert "Hello from the example" in dashboard
    assert "Example plugin" in client.get("/example/").get_data(as_text=True)

    client.post("/logout")
    client.post("/login", data={"email": participant.email, "password": "ein-sicheres-passwort"})
    assert 'href="/example/"' not in client.get("/").get_data(as_text=True)


def test_a_plugin_may_bring_more_blueprints(example_app):
    response = example_app.test_client().get("/example-public/hello")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "Hello, anyone"


def test_example_plugin_calendar_source_and_cli(example_app):
    with example_app.app_context():
        events = current_plugins().calendar_events(CalendarQuery(viewer=None))
    assert [event.uid for event in events] == ["example-1@lehrgang"]
    assert events[0].start == datetime(2018, 3, 1, 9, tzinfo=UTC)

    runner = example_app.test_cli_runner()
    hello = runner.invoke(args=["lms", "example", "hello"])
    assert hello.output == "hello from the example plugin\n"
    example_plugin.seeded.clear()
    result = runner.invoke(args=["lms", "seed-demo"])
    assert result.exit_code == 0, result.output
    assert example_plugin.seeded == [True]


def _plugin(name: str, *requires: str) -> Plugin:
    return Plugin(name=name, requires=requires)


def test_registry_orders_by_requirements():
    registry = PluginRegistry([_plugin("c", "b"), _plugin("a"), _plugin("b", "a")])
    assert registry.names == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("plugins", "message"),
    [
        ([_plugin("b", "a")], "requires 'a'"),
        ([_plugin("a", "b"), _plugin("b", "a")], "cycle"),
        ([_plugin("a"), _plugin("a")], "two different plugins"),
    ],
)
def test_registry_fails_loudly(plugins, message):
    with pytest.raises(PluginError, match=message):
        PluginRegistry(plugins)


def test_blueprint_name_must_match_plugin_name(app, database_url, tmp_path, monkeypatch):
    monkeypatch.setattr(example_plugin, "mismatched", Plugin(name="other", blueprint=Blueprint(
        "not_other", __name__)), raising=False)
    with pytest.raises(PluginError, match="names must match"):
        make_app(database_url, str(tmp_path), PLUGINS=["tests.example_plugin:mismatched"],
                 LOAD_ENTRY_POINTS=False)


@pytest.mark.parametrize("spec", ["tests.no_such_module", "tests.example_plugin:bp"])
def test_unknown_or_wrong_plugin_spec_is_refused(app, database_url, tmp_path, spec):
    with pytest.raises(PluginError):
        make_app(database_url, str(tmp_path), PLUGINS=[spec], LOAD_ENTRY_POINTS=False)


def test_person_columns_come_from_every_plugin_in_order_as_the_viewer_may_read_them():
    asked = []

    def grades(cohort_id, viewer):
        asked.append((cohort_id, viewer))
        return [PersonColumn("Note", {1: "bestanden"})]

    def verdicts(cohort_id, viewer):
        return [PersonColumn("Zertifikat", {2: "erfüllt"})] if viewer == "staff" else []

    registry = PluginRegistry([Plugin("verdicts", requires=("grades",), person_columns=verdicts),
                               Plugin("grades", person_columns=grades), Plugin("quiet")])
    assert [c.label for c in registry.person_columns(7, "staff")] == ["Note", "Zertifikat"]
    assert [c.label for c in registry.person_columns(7, "guest")] == ["Note"]
    assert asked == [(7, "staff"), (7, "guest")]
    note = registry.person_columns(7, "guest")[0]
    # a person the column does not name, and a row of nobody (a lecturer's): empty cells
    assert (note.value_for(1), note.value_for(2), note.value_for(None)) == ("bestanden", None,
                                                                           None)
