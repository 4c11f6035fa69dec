"""The assignment plugin's part of the demo, built through the same services as the pages.

- one assignment per demo module (individual and municipality-team work, each grading
  scheme), scheduled in both demo cohorts. The dates are relative to the day the demo is
  first seeded: the early modules' work is due in the past, the last ones are open now,
  so every role finds work in every state;
- in cohort 2017: submitted versions (some late, one with a second version), drafts with
  files, and an extension for one municipality.

Reviews, grades and notifications are added by the grading part of the plugin, after
``seed_demo`` (it finds the versions made here through the ``DEMO_KEY`` assignments).

Idempotent: assignments carry a ``demo_key``, schedules are one per assignment and
cohort, and work is only added to a submission that has none yet.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from assignments import authoring, extensions, submitting
from assignments.authoring import AssignmentDetails, ScheduleDates
from assignments.extensions import ExtensionRequest
from assignments.models import (
    Assignment,
    AssignmentKind,
    AssignmentSchedule,
    GradingScheme,
    Submission,
)
from cohorts.demo import COHORTS
from cohorts.models import Cohort, Municipality
from courses.demo import COURSE_KEY, simple_pdf
from courses.models import Course, Module
from lms.auth.models import User
from lms.dates import berlin_day, berlin_midnight, berlin_today
from lms.db import utcnow
from lms.demo import LECTURERS, ORGANISERS
from lms.extensions import db

DEMO_KEY = "assignment-m{position}"
#: days between the due dates of two modules' work
SPACING = 21
#: the last module's work is due this many days after the demo is seeded
LAST_DUE_IN = 10
CUT_OFF_AFTER = timedelta(days=7)
MAX_UPLOAD_MB = 20


@dataclass(frozen=True)
class DemoAssignment:
    title: str
    kind: AssignmentKind
    grading: GradingScheme
    instructions: str
    max_points: int | None = None


_T, _I = AssignmentKind.TEAM, AssignmentKind.INDIVIDUAL
_P, _F, _O = GradingScheme.POINTS, GradingScheme.PASS_FAIL, GradingScheme.FEEDBACK_ONLY

# one per module, in module order
ASSIGNMENTS = (
    DemoAssignment("Konfliktfall aus der eigenen Praxis", _I, _P,
                   "Beschreiben Sie auf ein bis zwei Seiten einen Konflikt aus Ihrer "
                   "Integrationsarbeit: Beteiligte, Anlass, Verlauf. Ordnen Sie ihn in die "
                   "**Konfliktstufen** nach Glasl ein.", 20),
    DemoAssignment("Reflexion: Rollenspiel Mediation", _I, _F,
                   "Reflektieren Sie Ihre Rolle im Mediations-Rollenspiel des Präsenztags. "
                   "Was ist Ihnen gelungen, was würden Sie anders machen?"),
    DemoAssignment("Akteurslandkarte der Kommune", _T, _F,
                   "Erstellen Sie als Team Ihrer Kommune eine Akteurslandkarte der "
                   "Integrationsarbeit: Ämter, Träger, Migrantenorganisationen, Gremien."),
    DemoAssignment("Entwurf eines Konfliktmanagementsystems", _I, _P,
                   "Skizzieren Sie ein Konfliktmanagementsystem für ein Handlungsfeld Ihrer "
                   "Wahl: Anlaufstellen, Verfahren, Zuständigkeiten.", 30),
    DemoAssignment("Bestandsaufnahme (Analysebericht)", _T, _O,
                   "Fassen Sie die Ergebnisse Ihrer Bestandsaufnahme zusammen: bestehende "
                   "Strukturen, Prozesse, Lücken. Eine Vorlage finden Sie bei den Materialien."),
    DemoAssignment("Empfehlungspapier für die Gremien", _T, _F,
                   "Formulieren Sie die Empfehlungen Ihrer Kommune so, dass sie einem Ausschuss "
                   "vorgelegt werden können (höchstens 5 Seiten)."),
    DemoAssignment("Maßnahmenplan", _T, _O,
                   "Listen Sie die beschlossenen Maßnahmen mit Verantwortlichen und Terminen "
                   "auf."),
)


def _user(email: str) -> User | None:
    return User.by_email(email)


def _modules(course: Course) -> list[Module]:
    return list(db.session.scalars(select(Module).where(Module.course_id == course.id)
                                   .order_by(Module.position)))


def _assignment(module: Module, position: int, demo: DemoAssignment) -> Assignment:
    key = DEMO_KEY.format(position=position)
    assignment = db.session.scalar(select(Assignment).where(Assignment.demo_key == key))
    if assignment is None:
        team = demo.kind is AssignmentKind.TEAM
        assignment = authoring.create_assignment(module, AssignmentDetails(
            title=demo.title, kind=demo.kind, grading=demo.grading,
            instructions=demo.instructions, max_points=demo.max_points,
            allowed_extensions="pdf,docx,odt" if team else "pdf,docx,odt,txt",
            max_files=3, max_file_mb=10, text_allowed=True, text_required=not team),
            actor=_user(LECTURERS[0].email), max_upload_mb=MAX_UPLOAD_MB)
        assignment.demo_key = key
    return assignment


def _due(position: int, count: int, first_seeded: datetime) -> datetime:
    """Due dates three weeks apart, the last one ``LAST_DUE_IN`` days ahead, at 23:59."""
    days = LAST_DUE_IN - (count - position) * SPACING
    return first_seeded + timedelta(days=days, hours=23, minutes=59)


def _schedule(assignment: Assignment, cohort: Cohort, due: datetime) -> AssignmentSchedule:
    schedule = authoring.schedule_for(assignment, cohort.id)
    if schedule is None:
        schedule = authoring.schedule_assignment(
            assignment, cohort, ScheduleDates(due - timedelta(days=28), due, due + CUT_OFF_AFTER),
            actor=_user(LECTURERS[0].email))
    return schedule


def _pdf(title: str, author: str) -> tuple[str, io.BytesIO]:
    name = f"{title.split(' ')[0]}_{author.split(' ')[-1]}.pdf"
    return name, io.BytesIO(simple_pdf([title, f"von {author}"]))


def _hand_in(schedule: AssignmentSchedule, email: str, at: datetime, text: str,
             *, submit: bool = True) -> None:
    """Work by ``email``: a draft with a PDF, handed in ``at`` when ``submit``."""
    person = _user(email)
    if person is None:
        return
    submission = submitting.submission_for(schedule, person)
    if submission.version_count or submission.draft_saved_at:
        return
    submitting.save_draft(submission, text, [_pdf(schedule.assignment.title,
                                                   person.display_name)], actor=person)
    submission.draft_saved_at = at
    if submit:
        submitting.record_version(submission, actor=person, token=None, now=at)


# (position of the assignment, email, days after its due date (negative: before), submit)
WORK_2017 = (
    (1, "teilnehmer@example.org", -3, True),
    (1, "hamm.2@example.org", -1, True),
    (1, "duisburg.1@example.org", 2, True),       # late, before the cut-off
    (1, "bielefeld.1@example.org", -5, True),
    (2, "teilnehmer@example.org", -2, True),
    (2, "duisburg.2@example.org", 4, True),       # late
    (3, "teilnehmer@example.org", -1, True),      # for Hamm's team
    (3, "duisburg.1@example.org", -2, True),
    (3, "solingen.1@example.org", 1, True),       # late
    (4, "teilnehmer@example.org", -4, True),
    (4, "kreis-dueren.1@example.org", -1, True),
    (5, "hamm.2@example.org", -2, True),
    (5, "bielefeld.2@example.org", -6, False),    # a draft, never handed in
    (6, "duisburg.1@example.org", -12, True),
    (7, "teilnehmer@example.org", -12, False),    # the current work: a draft
)


def _seed_work(schedules: dict[int, AssignmentSchedule]) -> None:
    now = utcnow()
    for position, email, offset, submit in WORK_2017:
        schedule = schedules[position]
        at = schedule.due_at + timedelta(days=offset)
        if at > now:
            continue  # not yet: a re-seed later on fills it in
        _hand_in(schedule, email, at, f"Unsere Antwort zu „{schedule.assignment.title}“.\n\n"
                 "- Ausgangslage\n- Vorgehen\n- Ergebnis", submit=submit)
    # a second version of Hamm's first assignment, handed in a day later
    first = db.session.scalar(select(Submission).where(
        Submission.schedule_id == schedules[1].id, Submission.version_count == 1,
        Submission.user_id == getattr(_user("teilnehmer@example.org"), "id", None)))
    if first is not None:
        first.draft_text += "\n\nErgänzt um ein zweites Fallbeispiel."
        submitting.record_version(first, actor=first.user, token=None,
                                  now=first.versions[0].submitted_at + timedelta(days=1))


def _seed_extension(schedule: AssignmentSchedule) -> None:
    solingen = db.session.scalar(select(Municipality).where(Municipality.name == "Solingen"))
    organiser = _user(ORGANISERS[0].email)
    if solingen is None or organiser is None or any(
            e.municipality_id == solingen.id for e in schedule.extensions):
        return
    extensions.grant_extension(schedule, ExtensionRequest(
        owner=f"municipality:{solingen.id}", due_at=schedule.due_at + timedelta(days=14),
        cut_off_at=schedule.due_at + timedelta(days=21),
        reason="Die Ratssitzung wurde verschoben; der Bericht folgt danach."), actor=organiser)


def seed_demo() -> None:
    course = db.session.scalar(select(Course).where(Course.demo_key == COURSE_KEY))
    cohorts = {demo.key: db.session.scalar(select(Cohort).where(Cohort.demo_key == demo.key))
               for demo in COHORTS}
    if course is None or None in cohorts.values():
        return  # the course or cohort demo did not run
    modules = _modules(course)
    first_seeded = db.session.scalar(select(Assignment.created_at).where(
        Assignment.demo_key.is_not(None)).order_by(Assignment.created_at))
    base = berlin_midnight(berlin_day(first_seeded) if first_seeded
                           else berlin_today())
    schedules_2017: dict[int, AssignmentSchedule] = {}
    for position, (module, demo) in enumerate(zip(modules, ASSIGNMENTS, strict=False),
                                              start=1):
        assignment = _assignment(module, position, demo)
        due = _due(position, len(ASSIGNMENTS), base)
        for key, cohort in cohorts.items():
            schedule = _schedule(assignment, cohort, due)
            if key == "cohort-2017":
                schedules_2017[position] = schedule
    db.session.flush()
    if len(schedules_2017) == len(ASSIGNMENTS):
        _seed_extension(schedules_2017[6])
        _seed_work(schedules_2017)
    db.session.flush()
