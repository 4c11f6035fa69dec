"""The cohort plugin's part of the demo, built through the same services as the pages.

- the 53 municipalities of the official list;
- the programme's history: "Studiengruppe 2017" (6 municipalities, full procedure, May
  2017 to December 2018) and "Studiengruppe 2018" (10 municipalities, shortened
  procedure), their applications accepted with a history, the people of ``lms.demo``
  enrolled for their municipality, mediators paired with municipalities, the lecturers;
- the current cohort (6 municipalities, full procedure), which started about four months
  before the demo was first seeded: its sessions, one per module five weeks apart, lie
  around that day, so the latest session is a week past and the next a few weeks ahead;
- an open round whose window is open around today, with applications still to decide;
- the course's demo sessions pointed at their historical cohort;
- attendance for every held session: mostly present, a few excused or absent, and one
  correction in the history. The current cohort's latest session is left for the
  lecturers to record.

Idempotent: cohorts are found by ``demo_key`` (so the current cohort keeps the dates of
its first seeding), applications by cohort and municipality, sessions by ``demo_key``,
mediators by their enrollment; running it again adds only what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from cohorts.applications import ApplicationDetails, change_status, submit_application
from cohorts.attendance import cohort_sessions, record_attendance, session_list
from cohorts.attendance_models import AttendanceStatus, SessionAttendance
from cohorts.consents import APPLICATION, SHARE_CONTACT, set_contact_sharing
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
from courses.demo_content import DORTMUND, DUESSELDORF, GELSENKIRCHEN, MUENSTER, ONLINE
from courses.models import Course, Module, Session
from courses.services import SessionDetails, schedule_session
from lms.audit import AuditEntry
from lms.auth.models import User
from lms.consent.models import ConsentRecord, ConsentText
from lms.dates import berlin_day, berlin_midnight, berlin_today
from lms.db import utcnow
from lms.demo import CURRENT, DEMO_PARTICIPANTS, FIRST, LECTURERS, MEDIATORS, ORGANISERS, SECOND
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
    submitted: date
    #: the states each application passed through after submission, with their dates
    steps: tuple[tuple[ApplicationStatus, date], ...]


#: the programme's history; the course plugin's demo sessions end in their year
HISTORY = (
    DemoCohort(FIRST, "Studiengruppe 2017", 6, Procedure.FULL,
               (date(2017, 1, 16), date(2017, 3, 31)), (date(2017, 5, 1), date(2018, 12, 31)),
               date(2017, 3, 20),
               ((S.SHORTLISTED, date(2017, 4, 5)), (S.ACCEPTED, date(2017, 4, 12)))),
    DemoCohort(SECOND, "Studiengruppe 2018", 10, Procedure.SHORTENED,
               (date(2017, 11, 2), date(2018, 1, 15)), (date(2018, 2, 1), date(2018, 12, 31)),
               date(2018, 1, 10), ((S.ACCEPTED, date(2018, 1, 24)),)),
)
#: the current cohort started this many days before the demo was first seeded
CURRENT_STARTED_DAYS_AGO = 126
#: its sessions: the first two weeks after its start, then one module every five weeks
CURRENT_FIRST_SESSION_AFTER, CURRENT_SESSION_SPACING = 14, 35
CURRENT_SESSION_HOURS = ((10, 0), (16, 30))
CURRENT_LOCATIONS = (DORTMUND, DUESSELDORF, GELSENKIRCHEN, MUENSTER, ONLINE)


def current_cohort(today: date) -> DemoCohort:
    """The current cohort as it is seeded on ``today`` (found by its key afterwards)."""
    starts = today - timedelta(days=CURRENT_STARTED_DAYS_AGO)
    return DemoCohort(CURRENT, f"Studiengruppe {starts.year}", 8, Procedure.FULL,
                      (starts - timedelta(days=140), starts - timedelta(days=70)),
                      (starts, starts + timedelta(days=540)), starts - timedelta(days=90),
                      ((S.SHORTLISTED, starts - timedelta(days=60)),
                       (S.ACCEPTED, starts - timedelta(days=52))))


# mediator email -> {cohort key: paired municipalities}
MEDIATOR_PAIRINGS = {
    "mediator.koch@example.org": {
        FIRST: ("Hamm", "Duisburg", "Bielefeld"),
        CURRENT: ("Mönchengladbach", "Kreis Mettmann", "Wuppertal"),
    },
    "mediatorin.yilmaz@example.org": {
        FIRST: ("Kreis Düren", "Kreis Recklinghausen", "Solingen"),
        SECOND: ("StädteRegion Aachen", "Bochum", "Gelsenkirchen", "Köln", "Münster"),
    },
    "mediator.schaefer@example.org": {
        SECOND: ("Oberhausen", "Kreis Lippe", "Kreis Unna", "Kreis Wesel", "Rhein-Sieg-Kreis"),
        CURRENT: ("Herne", "Hagen", "Krefeld"),
    },
}

#: a 2017 application that was not chosen (municipality, contact, nominees, submitted,
#: rejected): long past its retention period, so organisers see it on the retention page
REJECTED_2017 = ("Kreis Soest", "Ulrike Brand",
                 (("Frank Wessel", "Kreisverwaltung, Integration"),
                  ("Hatice Arslan", "Integrationsagentur")),
                 date(2017, 3, 24), date(2017, 4, 12))

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
    _date_consent(APPLICATION, application.id, application.consent_at)
    _dated(application, submitted)
    return application


def _date_consent(purpose: str, subject_id: int, at: datetime) -> None:
    """A consent given in the demo's past: its record and audit entry carry that time."""
    db.session.flush()
    for record in db.session.scalars(select(ConsentRecord).join(ConsentRecord.text).where(
            ConsentText.purpose == purpose, ConsentRecord.subject_id == subject_id)):
        record.given_at = at
    if purpose == SHARE_CONTACT:
        for entry in db.session.scalars(select(AuditEntry).where(
                AuditEntry.action == "enrollment.contact_sharing",
                AuditEntry.object_id == subject_id)):
            entry.at = at


def _seed_accepted(demo: DemoCohort, cohort: Cohort) -> None:
    teams: dict[str, list[PersonDetails]] = {}
    for person in DEMO_PARTICIPANTS:
        if person.cohort == demo.key and person.municipality:
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
                enrollment.started_at = berlin_midnight(cohort.starts_on)
                # the first person of each municipality agreed to share their contact data
                if enrollment.user.email == team[0].email:
                    set_contact_sharing(enrollment, True, actor=enrollment.user, version=None,
                                        language="de")
                    _date_consent(SHARE_CONTACT, enrollment.id, enrollment.started_at)


def _seed_rejected(cohort: Cohort) -> None:
    name, contact, team, submitted, rejected = REJECTED_2017
    slug = name.lower().replace(" ", "-")
    nominees = tuple(PersonDetails(person, f"{slug}.{index}@example.org", function)
                     for index, (person, function) in enumerate(team, start=1))
    application = _apply(cohort, _municipality(name),
                         PersonDetails(contact, f"{slug}.kontakt@example.org"), nominees,
                         submitted)
    if application is not None:
        change_status(application, S.REJECTED, actor=_organiser(), notify=False,
                      today=rejected, reason="Die Plätze gingen an Kommunen, deren "
                      "Strukturen für den ersten Durchgang weiter entwickelt waren.")
        _dated(application, rejected)


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
        name = f"Studiengruppe {starts.year}"
        if db.session.scalar(select(Cohort.id).where(Cohort.name == name)):
            name = f"Studiengruppe {starts.year} (Herbst)"
        cohort = create_cohort(CohortDetails(
            course_id=course.id, name=name, capacity=8,
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
    for demo in HISTORY:
        for session in demo_sessions_of_year(demo.dates[0].year):
            session.cohort_id = cohorts[demo.key].id


def _seed_current_sessions(cohort: Cohort, course: Course) -> None:
    """One session per module for the current cohort, five weeks apart, on a Thursday."""
    modules = db.session.scalars(select(Module).where(Module.course_id == course.id)
                                 .order_by(Module.position))
    for number, module in enumerate(modules):
        key = f"{CURRENT}-m{module.position}"
        if db.session.scalar(select(Session.id).where(Session.demo_key == key)):
            continue
        day = cohort.starts_on + timedelta(
            days=CURRENT_FIRST_SESSION_AFTER + number * CURRENT_SESSION_SPACING)
        day += timedelta(days=(3 - day.weekday()) % 7)
        (start_hour, start_minute), (end_hour, end_minute) = CURRENT_SESSION_HOURS
        location = CURRENT_LOCATIONS[number % len(CURRENT_LOCATIONS)]
        online = location == ONLINE
        schedule_session(module, SessionDetails(
            starts_at=berlin_midnight(day) + timedelta(hours=start_hour, minutes=start_minute),
            ends_at=berlin_midnight(day) + timedelta(hours=end_hour, minutes=end_minute),
            cohort_id=cohort.id, location="" if online else location,
            online_url=location if online else ""), demo_key=key)


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
    for key, cohort in cohorts.items():
        held = [s for s in cohort_sessions(cohort) if not s.cancelled and s.ends_at <= now]
        if key == CURRENT:
            held = held[:-1]  # the latest list is the lecturers' to record
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
    started = db.session.scalar(select(Cohort.starts_on).where(Cohort.demo_key == CURRENT))
    seeded_on = (started + timedelta(days=CURRENT_STARTED_DAYS_AGO) if started
                 else berlin_today())
    cohorts = {}
    for demo in (*HISTORY, current_cohort(seeded_on)):
        cohorts[demo.key] = cohort = _cohort(demo, course)
        db.session.flush()
        _seed_accepted(demo, cohort)
    _seed_rejected(cohorts[FIRST])
    _seed_mediators(cohorts)
    _seed_open_round(course)
    _point_sessions(cohorts)
    _seed_current_sessions(cohorts[CURRENT], course)
    db.session.flush()
    _seed_attendance(cohorts)
    db.session.flush()

