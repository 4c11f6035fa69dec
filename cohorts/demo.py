"""The cohort plugin's part of the demo, built through the same services as the pages.

- the 53 municipalities of the official list;
- "Studiengruppe 2017" (6 municipalities, full procedure, May 2017 to December 2018) and
  "Studiengruppe 2018" (10 municipalities, shortened procedure), their applications
  accepted with a history, the people of ``lms.demo`` enrolled for their municipality,
  mediators paired with municipalities, the lecturers;
- an open round whose window is open around today, with applications still to decide;
- the course's demo sessions pointed at their cohort;
- attendance for every held session of both cohorts: mostly present, a few excused or
  absent, and one correction in the history.

Idempotent: cohorts are found by ``demo_key``, applications by cohort and municipality,
mediators by their enrollment; running it again adds only what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from cohorts.applications import ApplicationDetails, change_status, submit_application
from cohorts.attendance import cohort_sessions, record_attendance, session_list
from cohorts.attendance_models import AttendanceStatus, SessionAttendance
from cohorts.enrollments import enroll, in_cohort
from cohorts.models import (
    Application,
    ApplicationStatus,
    Cohort,
    EnrollmentKind,
    Municipality,
    Procedure,
)
from cohorts.municipalities import load_reference_list
from cohorts.people import PersonDetails
from cohorts.services import CohortDetails, create_cohort
from courses.demo import COURSE_KEY, demo_sessions_of_year
from courses.models import Course
from lms.auth.models import User
from lms.dates import berlin_day, berlin_midnight, berlin_today
from lms.db import utcnow
from lms.demo import DEMO_PARTICIPANTS, LECTURERS, MEDIATORS, ORGANISERS
from lms.extensions import db

S = ApplicationStatus


@dataclass(frozen=True)
class DemoCohort:
    key: str
    name: str
    capacity: int
    procedure: Procedure
    window: tuple[date, date]
    dates: tuple[date, date]
    #: the cohort year of ``lms.demo.DEMO_PARTICIPANTS`` whose municipalities it takes
    year: int
    submitted: date
    #: the states each application passed through after submission, with their dates
    steps: tuple[tuple[ApplicationStatus, date], ...]


COHORTS = (
    DemoCohort("cohort-2017", "Studiengruppe 2017", 6, Procedure.FULL,
               (date(2017, 1, 16), date(2017, 3, 31)), (date(2017, 5, 1), date(2018, 12, 31)),
               2017, date(2017, 3, 20),
               ((S.SHORTLISTED, date(2017, 4, 5)), (S.ACCEPTED, date(2017, 4, 12)))),
    DemoCohort("cohort-2018", "Studiengruppe 2018", 10, Procedure.SHORTENED,
               (date(2017, 11, 2), date(2018, 1, 15)), (date(2018, 2, 1), date(2018, 12, 31)),
               2018, date(2018, 1, 10), ((S.ACCEPTED, date(2018, 1, 24)),)),
)

# mediator email -> {cohort key: paired municipalities}
MEDIATOR_PAIRINGS = {
    "mediator.koch@example.org": {"cohort-2017": ("Hamm", "Duisburg", "Bielefeld")},
    "mediatorin.yilmaz@example.org": {
        "cohort-2017": ("Kreis Düren", "Kreis Recklinghausen", "Solingen"),
        "cohort-2018": ("StädteRegion Aachen", "Bochum", "Gelsenkirchen", "Köln", "Münster"),
    },
    "mediator.schaefer@example.org": {
        "cohort-2018": ("Oberhausen", "Kreis Lippe", "Kreis Unna", "Kreis Wesel",
                        "Rhein-Sieg-Kreis"),
    },
}

OPEN_ROUND_KEY = "cohort-open-round"
# (municipality, status, contact, (nominee name, function) x 2)
OPEN_ROUND_APPLICATIONS = (
    ("Dortmund", S.SUBMITTED, "Ingrid Sauer",
     (("Lea Brinkmann", "Kommunales Integrationszentrum"), ("Kemal Yıldız", "Sozialamt"))),
    ("Essen", S.SUBMITTED, "Rainer Voss",
     (("Carola Engel", "Büro für interkulturelle Arbeit"), ("Jens Wirtz", "Jugendamt"))),
    ("Kreis Steinfurt", S.SHORTLISTED, "Doris Hagedorn",
     (("Marie Lohmann", "Kreisverwaltung, Integration"), ("Peter Nolte", "Jobcenter"))),
    ("Bonn", S.WAITLISTED, "Thomas Esser",
     (("Sandra Pohl", "Integrationsbeauftragte"), ("Ahmet Doğan", "Bürgerdienste"))),
)


def _at(day: date) -> datetime:
    """A time on ``day`` during office hours, so histories read naturally."""
    return berlin_midnight(day) + timedelta(hours=10)


def _organiser() -> User | None:
    return User.by_email(ORGANISERS[0].email)


def _lecturer_ids() -> frozenset[int]:
    return frozenset(user.id for person in LECTURERS if (user := User.by_email(person.email)))


def _municipality(name: str) -> Municipality:
    return db.session.scalars(select(Municipality).where(Municipality.name == name)).one()


def _cohort(demo: DemoCohort, course: Course) -> Cohort:
    cohort = db.session.scalar(select(Cohort).where(Cohort.demo_key == demo.key))
    if cohort is None:
        cohort = create_cohort(CohortDetails(
            course_id=course.id, name=demo.name, capacity=demo.capacity,
            procedure=demo.procedure, application_opens_on=demo.window[0],
            application_closes_on=demo.window[1], starts_on=demo.dates[0],
            ends_on=demo.dates[1], lecturer_ids=_lecturer_ids()), actor=_organiser())
        cohort.demo_key = demo.key
    return cohort


def _dated(application: Application, day: date) -> None:
    """Put the newest history row (and the state's time) on ``day``."""
    application.events[-1].at = application.status_changed_at = _at(day)


def _apply(cohort: Cohort, municipality: Municipality, contact: PersonDetails,
           nominees: tuple[PersonDetails, ...], submitted: date) -> Application | None:
    if db.session.scalar(select(Application.id).where(
            Application.cohort_id == cohort.id, Application.municipality_id == municipality.id)):
        return None
    application = submit_application(cohort, ApplicationDetails(
        municipality_id=municipality.id, contact_name=contact.name,
        contact_email=contact.email, nominees=nominees, consent=True,
        motivation=f"{municipality.name} möchte ein Konfliktmanagementsystem für die "
                   "Integrationsarbeit aufbauen und die Erfahrungen mit anderen Kommunen teilen.",
        structures="- Kommunales Integrationszentrum\n- Integrationsrat\n"
                   "- Arbeitskreis Flüchtlingshilfe"), today=submitted)
    application.submitted_at = application.consent_at = _at(submitted)
    _dated(application, submitted)
    return application


def _seed_accepted(demo: DemoCohort, cohort: Cohort) -> None:
    teams: dict[str, list[PersonDetails]] = {}
    for person in DEMO_PARTICIPANTS:
        if person.cohort_year == demo.year and person.municipality:
            teams.setdefault(person.municipality, []).append(
                PersonDetails(person.display_name, person.email, person.function or ""))
    for name, team in teams.items():
        application = _apply(cohort, _municipality(name), team[0], tuple(team), demo.submitted)
        if application is None:
            continue
        for status, day in demo.steps:
            decision = change_status(application, status, actor=_organiser(), notify=False,
                                     today=day)
            _dated(application, day)
            for enrollment in decision.enrolled:
                enrollment.started_at = berlin_midnight(demo.dates[0])
                # the first person of each municipality agreed to share their contact data
                enrollment.share_contact = enrollment.user.email == team[0].email


def _seed_mediators(cohorts: dict[str, Cohort]) -> None:
    for person in MEDIATORS:
        for key, municipalities in MEDIATOR_PAIRINGS.get(person.email, {}).items():
            cohort = cohorts[key]
            if in_cohort(person.email, cohort):
                continue
            enrollment = enroll(
                cohort, PersonDetails(person.display_name, person.email, person.function or ""),
                kind=EnrollmentKind.MEDIATOR, actor=_organiser(), notify=False,
                paired=[_municipality(name) for name in municipalities])
            enrollment.started_at = berlin_midnight(cohort.starts_on)


def _seed_open_round(course: Course) -> None:
    today = berlin_today()
    cohort = db.session.scalar(select(Cohort).where(Cohort.demo_key == OPEN_ROUND_KEY))
    if cohort is None:
        starts = (today + timedelta(days=75)).replace(day=1)
        cohort = create_cohort(CohortDetails(
            course_id=course.id, name=f"Studiengruppe {starts.year}", capacity=8,
            procedure=Procedure.FULL, application_opens_on=today - timedelta(days=14),
            application_closes_on=today + timedelta(days=30), starts_on=starts,
            ends_on=starts + timedelta(days=540),
            lecturer_ids=frozenset(user.id for user in [User.by_email(LECTURERS[0].email)]
                                   if user)), actor=_organiser())
        cohort.demo_key = OPEN_ROUND_KEY
    if not cohort.window_open(today):
        return  # an old demo database: its round has closed, leave it as it is
    for number, (name, status, contact, team) in enumerate(OPEN_ROUND_APPLICATIONS, start=1):
        slug = name.lower().replace(" ", "-")
        nominees = tuple(PersonDetails(person, f"{slug}.{index}@example.org", function)
                         for index, (person, function) in enumerate(team, start=1))
        submitted = max(cohort.application_opens_on, today - timedelta(days=10 - number))
        application = _apply(cohort, _municipality(name),
                             PersonDetails(contact, f"{slug}.kontakt@example.org"), nominees,
                             submitted)
        if application is not None and status is not S.SUBMITTED:
            change_status(application, status, actor=_organiser(), notify=False,
                          reason="Gute Ausgangslage, Entscheidung in der Auswahlsitzung."
                          if status is S.SHORTLISTED else "Alle Plätze sind vorläufig vergeben.")


def _point_sessions(cohorts: dict[str, Cohort]) -> None:
    for demo in COHORTS:
        for session in demo_sessions_of_year(demo.year):
            session.cohort_id = cohorts[demo.key].id


def _demo_status(session_number: int, person_number: int) -> AttendanceStatus:
    """Mostly present; now and then excused or absent, the same on every run."""
    turn = (session_number * 7 + person_number * 3) % 29
    if turn == 0:
        return AttendanceStatus.ABSENT
    if turn in (1, 2):
        return AttendanceStatus.EXCUSED
    return AttendanceStatus.PRESENT


def _seed_attendance(cohorts: dict[str, Cohort]) -> None:
    """Each held session's list, saved by a lecturer after it; lists already saved stay."""
    lecturer = User.by_email(LECTURERS[0].email)
    organiser = _organiser()
    if lecturer is None or organiser is None:
        return
    now = utcnow()
    for demo in COHORTS:
        cohort = cohorts[demo.key]
        held = [s for s in cohort_sessions(cohort) if not s.cancelled and s.starts_at <= now]
        for number, session in enumerate(held):
            rows = session_list(cohort, session)
            if not rows or any(row.record is not None for row in rows):
                continue
            statuses = {row.enrollment.id: _demo_status(number, index)
                        for index, row in enumerate(rows)}
            record_attendance(cohort, session, statuses, actor=lecturer,
                              today=berlin_day(session.starts_at))
            for record in db.session.scalars(select(SessionAttendance).where(
                    SessionAttendance.session_id == session.id)):
                record.recorded_at = session.ends_at
            if number == 0:  # a late excuse: the organiser corrects the first list
                first = rows[0].enrollment.id
                record_attendance(cohort, session, {first: AttendanceStatus.EXCUSED},
                                  actor=organiser, today=berlin_day(session.starts_at))
                if statuses[first] is not AttendanceStatus.EXCUSED:
                    for change in db.session.scalars(select(SessionAttendance).where(
                            SessionAttendance.session_id == session.id,
                            SessionAttendance.enrollment_id == first)).one().changes:
                        change.at = session.ends_at + timedelta(days=2)


def seed_demo() -> None:
    load_reference_list()
    course = db.session.scalar(select(Course).where(Course.demo_key == COURSE_KEY))
    if course is None:  # the course plugin's demo did not run
        return
    cohorts = {}
    for demo in COHORTS:
        cohorts[demo.key] = cohort = _cohort(demo, course)
        db.session.flush()
        _seed_accepted(demo, cohort)
    _seed_mediators(cohorts)
    _seed_open_round(course)
    _point_sessions(cohorts)
    db.session.flush()
    _seed_attendance(cohorts)
    db.session.flush()

