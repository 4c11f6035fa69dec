"""The assignment plugin's part of the demo, built through the same services as the pages.

- one assignment per demo module (individual and municipality-team work, each grading
  scheme), scheduled in every demo cohort: open two weeks before the module's session,
  due three weeks after it, accepted for a week more. The historical cohorts' work is
  therefore due in 2017 and 2018 (and finished: ``assignments.demo_history``); the current
  cohort's sessions lie around the day the demo was first seeded, so its early work is
  past, one piece is due soon and the later ones are not open yet;
- in the current cohort: submitted versions (some late, one with a second version),
  drafts with files, and an extension for one municipality.

Reviews, grades and notifications of the current cohort are added by
``assignments.demo_reviews``, after ``seed_demo`` (it finds the versions made here through
the ``DEMO_KEY`` assignments).

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
from assignments.demo_history import finish_work
from assignments.extensions import ExtensionRequest
from assignments.models import (
    Assignment,
    AssignmentKind,
    AssignmentSchedule,
    GradingScheme,
    Submission,
)
from cohorts.models import Cohort, Municipality
from courses.demo import COURSE_KEY, simple_pdf
from courses.models import Course, Module, Session
from lms.auth.models import User
from lms.dates import berlin_day, berlin_day_end, berlin_midnight
from lms.db import utcnow
from lms.demo import CURRENT, FIRST, LECTURERS, ORGANISERS, SECOND
from lms.extensions import db

DEMO_KEY = "assignment-m{position}"
OPENS_BEFORE_SESSION = timedelta(days=14)
DUE_AFTER_SESSION = timedelta(days=21)
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


def _dates(module: Module, cohort: Cohort) -> ScheduleDates | None:
    """Around the module's first held session in ``cohort``: None if it has none."""
    session = db.session.scalar(select(Session).where(
        Session.module_id == module.id, Session.cohort_id == cohort.id,
        Session.cancelled.is_(False)).order_by(Session.starts_at))
    if session is None:
        return None
    opens = berlin_midnight(berlin_day(session.starts_at) - OPENS_BEFORE_SESSION)
    due = berlin_day_end(berlin_day(session.ends_at) + DUE_AFTER_SESSION)
    return ScheduleDates(opens, due, due + CUT_OFF_AFTER)


def _schedule(assignment: Assignment, cohort: Cohort) -> AssignmentSchedule | None:
    schedule = authoring.schedule_for(assignment, cohort.id)
    dates = _dates(assignment.module, cohort)
    if schedule is None and dates is not None:
        schedule = authoring.schedule_assignment(assignment, cohort, dates,
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
WORK_CURRENT = (
    (1, "teilnehmer@example.org", -3, True),
    (1, "herne.2@example.org", -1, True),
    (1, "hagen.1@example.org", 2, True),          # late, before the cut-off
    (1, "krefeld.1@example.org", -5, True),
    (1, "moenchengladbach.1@example.org", -2, True),
    (2, "teilnehmer@example.org", -2, True),
    (2, "hagen.2@example.org", 4, True),          # late
    (2, "krefeld.2@example.org", -6, False),      # a draft, never handed in
    (3, "teilnehmer@example.org", -1, True),      # for Herne's team
    (3, "hagen.1@example.org", -2, True),
    (3, "wuppertal.1@example.org", 1, True),      # late
    (4, "teilnehmer@example.org", -19, False),    # the work due next: a draft
    (4, "kreis-mettmann.1@example.org", -20, True),  # handed in early
)


def _seed_work(schedules: dict[int, AssignmentSchedule]) -> None:
    now = utcnow()
    for position, email, offset, submit in WORK_CURRENT:
        schedule = schedules[position]
        at = min(schedule.due_at + timedelta(days=offset), now - timedelta(hours=1))
        if at < schedule.opens_at:
            continue  # not open yet: a re-seed later on fills it in
        _hand_in(schedule, email, at, f"Unsere Antwort zu „{schedule.assignment.title}“.\n\n"
                 "- Ausgangslage\n- Vorgehen\n- Ergebnis", submit=submit)
    # a second version of the demo participant's first assignment, handed in a day later
    first = db.session.scalar(select(Submission).where(
        Submission.schedule_id == schedules[1].id, Submission.version_count == 1,
        Submission.user_id == getattr(_user("teilnehmer@example.org"), "id", None)))
    if first is not None:
        first.draft_text += "\n\nErgänzt um ein zweites Fallbeispiel."
        submitting.record_version(first, actor=first.user, token=None,
                                  now=first.versions[0].submitted_at + timedelta(days=1))


def _seed_extension(schedule: AssignmentSchedule) -> None:
    krefeld = db.session.scalar(select(Municipality).where(Municipality.name == "Krefeld"))
    organiser = _user(ORGANISERS[0].email)
    if krefeld is None or organiser is None or any(
            e.municipality_id == krefeld.id for e in schedule.extensions):
        return
    extensions.grant_extension(schedule, ExtensionRequest(
        owner=f"municipality:{krefeld.id}", due_at=schedule.due_at + timedelta(days=14),
        cut_off_at=schedule.due_at + timedelta(days=21),
        reason="Die Ausschusssitzung wurde verschoben; die Karte folgt danach."),
        actor=organiser)


def seed_demo() -> None:
    course = db.session.scalar(select(Course).where(Course.demo_key == COURSE_KEY))
    cohorts = {key: db.session.scalar(select(Cohort).where(Cohort.demo_key == key))
               for key in (FIRST, SECOND, CURRENT)}
    if course is None or None in cohorts.values():
        return  # the course or cohort demo did not run
    current: dict[int, AssignmentSchedule] = {}
    for position, (module, demo) in enumerate(zip(_modules(course), ASSIGNMENTS,
                                                  strict=False), start=1):
        assignment = _assignment(module, position, demo)
        for key, cohort in cohorts.items():
            schedule = _schedule(assignment, cohort)
            if key == CURRENT and schedule is not None:
                current[position] = schedule
    db.session.flush()
    if len(current) == len(ASSIGNMENTS):
        _seed_extension(current[3])
        _seed_work(current)
    for key in (FIRST, SECOND):
        finish_work(cohorts[key])
    db.session.flush()
