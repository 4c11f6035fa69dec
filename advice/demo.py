"""The advice office's part of the demo, built through the same rules as the pages.

- a pool of eight mediators and advisers across the five administrative regions: the
  demo's three mediators and five advisers more, one of them paused;
- cases in every state, dated around the current cohort's story (it started
  ``CURRENT_STARTED_DAYS_AGO`` days before the demo was first seeded): Johanna Berger
  (Herne, the demo participant) asked for mediation, which is in progress with an
  appointment ahead, after an earlier piece of advice whose feedback is still open, and a
  request for moderation on which the office asked back, so that she sees the answer form;
  a new request from Hagen; a question back to Krefeld; Wuppertal's
  case waiting for its mediator's answer; a public request declined; and Bochum's
  mediation of last year, concluded with the municipality's feedback.

Idempotent: pool members and cases are found by ``demo_key``; running it again adds only
what is missing.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from advice import cases as case_rules
from advice import record
from advice.cases import RequestDetails, Triage
from advice.consents import ADVICE_REQUEST
from advice.models import (
    AdviceCase,
    CaseKind,
    OutcomeKind,
    PoolMember,
    Urgency,
)
from advice.pool import Profile, add_member
from cohorts.demo import CURRENT_STARTED_DAYS_AGO
from cohorts.models import Cohort, Municipality
from cohorts.people import PersonDetails
from lms.auth.models import User
from lms.consent.models import ConsentRecord, ConsentText
from lms.dates import berlin_midnight, berlin_today
from lms.demo import CURRENT, ORGANISERS
from lms.extensions import db

# (key, name, email, qualifications, languages, regions, topics, availability, active)
POOL = (
    ("pool-koch", "Bernd Koch", "mediator.koch@example.org", "Zertifizierter Mediator",
     ("Deutsch", "Englisch"), ("Arnsberg", "Düsseldorf"), ("Gremien", "Verwaltung"),
     "dienstags und donnerstags", True),
    ("pool-yilmaz", "Elif Yılmaz", "mediatorin.yilmaz@example.org",
     "Zertifizierte Mediatorin, interkulturelle Trainerin", ("Deutsch", "Türkisch"),
     ("Köln", "Düsseldorf"), ("Nachbarschaft", "Schule"), "nach Absprache", True),
    ("pool-schaefer", "Lukas Schäfer", "mediator.schaefer@example.org",
     "Zertifizierter Mediator", ("Deutsch",), ("Arnsberg", "Münster"),
     ("Flüchtlingsunterkunft", "Nachbarschaft"), "ganztags außer freitags", True),
    ("pool-roth", "Dr. Hanna Roth", "hanna.roth@example.org",
     "Organisationsberaterin, Supervisorin (DGSv)", ("Deutsch", "Englisch"), ("Detmold",),
     ("Verwaltung", "Gremien"), "montags bis mittwochs", True),
    ("pool-haddad", "Karim Haddad", "karim.haddad@example.org",
     "Mediator, Sprach- und Kulturmittler", ("Deutsch", "Arabisch", "Französisch"),
     ("Köln",), ("Flüchtlingsunterkunft", "Religion"), "abends und am Wochenende", True),
    ("pool-brinkmann", "Ute Brinkmann", "ute.brinkmann@example.org",
     "Moderatorin, Trainerin für Konfliktmanagement", ("Deutsch",), ("Münster", "Detmold"),
     ("Moderation", "Schulung"), "ab dem nächsten Monat", True),
    ("pool-aksoy", "Selin Aksoy", "selin.aksoy@example.org", "Zertifizierte Mediatorin",
     ("Deutsch", "Türkisch", "Kurdisch"), ("Arnsberg", "Münster"), ("Schule", "Jugend"),
     "vormittags", True),
    ("pool-lindner", "Peter Lindner", "peter.lindner@example.org",
     "Mediator, Jurist", ("Deutsch",), ("Düsseldorf",), ("Recht", "Verwaltung"),
     "pausiert bis zum Sommer", False),
)


@dataclass(frozen=True)
class DemoCase:
    key: str
    municipality: str
    #: the email of the person who asked; None for the public form
    requester: str | None
    kind: CaseKind
    description: str
    parties: str
    urgency: Urgency
    language: str
    topic: str
    #: days before the day the demo was first seeded
    asked_days_ago: int
    #: what happened next, each step ``after`` so many days: see ``_steps``
    story: str


CASES = (
    DemoCase("case-herne", "Herne", "teilnehmer@example.org", CaseKind.MEDIATION,
             "Seit der Belegung der Notunterkunft an der Bahnhofstraße beschweren sich "
             "Anwohnende über Lärm. Beim letzten Bürgerabend eskalierte der Streit zwischen "
             "Anwohnerinitiative und Unterstützerkreis.\n\nWir bitten um eine Mediation.",
             "Anwohnerinitiative, Unterstützerkreis, Träger der Unterkunft, Stadt Herne",
             Urgency.HIGH, "Deutsch", "Flüchtlingsunterkunft", 20, "in_progress"),
    DemoCase("case-herne-advice", "Herne", "teilnehmer@example.org", CaseKind.ADVICE,
             "Wie binden wir den Integrationsrat in die Vorbereitung der Empfehlungen ein?",
             "Integrationsrat, Kommunales Integrationszentrum", Urgency.LOW, "Deutsch",
             "Gremien", 100, "concluded_without_feedback"),
    DemoCase("case-herne-question", "Herne", "teilnehmer@example.org", CaseKind.MODERATION,
             "Der Integrationsrat und der Sportverein streiten über die Hallenzeiten im "
             "Ramadan. Wir suchen eine Moderation für ein gemeinsames Gespräch.",
             "Integrationsrat, Sportverein, Sportamt", Urgency.NORMAL, "Deutsch", "Sport",
             4, "asked_back"),
    DemoCase("case-hagen", "Hagen", "hagen.1@example.org", CaseKind.ADVICE,
             "Wir möchten ein Beschwerdemanagement für die Integrationsarbeit einrichten und "
             "bitten um Beratung zum Vorgehen.", "Integrationsbüro, Bürgeramt",
             Urgency.LOW, "Deutsch", "Verwaltung", 3, "new"),
    DemoCase("case-krefeld", "Krefeld", "krefeld.1@example.org", CaseKind.MODERATION,
             "Für die Gründung eines Runden Tisches Integration suchen wir eine Moderation.",
             "Vereine, Verwaltung, Integrationsrat", Urgency.NORMAL, "Deutsch", "Moderation",
             9, "asked_back"),
    DemoCase("case-wuppertal", "Wuppertal", "wuppertal.1@example.org", CaseKind.MEDIATION,
             "Zwischen zwei Elternvereinen an einer Grundschule ist ein Konflikt über die "
             "Nutzung der Räume entstanden.", "Elternvereine, Schulleitung, Schulamt",
             Urgency.NORMAL, "Türkisch", "Schule", 6, "assigned"),
    DemoCase("case-soest", "Kreis Soest", None, CaseKind.TRAINING,
             "Wir wünschen eine Schulung in Gesprächsführung für unsere Sachbearbeitung.",
             "", Urgency.LOW, "Deutsch", "Schulung", 40, "declined"),
    DemoCase("case-bochum", "Bochum", "bochum.1@example.org", CaseKind.MEDIATION,
             "Im Quartier Hustadt streiten Moscheegemeinde und Nachbarschaft über Parkplätze "
             "und Lärm an Feiertagen.", "Moscheegemeinde, Nachbarschaftsverein, Ordnungsamt",
             Urgency.NORMAL, "Deutsch", "Nachbarschaft", 300, "concluded"),
)

#: the mediator of each case that has one
MEDIATORS = {"case-herne": "pool-schaefer", "case-wuppertal": "pool-aksoy",
             "case-bochum": "pool-yilmaz", "case-herne-advice": "pool-roth"}
OUTCOMES = {
    "case-bochum": (OutcomeKind.AGREEMENT, "Die Beteiligten haben eine schriftliche "
                    "Vereinbarung über Parkflächen und Ruhezeiten getroffen."),
    "case-herne-advice": (OutcomeKind.REFERRED, "Zwei Beratungsgespräche; für die weitere "
                          "Begleitung wurde an die Geschäftsstelle des Integrationsrats "
                          "verwiesen."),
}
PUBLIC_CONTACT = ("Ulrike Brand", "ulrike.brand@kreis-soest.example.org")


def _at(day: date, hour: int = 10) -> datetime:
    return berlin_midnight(day) + timedelta(hours=hour)


def _seeded_on() -> date:
    """The day the demo was first seeded, read from the current cohort's start."""
    started = db.session.scalar(select(Cohort.starts_on).where(Cohort.demo_key == CURRENT))
    return started + timedelta(days=CURRENT_STARTED_DAYS_AGO) if started else berlin_today()


def _seed_pool() -> dict[str, PoolMember]:
    found = {}
    for key, name, email, qualifications, languages, regions, topics, available, active \
            in POOL:
        member = db.session.scalar(select(PoolMember).where(PoolMember.demo_key == key))
        if member is None:
            member = add_member(PersonDetails(name, email), Profile(
                qualifications=qualifications, languages=languages, regions=regions,
                topics=topics, availability=available, active=active), actor=None)
            member.demo_key = key
        found[key] = member
    return found


def _ask(demo: DemoCase) -> AdviceCase:
    municipality = db.session.scalars(select(Municipality).where(
        Municipality.name == demo.municipality)).one()
    requester = User.by_email(demo.requester) if demo.requester else None
    name, email = ("", "") if requester else PUBLIC_CONTACT
    case = case_rules.submit_request(RequestDetails(
        municipality_id=municipality.id, kind=demo.kind, description=demo.description,
        urgency=demo.urgency, consent=True, parties=demo.parties,
        preferred_dates="Vormittags, möglichst in den nächsten vier Wochen",
        language=demo.language, topic=demo.topic, contact_name=name, contact_email=email),
        requester=requester)
    case.demo_key = demo.key
    return case


class _Clock:
    """Puts each step of a case's story on its own day, one after the other."""

    def __init__(self, case: AdviceCase, asked: date):
        self.case, self.day = case, asked
        self._date_last(asked)
        for consent in db.session.scalars(select(ConsentRecord).join(ConsentRecord.text).where(
                ConsentText.purpose == ADVICE_REQUEST, ConsentRecord.subject_id == case.id)):
            consent.given_at = _at(asked)
        case.created_at = _at(asked)

    def _date_last(self, day: date) -> None:
        db.session.flush()
        if self.case.events:
            self.case.events[-1].at = _at(day)

    def step(self, days: int, action: Callable[[], object]) -> None:
        self.day += timedelta(days=days)
        before = len(self.case.events)
        action()
        if len(self.case.events) > before:
            self._date_last(self.day)

    def answered(self) -> None:
        self.case.first_answer_at = self.case.events[1].at


def _seed_case(demo: DemoCase, seeded_on: date, pool: dict[str, PoolMember],
               organiser: User | None) -> None:
    if db.session.scalar(select(AdviceCase.id).where(AdviceCase.demo_key == demo.key)):
        return
    case = _ask(demo)
    clock = _Clock(case, seeded_on - timedelta(days=demo.asked_days_ago))
    if demo.story == "new":
        return
    if demo.story == "declined":
        clock.step(2, lambda: case_rules.triage(
            case, Triage.DECLINE, "Schulungen bietet die Beratungsstelle nicht an; bitte "
            "wenden Sie sich an das Fortbildungsangebot der LaKI.", actor=organiser))
        clock.answered()
        return
    if demo.story == "asked_back":
        clock.step(1, lambda: case_rules.triage(
            case, Triage.ASK, "Wie viele Teilnehmende erwarten Sie, und gibt es schon einen "
            "Termin für die erste Sitzung?", actor=organiser))
        clock.answered()
        return
    clock.step(1, lambda: case_rules.triage(case, Triage.ACCEPT, "", actor=organiser))
    clock.answered()
    member = pool[MEDIATORS[demo.key]]
    clock.step(1, lambda: case_rules.assign(case, [member.id], actor=organiser))
    if demo.story == "assigned":
        return
    assignment = case.assignments[0]
    clock.step(1, lambda: case_rules.respond(assignment, True, "", actor=member.user))
    assignment.answered_at = _at(clock.day)
    first = _at(clock.day + timedelta(days=7), 14)
    record.add_appointment(case, title="Vorgespräch mit der Kommune", starts_at=first,
                           ends_at=first + timedelta(hours=2),
                           location=f"Rathaus {demo.municipality}", actor=member.user)
    note = record.add_note(case, "Erstes Telefonat: Die Beteiligten sind grundsätzlich "
                           "gesprächsbereit. Vorsicht bei der Sitzordnung.", actor=member.user)
    note.created_at = _at(clock.day + timedelta(days=1), 16)
    if demo.story == "in_progress":
        record.add_document(case, "vorgespraech.txt", io.BytesIO(
            "Vorgespräch\n\nBeteiligte benannt, Sitzordnung vereinbart.\n".encode()),
            actor=member.user)
        meeting = _at(seeded_on + timedelta(days=10), 17)
        record.add_appointment(case, title="Mediationssitzung", starts_at=meeting,
                               ends_at=meeting + timedelta(hours=3),
                               location="Kulturzentrum Herne", actor=member.user)
        return
    if demo.story == "concluded":
        record.add_document(case, "vereinbarung.txt", io.BytesIO(
            "Vereinbarung\n\nParken an Feiertagen: Ausweichflächen am Schulhof.\n".encode()),
            actor=member.user)
    clock.step(60, lambda: case_rules.conclude(case, *OUTCOMES[demo.key], actor=member.user))
    case.concluded_at = _at(clock.day)
    if demo.story == "concluded_without_feedback":
        return
    case_rules.give_feedback(case, 5, "Sehr hilfreich, die Gespräche waren gut vorbereitet.")
    case.feedback_at = _at(clock.day + timedelta(days=5))


def seed_demo() -> None:
    if not db.session.scalar(select(Municipality.id).limit(1)):
        return  # the cohort plugin's demo did not run
    pool = _seed_pool()
    db.session.flush()
    organiser = User.by_email(ORGANISERS[0].email)
    seeded_on = _seeded_on()
    for demo in CASES:
        _seed_case(demo, seeded_on, pool, organiser)
    db.session.flush()
