"""The course's part of the demo: the course, seven modules, their sessions and materials,
and the three congresses (``courses.demo_congresses``).

Idempotent: the course and the sessions carry a ``demo_key``; modules are found by title
and materials by title within their module, so running it again adds only what is missing.

Cohorts do not exist in this plugin. Each demo session therefore has ``cohort_id`` None
and a ``demo_key`` ending in its cohort's year ("konflikt-2017", "analyse-2017-ersatz",
"gremien-2018", ...); the cohorts plugin's demo points them at its cohorts with
``demo_sessions_of_year(2017)`` and ``demo_sessions_of_year(2018)``.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import PurePosixPath

from sqlalchemy import select

from courses import materials, services
from courses.demo_congresses import seed_congresses
from courses.demo_content import (
    CERTIFICATE_REQUIREMENTS,
    COURSE_DESCRIPTION,
    COURSE_TITLE,
    MODULES,
    DemoMaterial,
    DemoModule,
)
from courses.models import Course, Module, Session
from courses.services import CourseDetails, ModuleContent, SessionDetails
from lms.auth.models import User
from lms.dates import berlin_to_utc
from lms.extensions import db

COURSE_KEY = "lehrgang"


def _berlin(text: str) -> datetime:
    return berlin_to_utc(datetime.strptime(text, "%Y-%m-%d %H:%M"))


def simple_pdf(lines: tuple[str, ...] | list[str]) -> bytes:
    """A small valid one-page PDF showing ``lines`` (first line as heading)."""

    def escaped(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    commands = ["BT", "/F1 16 Tf", "18 TL", "56 780 Td"]
    for number, line in enumerate(lines):
        if number == 1:
            commands.append("/F1 11 Tf 15 TL")
        commands.append(f"({escaped(line)}) Tj T*")
    commands.append("ET")
    stream = "\n".join(commands).encode("cp1252", errors="replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def _file_bytes(material: DemoMaterial) -> bytes:
    if material.source.endswith(".pdf"):
        return simple_pdf(material.lines)
    return ("\n".join(material.lines) + "\n").encode("utf-8")


def _seed_course() -> Course:
    course = db.session.scalar(select(Course).where(Course.demo_key == COURSE_KEY))
    if course is None:
        course = services.create_course(CourseDetails(
            title=COURSE_TITLE, starts_at=_berlin("2017-05-01 00:00"),
            ends_at=_berlin("2029-12-31 23:59"), description=COURSE_DESCRIPTION,
            certificate_requirements=CERTIFICATE_REQUIREMENTS), actor=None)
        course.demo_key = COURSE_KEY
    return course


def _seed_materials(module: Module, demo: DemoModule, author: User | None) -> None:
    have = {material.title for material in module.materials}
    for material in demo.materials:
        if material.title in have:
            continue
        if material.source.startswith("https://"):
            materials.add_link(module, title=material.title, url=material.source, actor=author)
        else:
            materials.add_file(module, title=material.title,
                               filename=PurePosixPath(material.source).name,
                               stream=io.BytesIO(_file_bytes(material)), actor=author)


def _seed_module(course: Course, demo: DemoModule) -> None:
    author = User.by_email(demo.author_email)
    module = db.session.scalar(select(Module).where(Module.course_id == course.id,
                                                    Module.title == demo.title))
    if module is None:
        module = services.create_module(
            course, ModuleContent(demo.title, demo.summary, demo.objectives, demo.content),
            actor=author)
        services.set_module_published(module, True, actor=author)
    for session in demo.sessions:
        if db.session.scalar(select(Session.id).where(Session.demo_key == session.key)):
            continue
        scheduled = services.schedule_session(module, SessionDetails(
            starts_at=_berlin(session.starts), ends_at=_berlin(session.ends),
            title=session.title, location=session.location, online_url=session.online_url,
            notes=session.notes), demo_key=session.key)
        if session.cancelled:
            services.set_session_cancelled(scheduled, True, actor=None)
    _seed_materials(module, demo, author)


def seed_demo() -> None:
    course = _seed_course()
    for demo in MODULES:
        _seed_module(course, demo)
    seed_congresses(course)
    db.session.flush()


def demo_sessions_of_year(year: int) -> list[Session]:
    """The demo sessions meant for the cohort that starts in ``year`` (2017 or 2018)."""
    return list(db.session.scalars(
        select(Session).where(Session.demo_key.like(f"%-{year}%")).order_by(Session.starts_at)))
