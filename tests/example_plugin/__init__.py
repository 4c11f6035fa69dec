"""A plugin defined outside the product, to prove the host takes plugins it does not know."""

from datetime import UTC, datetime

import click
from flask import Blueprint, render_template_string
from flask_login import login_required
from markupsafe import Markup

from lms.auth.models import Role
from lms.plugins import CalendarEvent, DashboardPanel, NavEntry, Plugin

bp = Blueprint("example", __name__)


@bp.route("/")
@login_required
def index():
    return render_template_string('{% extends "base.html" %}{% block content %}'
                                  "<h1>Example plugin</h1>{% endblock %}")


public_bp = Blueprint("example_public", __name__)


@public_bp.route("/hello")
def hello_page():
    return "Hello, anyone"


def _events(query):
    yield CalendarEvent(uid="example-1@lehrgang", title="Example meeting",
                        start=datetime(2018, 3, 1, 9, tzinfo=UTC),
                        end=datetime(2018, 3, 1, 11, tzinfo=UTC), kind="session")


def _dashboard(user):
    yield DashboardPanel(title="Example panel", body=Markup("<p>Hello from the example</p>"))


cli = click.Group("example", help="Example plugin commands.")


@cli.command("hello")
def hello() -> None:
    click.echo("hello from the example plugin")


seeded = []

plugin = Plugin(
    name="example",
    blueprint=bp,
    url_prefix="/example",
    more_blueprints=((public_bp, "/example-public"),),
    navigation=(NavEntry("Example", "example.index", roles=frozenset({Role.LECTURER})),),
    calendar_source=_events,
    dashboard=_dashboard,
    cli=cli,
    seed_demo=lambda: seeded.append(True),
)
