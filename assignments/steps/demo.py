"""The implementation steps' part of the demo, built through the same rules as the pages.

- Studiengruppe 2017 (full procedure) takes its template; its six municipalities stand at
  different steps: Hamm and Duisburg furthest, with committee decisions and measures
  with a dated history, Bielefeld with a committee meeting planned, the others between
  analysis and recommendations. The cohort shares its progress.
- Studiengruppe 2018 (shortened procedure) takes its template and stands at its start.
- A draft of the "Handbuch Integration" with entries from Hamm and Duisburg.

Idempotent: a cohort takes its template once; work, meetings and measures are only added
for a municipality that has none yet; the handbook is found by its ``demo_key``.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app, has_request_context
from sqlalchemy import select

from assignments.extensions import suggested_revision_due
from assignments.models import AssignmentSchedule, ReviewOutcome, Submission
from assignments.reviews import ReviewInput, release, save_review, stamp
from assignments.steps import committees, handbook, measures, procedures
from assignments.steps.access import shares_progress
from assignments.steps.committees import PresentationDetails
from assignments.steps.measures import MeasureDetails
from assignments.steps.models import (
    CohortStep,
    Handbook,
    MeasureState,
    Outcome,
    Presentation,
    StepKind,
)
from assignments.submitting import record_version, save_draft, submission_for
from cohorts.models import Cohort, Enrollment, EnrollmentKind, Municipality
from courses.models import Module
from lms.auth.models import User
from lms.dates import berlin_today
from lms.demo import LECTURERS, ORGANISERS
from lms.extensions import db
from lms.i18n import BERLIN

HANDBOOK_KEY = "handbook-draft"
S = MeasureState


def _at(day: str, hour: int = 10) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(hour), BERLIN)


# municipality -> [(step, handed in, reviewed, accepted)]; accepted None: not yet reviewed
EVIDENCE = {
    "Hamm": [(StepKind.ANALYSIS, "2017-08-21", "2017-09-04", True),
             (StepKind.RECOMMENDATIONS, "2017-12-15", "2018-01-10", True)],
    "Duisburg": [(StepKind.ANALYSIS, "2017-08-28", "2017-09-11", True),
                 (StepKind.RECOMMENDATIONS, "2017-12-20", "2018-01-12", True)],
    "Bielefeld": [(StepKind.ANALYSIS, "2017-08-29", "2017-09-15", True),
                  (StepKind.RECOMMENDATIONS, "2018-01-22", "2018-02-09", True)],
    "Kreis Düren": [(StepKind.ANALYSIS, "2017-09-05", "2017-09-20", True),
                    (StepKind.RECOMMENDATIONS, "2018-02-26", None, None)],
    "Kreis Recklinghausen": [(StepKind.ANALYSIS, "2017-08-25", "2017-09-08", True),
                             (StepKind.RECOMMENDATIONS, "2018-01-05", "2018-01-26", False)],
    "Solingen": [(StepKind.ANALYSIS, "2017-09-12", None, None)],
}

ANALYSIS_TEXT = """## Bestandsaufnahme {name}

- Kommunales Integrationszentrum als Geschäftsstelle, Integrationsrat mit 15 Mitgliedern
- Runder Tisch Flüchtlingshilfe, Arbeitskreis Wohnen
- Konfliktanlässe: Nachbarschaft in Sammelunterkünften, Zugang zu Sprachkursen,
  Zusammenarbeit von Ausländerbehörde und Jobcenter
"""
RECOMMENDATIONS_TEXT = """## Empfehlungen für {name}

1. Eine **Clearingstelle** für Konflikte im Quartier, angesiedelt beim Kommunalen
   Integrationszentrum.
2. Ein **Pool von Sprach- und Kulturmittlerinnen**, abrufbar für alle Ämter.
3. Eine jährliche **Integrationskonferenz** mit Politik, Verwaltung und Migrantenorganisationen.
"""


@dataclass(frozen=True)
class DemoMeasure:
    title: str
    unit: str
    due: str
    description: str
    #: (date, state, note) after the decision
    history: tuple[tuple[str, MeasureState, str], ...] = ()


@dataclass(frozen=True)
class DemoMeeting:
    committee: str
    meeting: str
    reference: str
    outcome: Outcome | None
    notes: str = ""
    measures: tuple[DemoMeasure, ...] = ()


MEETINGS = {
    "Hamm": (
        DemoMeeting("Integrationsrat", "2018-02-20", "TOP 4, DS 17/0398", Outcome.DECIDED,
                    "Der Integrationsrat empfiehlt dem Rat die Umsetzung aller drei "
                    "Empfehlungen."),
        DemoMeeting("Rat der Stadt Hamm", "2018-03-15", "TOP 12, DS 17/0421", Outcome.DECIDED,
                    "Einstimmig beschlossen; Finanzierung aus dem Integrationsbudget.", (
                        DemoMeasure("Clearingstelle Quartierskonflikte",
                                    "Kommunales Integrationszentrum", "2018-09-30",
                                    "Anlaufstelle für Konflikte in der Nachbarschaft, zwei "
                                    "Beratungstage je Woche.",
                                    (("2018-04-09", S.IN_PROGRESS, "Räume im Bürgeramt Mitte "
                                      "gefunden."),
                                     ("2018-09-17", S.IMPLEMENTED, "Eröffnet am 17.09.2018."))),
                        DemoMeasure("Pool von Sprach- und Kulturmittlerinnen",
                                    "Amt für Soziales", "2018-12-31",
                                    "24 Mittlerinnen und Mittler, Honorarrahmen, Vermittlung "
                                    "über das KI.",
                                    (("2018-05-02", S.IN_PROGRESS, "Ausschreibung läuft."),
                                     ("2018-11-05", S.IMPLEMENTED, "Pool mit 19 Personen "
                                      "gestartet."))),
                        DemoMeasure("Jährliche Integrationskonferenz",
                                    "Büro des Oberbürgermeisters", "2018-11-30",
                                    "Erste Konferenz im Kulturbahnhof.",
                                    (("2018-06-11", S.IN_PROGRESS, "Termin festgelegt."),)),
                    )),
    ),
    "Duisburg": (
        DemoMeeting("Ausschuss für Soziales", "2018-02-27", "TOP 6, DS 18-0112",
                    Outcome.PARTLY_DECIDED,
                    "Clearingstelle und Mittlerpool beschlossen; Konferenz vertagt.", (
                        DemoMeasure("Clearingstelle Marxloh", "Referat für Integration",
                                    "2018-08-31", "Konfliktberatung vor Ort in Marxloh.",
                                    (("2018-03-20", S.IN_PROGRESS, "Träger ausgewählt."),
                                     ("2018-08-27", S.IMPLEMENTED, "Beratung läuft."))),
                        DemoMeasure("Mittlerpool für Ämter", "Amt für Soziales", "2018-10-31",
                                    "Sprachmittlung für Ausländerbehörde und Jobcenter.",
                                    (("2018-04-16", S.IN_PROGRESS, "Rahmenvertrag in "
                                      "Abstimmung."),)),
                    )),
        DemoMeeting("Rat der Stadt Duisburg", "2018-04-23", "TOP 9, DS 18-0245", Outcome.DECIDED,
                    "Integrationskonferenz ab 2019 beschlossen.", (
                        DemoMeasure("Integrationskonferenz 2019", "Referat für Integration",
                                    "2019-03-31", "Jährliche Konferenz mit Stadtgesellschaft."),
                        DemoMeasure("Beschwerdemanagement Sammelunterkünfte",
                                    "Amt für Soziales", "2018-12-31",
                                    "Ein einheitliches Verfahren für Beschwerden.",
                                    (("2018-06-04", S.DROPPED, "Unterkünfte werden bis "
                                      "Jahresende geschlossen."),)),
                    )),
    ),
}


def _person(cohort: Cohort, municipality: Municipality) -> User | None:
    return db.session.scalar(select(User).join(Enrollment, Enrollment.user_id == User.id).where(
        Enrollment.cohort_id == cohort.id, Enrollment.municipality_id == municipality.id,
        Enrollment.kind == EnrollmentKind.MUNICIPALITY, Enrollment.ended_at.is_(None))
        .order_by(Enrollment.id))


def _take(cohort: Cohort, organiser: User | None) -> None:
    if procedures.cohort_steps(cohort.id):
        return
    module = db.session.scalar(select(Module).where(Module.course_id == cohort.course_id)
                               .order_by(Module.position.desc()))
    if module is not None:
        procedures.take_template(cohort, module, actor=organiser)


def _evidence(cohort: Cohort, municipality: Municipality, person: User,
              lecturer: User | None) -> None:
    steps = {step.kind: step for step in procedures.cohort_steps(cohort.id)}
    for kind, handed_in, reviewed, accepted in EVIDENCE.get(municipality.name, []):
        schedule = db.session.scalar(select(AssignmentSchedule).where(
            AssignmentSchedule.assignment_id == steps[kind].assignment_id,
            AssignmentSchedule.cohort_id == cohort.id))
        if db.session.scalar(select(Submission.id).where(
                Submission.schedule_id == schedule.id,
                Submission.municipality_id == municipality.id)):
            continue
        submission = submission_for(schedule, person)
        text = ANALYSIS_TEXT if kind is StepKind.ANALYSIS else RECOMMENDATIONS_TEXT
        save_draft(submission, text.format(name=municipality.name), [], actor=person)
        record_version(submission, actor=person, token=None, now=_at(handed_in))
        if reviewed is None or lecturer is None:
            continue
        outcome = ReviewOutcome.GRADED if accepted else ReviewOutcome.RETURNED
        review = save_review(submission, ReviewInput(
            outcome, passed=True if accepted else None,
            feedback="Schlüssig und gut belegt." if accepted
            else "Bitte ergänzen Sie die Zuständigkeiten je Empfehlung.",
            revision_due_at=None if accepted else suggested_revision_due(submission)),
            actor=lecturer, seen=stamp(submission), version_id=submission.latest_version.id)
        if accepted:
            release(submission, actor=lecturer)
        review.created_at = review.updated_at = review.released_at = _at(reviewed)
        review.shown_at = submission.released_at = review.released_at


def _meetings(cohort: Cohort, municipality: Municipality, person: User) -> None:
    if db.session.scalar(select(Presentation.id).where(
            Presentation.cohort_id == cohort.id,
            Presentation.municipality_id == municipality.id)):
        return
    for meeting in MEETINGS.get(municipality.name, ()):
        presentation = committees.record_presentation(cohort, municipality.id,
                                                      PresentationDetails(
            meeting.committee, _at(meeting.meeting, 17), meeting.reference, meeting.outcome,
            meeting.notes), actor=person)
        for demo in meeting.measures:
            measure = measures.create_measure(cohort.id, municipality.id, MeasureDetails(
                demo.title, presentation.id, demo.description, demo.unit,
                date.fromisoformat(demo.due)), actor=person)
            for day, state, note in demo.history:
                measures.add_update(measure, state, note, date.fromisoformat(day),
                                    actor=person)
    if municipality.name == "Bielefeld":
        committees.record_presentation(cohort, municipality.id, PresentationDetails(
            "Rat der Stadt Bielefeld", datetime.combine(
                berlin_today() + timedelta(days=14), time(17), BERLIN), "TOP 8, Drucksache "
            "5521/2014-2020"), actor=person)


def _handbook(cohort: Cohort, organiser: User | None) -> None:
    if organiser is None or db.session.scalar(select(Handbook.id).where(
            Handbook.demo_key == HANDBOOK_KEY)):
        return
    book = handbook.save_handbook(None, "Handbuch Integration (Entwurf)", (
        "## Zu diesem Handbuch\n\nSechs Kommunen haben im Lehrgang *Integrationsmanagement "
        "und Systemdesign* ihre Strukturen untersucht, Empfehlungen erarbeitet und in ihre "
        "Gremien gebracht. Dieses Handbuch sammelt, was beschlossen wurde, für alle 53 "
        "Kreise und kreisfreien Städte in NRW."), [cohort.id], actor=organiser)
    book.demo_key = HANDBOOK_KEY
    topics = {}
    for candidate in handbook.candidates([cohort.id]):
        if candidate.municipality.name not in {"Hamm", "Duisburg"}:
            continue
        if candidate.version is not None:
            topics[candidate.key] = "Empfehlungen der Kommunen"
        elif "Clearingstelle" in candidate.title or "Beschwerde" in candidate.title:
            topics[candidate.key] = "Konfliktberatung im Quartier"
        elif "mittler" in candidate.title.casefold():
            topics[candidate.key] = "Sprach- und Kulturmittlung"
        else:
            topics[candidate.key] = "Beteiligung"
    handbook.choose_entries(book, topics, actor=organiser)


def seed_demo() -> None:
    """Add the steps' demo (idempotent); needs the cohort and assignment demos to have run."""
    # reviews notify the teams with links to pages: build URLs as for the configured site
    context = nullcontext() if has_request_context() else current_app.test_request_context(
        base_url=current_app.config["BASE_URL"])
    with context:
        _seed()


def _seed() -> None:
    cohorts = {cohort.demo_key: cohort for cohort in db.session.scalars(
        select(Cohort).where(Cohort.demo_key.in_(("cohort-2017", "cohort-2018"))))}
    organiser = User.by_email(ORGANISERS[0].email)
    lecturer = User.by_email(LECTURERS[0].email)
    for cohort in cohorts.values():
        _take(cohort, organiser)
    first = cohorts.get("cohort-2017")
    if first is None or not db.session.scalar(select(CohortStep.id).where(
            CohortStep.cohort_id == first.id)):
        return
    if organiser is not None and not shares_progress(first.id):
        procedures.set_share_progress(first, True, actor=organiser)
    for name in EVIDENCE:
        municipality = db.session.scalar(select(Municipality).where(Municipality.name == name))
        person = _person(first, municipality) if municipality else None
        if person is None:
            continue
        _evidence(first, municipality, person, lecturer)
        _meetings(first, municipality, person)
    _handbook(first, organiser)
    db.session.flush()
