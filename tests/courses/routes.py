"""The course plugin's routes as a table: path, form data, and what each visitor gets.

Shared by the access tests (every route against every visitor) and the CSRF tests.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

from courses.demo import simple_pdf
from courses.models import Course, Material, Module, ModuleRevision, Session
from lms.audit import AuditEntry
from lms.extensions import db
from tests.courses.conftest import form_time

ANONYMOUS, PARTICIPANT, LECTURER, ORGANISER = "anonymous", "participant", "lecturer", "organiser"
VISITORS = (ANONYMOUS, PARTICIPANT, LECTURER, ORGANISER)
STAFF = frozenset({LECTURER, ORGANISER})


def readers(outcome: str, participant: str | None = None) -> dict[str, str]:
    return {ANONYMOUS: "login", PARTICIPANT: participant or outcome, LECTURER: outcome,
            ORGANISER: outcome}


def editors(outcome: str) -> dict[str, str]:
    return {ANONYMOUS: "login", PARTICIPANT: "403", LECTURER: outcome, ORGANISER: outcome}


@dataclass(frozen=True)
class Case:
    name: str
    endpoint: str
    method: str
    #: with {course}, {module}, {draft}, {session}, {file}, {link}, {draft_file} filled in
    path: str
    #: visitor -> "200", "403", "404", "login" or "to:<path>" ("*" at the end: any rest)
    expect: dict[str, str]
    #: form data; a callable for data that can be sent only once (file uploads)
    data: dict[str, object] | Callable[[], dict[str, object]] = field(default_factory=dict)
    #: visitors whose request changes the database (for all others it must not)
    changes: frozenset[str] = frozenset()


COURSE_DATA = {"title": "Lehrgang 2019", "starts_at": "2019-01-01T00:00",
               "ends_at": "2019-12-31T23:59", "description": "", "certificate_requirements": ""}
MODULE_DATA = {"title": "Neues Modul", "summary": "Kurz", "objectives": "", "content": "Text"}
SESSION_DATA = {"title": "Tag 1", "cohort_id": "", "starts_at": form_time("2017-06-01 10:00"),
                "ends_at": form_time("2017-06-01 16:00"), "location": "Dortmund",
                "online_url": "", "notes": ""}


def upload() -> dict[str, object]:
    return {"file-title": "Handout",
            "file-file": (io.BytesIO(simple_pdf(["Handout"])), "Handout.pdf")}


CASES = [
    Case("index", "courses.index", "GET", "/course/", readers("to:/course/{course}")),
    Case("course", "courses.course", "GET", "/course/{course}", readers("200")),
    Case("module", "courses.module", "GET", "/course/modules/{module}", readers("200")),
    Case("draft module", "courses.module", "GET", "/course/modules/{draft}",
         readers("200", participant="404")),
    Case("download", "courses.download_material", "GET", "/course/materials/{file}/download",
         readers("200")),
    Case("download from draft", "courses.download_material", "GET",
         "/course/materials/{draft_file}/download", readers("200", participant="404")),
    Case("download of a link", "courses.download_material", "GET",
         "/course/materials/{link}/download", readers("404")),
    Case("new course form", "courses.new_course", "GET", "/course/new", editors("200")),
    Case("edit course form", "courses.edit_course", "GET", "/course/{course}/edit",
         editors("200")),
    Case("new module form", "courses.new_module", "GET", "/course/{course}/modules/new",
         editors("200")),
    Case("edit module form", "courses.edit_module", "GET", "/course/modules/{module}/edit",
         editors("200")),
    Case("edit draft form", "courses.edit_module", "GET", "/course/modules/{draft}/edit",
         editors("200")),
    Case("history", "courses.revisions", "GET", "/course/modules/{module}/revisions",
         editors("200")),
    Case("revision", "courses.revision", "GET", "/course/modules/{module}/revisions/1",
         editors("200")),
    Case("new session form", "courses.new_session", "GET",
         "/course/modules/{module}/sessions/new", editors("200")),
    Case("edit session form", "courses.edit_session", "GET", "/course/sessions/{session}/edit",
         editors("200")),
    Case("material forms", "courses.new_material", "GET",
         "/course/modules/{module}/materials/new", editors("200")),
    Case("create course", "courses.new_course", "POST", "/course/new", editors("to:/course/*"),
         data=COURSE_DATA, changes=STAFF),
    Case("edit course", "courses.edit_course", "POST", "/course/{course}/edit",
         editors("to:/course/{course}"), data={**COURSE_DATA, "starts_at": "2017-04-01T00:00",
                                               "ends_at": "2018-12-31T23:59"},
         changes=STAFF),
    Case("create module", "courses.new_module", "POST", "/course/{course}/modules/new",
         editors("to:/course/modules/*"), data=MODULE_DATA, changes=STAFF),
    Case("edit module", "courses.edit_module", "POST", "/course/modules/{module}/edit",
         editors("to:/course/modules/{module}"), data={**MODULE_DATA, "version": "2"},
         changes=STAFF),
    Case("publish module", "courses.publish_module", "POST", "/course/modules/{draft}/publish",
         editors("to:/course/modules/{draft}"), data={"published": "1"}, changes=STAFF),
    Case("move module", "courses.move_module", "POST", "/course/{course}/modules/{module}/move",
         editors("to:/course/{course}"), data={"direction": "down"}, changes=STAFF),
    Case("restore revision", "courses.restore_revision", "POST",
         "/course/modules/{module}/revisions/1/restore", editors("to:/course/modules/{module}"),
         changes=STAFF),
    Case("schedule session", "courses.new_session", "POST",
         "/course/modules/{module}/sessions/new", editors("to:/course/modules/{module}"),
         data=SESSION_DATA, changes=STAFF),
    Case("edit session", "courses.edit_session", "POST", "/course/sessions/{session}/edit",
         editors("to:/course/modules/{module}"), data=SESSION_DATA, changes=STAFF),
    Case("confirm cancelling a session", "courses.cancel_session", "GET",
         "/course/sessions/{session}/cancel", editors("200")),
    Case("cancel session", "courses.cancel_session", "POST",
         "/course/sessions/{session}/cancel", editors("to:/course/modules/{module}"),
         data={"cancelled": "1"}, changes=STAFF),
    Case("upload material", "courses.upload_material", "POST",
         "/course/modules/{module}/materials/file", editors("to:/course/modules/{module}"),
         data=upload, changes=STAFF),
    Case("add link", "courses.add_link", "POST", "/course/modules/{module}/materials/link",
         editors("to:/course/modules/{module}"),
         data={"link-title": "LaKI", "link-url": "https://www.example.org/"}, changes=STAFF),
    Case("remove material", "courses.delete_material", "POST",
         "/course/materials/{file}/delete", editors("to:/course/modules/{module}"),
         changes=STAFF),
]


def database_state(app) -> tuple[object, ...]:
    """Everything a course route could change."""
    def rows(model, *columns):
        return tuple(db.session.execute(select(*columns).order_by(model.id)).all())

    with app.app_context():
        return (
            rows(Course, Course.id, Course.title, Course.starts_at, Course.ends_at),
            rows(Module, Module.id, Module.title, Module.position, Module.published,
                 Module.revision),
            rows(ModuleRevision, ModuleRevision.id),
            rows(Session, Session.id, Session.starts_at, Session.title, Session.cancelled,
                 Session.sequence),
            rows(Material, Material.id),
            rows(AuditEntry, AuditEntry.id),
        )
