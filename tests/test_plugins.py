"""The plugin registry: loading, ordering, checks, and what a plugin contributes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Blueprint

from lms.auth.models import Role
from lms.plugins import CalendarQuery, Plugin, PluginError, PluginRegistry, current_plugins
from tests import example_plugin
from tests.conftest import make_app


@pytest.fixture
def example_app(app, database_url, tmp_path):
    """The product without its own plugins, plus the example plugin from the tests."""
    return make_app(database_url, str(tmp_path), PLUGINS=["tests.example_plugin"],
                    LOAD_ENTRY_POINTS=False)


def test_default_app_loads_product_plugins_in_dependency_order(app):
    with app.app_context():
        assert current_plugins().names == ["courses", "cohorts", "assignments"]


def test_entry_points_alone_load_the_product_plugins(app, database_url, tmp_path):
    only_entry_points = make_app(database_url, str(tmp_path), PLUGINS=[])
    with only_entry_points.app_context():
        assert current_plugins().names == ["courses", "cohorts", "assignments"]


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
