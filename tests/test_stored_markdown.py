"""Markdown is rendered once, when it is saved: pages place the stored, sanitised HTML.

Every Markdown column a page shows has an ``<name>_html`` companion kept by
``lms.markdown_columns``; pages read it and never parse Markdown themselves. Only the
previews of unsaved form data still render through the ``markdown`` filter.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import flask_migrate
import markdown as python_markdown
import pytest
from flask import render_template_string
from markupsafe import Markup
from sqlalchemy import select

import lms.markdown
from assignments.steps.models import TemplateStep
from courses.models import Module
from lms import demo
from lms.extensions import db
from lms.legal.models import LegalText
from lms.legal.pages import LegalPage
from lms.legal.services import save_text
from lms.markdown import render_markdown, with_top_heading
from lms.markdown_columns import render_once, rendered_columns
from tests.conftest import BACKENDS, POSTGRES_URL, make_app, scratch_postgres_database
from tests.test_markdown import XSS_VECTORS, assert_harmless

ROOT = Path(__file__).resolve().parent.parent
#: the revision before the HTML columns came
BEFORE_STORED_HTML = "7c3f9a1e5b20"

#: every Markdown column shown on a page, as (table, column)
SHOWN_MARKDOWN = {
    ("courses", "description"), ("courses", "certificate_requirements"),
    ("course_modules", "objectives"), ("course_modules", "content"),
    ("course_module_revisions", "objectives"), ("course_module_revisions", "content"),
    ("course_sessions", "notes"),
    ("congresses", "description"), ("congress_agenda_items", "description"),
    ("cohort_applications", "motivation"), ("cohort_applications", "structures"),
    ("assignments", "instructions"), ("assignment_versions", "text"),
    ("assignment_reviews", "feedback"), ("assignment_reviews", "shown_feedback"),
    ("step_template_steps", "evidence"), ("step_presentations", "notes"),
    ("step_measures", "description"), ("step_handbooks", "introduction"),
    ("legal_texts", "text"), ("consent_texts", "text_de"), ("consent_texts", "text_en"),
    ("advice_cases", "description"), ("advice_cases", "outcome"), ("advice_notes", "body"),
}
#: the templates that still render with the filter: previews of what a form holds, unsaved
FILTER_ALLOWED = {
    "courses/templates/courses/module_form.html",
    "assignments/templates/assignments/grading/grade.html",
    "assignments/templates/assignments/grading/confirm_return.html",
}


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Counts the Markdown parser's calls, from any caller."""
    calls: list[str] = []
    original = python_markdown.markdown

    def counting(text: str, **options: object) -> str:
        calls.append(text)
        return original(text, **options)

    monkeypatch.setattr(lms.markdown.md, "markdown", counting)
    yield calls


def test_every_shown_markdown_column_stores_its_html(app):
    found = {(column.table.name, source) for column, source in rendered_columns()}
    assert found == SHOWN_MARKDOWN


def test_templates_use_the_filter_only_for_unsaved_text():
    uses = {str(path.relative_to(ROOT)) for path in ROOT.glob("*/**/templates/**/*.html")
            if ".venv" not in path.parts and "node_modules" not in path.parts
            and re.search(r"\|\s*markdown\b", path.read_text(encoding="utf-8"))}
    assert uses == FILTER_ALLOWED


def write_legal(app, text: str) -> LegalText:
    with app.test_request_context():
        current = db.session.scalar(select(LegalText.revision)
                                    .where(LegalText.page == LegalPage.IMPRINT))
        save_text(LegalPage.IMPRINT, text, actor=None, expected_revision=current or 0)
        db.session.commit()
        legal = db.session.scalar(select(LegalText))
        db.session.expunge(legal)
        return legal


def test_saving_renders_and_an_edit_renders_again(app, client, parsed):
    legal = write_legal(app, "# Kontakt\n\nLaKI **NRW**")
    assert legal.text_html == render_markdown("# Kontakt\n\nLaKI **NRW**")
    assert isinstance(legal.text_html, Markup)
    write_legal(app, "# Anschrift\n\nDortmund")
    parsed.clear()
    page = client.get("/impressum").get_data(as_text=True)
    assert '<h2 id="md-anschrift">Anschrift</h2>' in page and "Dortmund" in page
    assert "Kontakt" not in page
    assert parsed == []


def test_setting_the_same_text_again_does_not_render(app, parsed):
    write_legal(app, "Text")
    with app.app_context():
        legal = db.session.scalar(select(LegalText))
        parsed.clear()
        legal.text = str(legal.text)
        assert parsed == []


@pytest.mark.parametrize("source", XSS_VECTORS)
def test_stored_html_is_sanitised(app, source):
    assert_harmless(str(write_legal(app, source).text_html))


def test_stored_html_read_back_is_safe_markup(app):
    write_legal(app, "<script>alert(1)</script>*x*")
    with app.app_context():
        legal = db.session.scalar(select(LegalText))
        assert isinstance(legal.text_html, Markup)
        assert legal.text_html.strip() == Markup("<p><em>x</em></p>")


@pytest.mark.parametrize("top", [2, 3, 4, 5, 6])
@pytest.mark.parametrize("source", [
    "# Eins\n\n## Zwei\n\n### Drei\n\n#### Vier\n\n##### Fünf\n\n###### Sechs",
    "## Unter dem Titel\n\n### Tiefer\n\nText",
    "#### Nur tief",
    "Kein Titel, aber `<h2>` als Code und <abbr title=\"<h3>\">Abk.</abbr>",
    "# Titel\n\n```html\n<h2>Beispiel</h2>\n```",
])
def test_moving_stored_headings_equals_rendering_at_that_level(source, top):
    assert with_top_heading(render_markdown(source), top) == render_markdown(source, top)


def test_top_heading_filter(app):
    with app.test_request_context():
        out = render_template_string("{{ html|top_heading(4) }}",
                                     html=render_markdown("# Titel\n\n<script>x</script>"))
    assert out.strip() == '<h4 id="md-titel">Titel</h4>'


def test_demo_pages_parse_no_markdown(app, demo_world, parsed):
    with app.app_context():
        module = db.session.scalar(select(Module).where(Module.content != "")
                                   .order_by(Module.id))
        paths = [f"/course/{module.course_id}", f"/course/modules/{module.id}",
                 f"/course/modules/{module.id}/revisions/1"]
    client = app.test_client()
    email, _role = demo.DEMO_LOGINS[0]
    assert client.post("/login", data={"email": email, "password": demo.DEMO_PASSWORD}) \
        .status_code == 302
    parsed.clear()
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert 'class="markdown' in response.get_data(as_text=True), path
    assert parsed == []


def disagreeing_rows() -> list[str]:
    """Rows whose stored HTML is not what their Markdown renders to now."""
    found = []
    for column, source in rendered_columns():
        table = column.table
        for ident, text, html in db.session.execute(
                select(table.c.id, table.c[source], column)):
            if html != render_markdown(text):
                found.append(f"{table.name} {ident} {column.name}")
    return found


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_demo_and_the_migration_store_the_html_of_every_row(tmp_path, backend):
    with ExitStack() as stack:
        if backend == "sqlite":
            url = f"sqlite:///{tmp_path / 'rendered.sqlite3'}"
        else:
            url = stack.enter_context(scratch_postgres_database(POSTGRES_URL))
        app = make_app(url, str(tmp_path))
        with app.app_context():
            assert app.test_cli_runner().invoke(args=["lms", "seed-demo"]).exit_code == 0
            assert db.session.scalar(select(Module.content_html).where(Module.content != ""))
            assert disagreeing_rows() == []
            db.session.remove()
            flask_migrate.downgrade(revision=BEFORE_STORED_HTML)
            flask_migrate.upgrade()
            assert disagreeing_rows() == []
            db.session.remove()
            db.engine.dispose()


def test_texts_of_the_code_render_once(app, parsed):
    render_once("Eine *Vorgabe* aus dem Code.")
    parsed.clear()
    with app.app_context():
        steps = [TemplateStep(evidence="Eine *Vorgabe* aus dem Code.") for _ in range(3)]
    assert parsed == []
    assert all(step.evidence_html == render_markdown("Eine *Vorgabe* aus dem Code.")
               for step in steps)
