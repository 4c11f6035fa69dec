"""The implementation steps' part of the demo, built through the same rules as the pages.

- Studiengruppe 2017 (full procedure) takes its template; its six municipalities stand at
  different steps: Hamm and Duisburg furthest, with committee decisions and measures
  with a dated history, Bielefeld with a committee meeting whose outcome never came,
  the others at analysis or recommendations. The cohort shares its progress.
- Studiengruppe 2018 (shortened procedure) takes its template: every municipality handed
  in its short analysis with recommendations, Köln and Bochum brought them to their
  councils and decided measures.
- The current cohort (full procedure) stands at its first step: Herne's analysis is
  accepted, Mönchengladbach's returned, Hagen's waits for review. It shares its progress.
- A draft of the "Handbuch Integration" with entries from Hamm and Duisburg.

Idempotent: a cohort takes its template once; work, meetings and measures are only added
for a municipality that has none yet; the handbook is found by its ``demo_key``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from assignments.demo_history import dated_messages
from assignments.extensions import REVISION_TIME, suggested_revision_due
from assignments.models import AssignmentSchedule, Extension, ReviewOutcome, Submission
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
from lms.demo import CURRENT, FIRST, LECTURERS, ORGANISERS, SECOND
from lms.extensions import db
from lms.i18n import BERLIN

HANDBOOK_KEY = "handbook-draft"
S = MeasureState


def _at(day: str | date, hour: int = 10) -> datetime:
    day = date.fromisoformat(day) if isinstance(day, str) else day
    return datetime.combine(day, time(hour), BERLIN)


# municipality -> [(step, handed in, reviewed, accepted)]; accepted None: not yet reviewed
EVIDENCE = {
    "Hamm": [(StepKind.ANALYSIS, "2017-08-21", "2017-09-04", True),
             (StepKind.RECOMMENDATIONS, "2017-12-15", "2018-01-10", True)],
    "Duisburg": [(StepKind.ANALYSIS, "2017-08-28", "2017-09-11", True),
                 (StepKind.RECOMMENDATIONS, "2017-12-20", "2018-01-12", True)],
    "Bielefeld": [(StepKind.ANALYSIS, "2017-08-29", "2017-09-15", True),
                  (StepKind.RECOMMENDATIONS, "2018-01-22", "2018-02-09", True)],
    "Kreis Düren": [(StepKind.ANALYSIS, "2017-09-05", "2017-09-20", True),
                    (StepKind.RECOMMENDATIONS, "2018-02-26", "2018-03-12", True)],
    "Kreis Recklinghausen": [(StepKind.ANALYSIS, "2017-08-25", "2017-09-08", True),
                             (StepKind.RECOMMENDATIONS, "2018-01-05", "2018-01-26", False)],
    "Solingen": [(StepKind.ANALYSIS, "2017-09-12", "2017-09-29", True)],
    **{name: [(StepKind.RECOMMENDATIONS, f"2018-05-{20 + number}", f"2018-06-{11 + number}",
               name != "Kreis Wesel")]
       for number, name in enumerate(("StädteRegion Aachen", "Bochum", "Gelsenkirchen", "Köln",
                                      "Münster", "Oberhausen", "Kreis Lippe", "Kreis Unna",
                                      "Kreis Wesel", "Rhein-Sieg-Kreis"))},
}
#: the current cohort's evidence: municipality -> [(step, days after the cohort's start it
#: was handed in, and reviewed (None: not yet), accepted)]
CURRENT_EVIDENCE = {
    "Herne": [(StepKind.ANALYSIS, 110, 116, True)],
    "Mönchengladbach": [(StepKind.ANALYSIS, 108, 117, False)],
    "Hagen": [(StepKind.ANALYSIS, 119, None, None)],
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
    "Köln": (
        DemoMeeting("Integrationsrat der Stadt Köln", "2018-09-10", "TOP 6, Vorlage 2871/2018",
                    Outcome.DECIDED, "Empfehlungen einstimmig an den Rat weitergegeben.", (
                        DemoMeasure("Konfliktlotsinnen und -lotsen in den Veedeln",
                                    "Amt für Integration und Vielfalt", "2019-06-30",
                                    "Ehrenamtliche Lotsinnen und Lotsen, geschult in "
                                    "Mediation, je Stadtbezirk zwei.",
                                    (("2018-10-15", S.IN_PROGRESS, "Erste Schulung mit "
                                      "14 Personen."),)),
                    )),
    ),
    "Bochum": (
        DemoMeeting("Ausschuss für Migration und Integration", "2018-10-04",
                    "TOP 3, Vorlage 20182214", Outcome.DECIDED,
                    "Beschlossen mit einer Ergänzung zur Beteiligung der Migrantenselbst"
                    "organisationen.", (
                        DemoMeasure("Runder Tisch Nachbarschaft", "Kommunales "
                                    "Integrationszentrum", "2018-12-31",
                                    "Vierteljährlicher Runder Tisch für Konflikte im "
                                    "Wohnumfeld.",
                                    (("2018-11-12", S.IMPLEMENTED, "Erste Sitzung am "
                                      "12.11.2018."),)),
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


def _evidence_of(cohort: Cohort, name: str) -> list[tuple[StepKind, date, date | None,
                                                           bool | None]]:
    if cohort.demo_key == CURRENT:
        start = cohort.starts_on
        return [(kind, start + timedelta(days=handed_in),
                 None if reviewed is None else start + timedelta(days=reviewed), accepted)
                for kind, handed_in, reviewed, accepted in CURRENT_EVIDENCE.get(name, [])]
    return [(kind, date.fromisoformat(handed_in),
             None if reviewed is None else date.fromisoformat(reviewed), accepted)
            for kind, handed_in, reviewed, accepted in EVIDENCE.get(name, [])]


def _evidence(cohort: Cohort, municipality: Municipality, person: User,
              lecturer: User | None) -> None:
    steps = {step.kind: step for step in procedures.cohort_steps(cohort.id)}
    for kind, handed_in, reviewed, accepted in _evidence_of(cohort, municipality.name):
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
        submission.draft_saved_at = _at(handed_in)
        if reviewed is None or lecturer is None:
            continue
        outcome = ReviewOutcome.GRADED if accepted else ReviewOutcome.RETURNED
        with dated_messages(_at(reviewed), past=cohort.demo_key != CURRENT):
            review = save_review(submission, ReviewInput(
                outcome, passed=True if accepted else None,
                feedback="Schlüssig und gut belegt." if accepted
                else "Bitte ergänzen Sie die Zuständigkeiten je Empfehlung.",
                revision_due_at=None if accepted else suggested_revision_due(submission)),
                actor=lecturer, seen=stamp(submission), version_id=submission.latest_version.id)
            if accepted:
                release(submission, actor=lecturer)
        if not accepted and cohort.demo_key != CURRENT:
            _date_revision(schedule, municipality, _at(reviewed) + REVISION_TIME)
        review.created_at = review.updated_at = review.released_at = _at(reviewed)
        review.shown_at = submission.released_at = review.released_at


def _date_revision(schedule: AssignmentSchedule, municipality: Municipality,
                   due_at: datetime) -> None:
    """A return in the programme's history gave time to revise back then, not from today."""
    extension = db.session.scalar(select(Extension).where(
        Extension.schedule_id == schedule.id, Extension.municipality_id == municipality.id)
        .order_by(Extension.id.desc()))
    if extension is not None:
        extension.due_at = due_at
        extension.cut_off_at = max(due_at, schedule.cut_off_at)


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
            "Rat der Stadt Bielefeld", _at("2018-11-22", 17), "TOP 8, Drucksache "
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
    cohorts = {cohort.demo_key: cohort for cohort in db.session.scalars(
        select(Cohort).where(Cohort.demo_key.in_((FIRST, SECOND, CURRENT))))}
    organiser = User.by_email(ORGANISERS[0].email)
    lecturer = User.by_email(LECTURERS[0].email)
    if len(cohorts) < 3:
        return  # the cohort demo did not run
    for cohort in cohorts.values():
        _take(cohort, organiser)
        if not db.session.scalar(select(CohortStep.id).where(
                CohortStep.cohort_id == cohort.id)):
            return  # the course has no module to take the template into
    for key in (FIRST, CURRENT):
        if organiser is not None and not shares_progress(cohorts[key].id):
            procedures.set_share_progress(cohorts[key], True, actor=organiser)
    for cohort in cohorts.values():
        for municipality in db.session.scalars(select(Municipality).where(
                Municipality.name.in_([*EVIDENCE, *CURRENT_EVIDENCE]))):
            person = _person(cohort, municipality)
            if person is None:
                continue
            _evidence(cohort, municipality, person, lecturer)
            _meetings(cohort, municipality, person)
    _handbook(cohorts[FIRST], organiser)
    db.session.flush()
