"""The demo's three congresses, their agendas, and some registrations by demo participants.

The first follows what is known of the congress of 7 December 2017 in the Westfalenhallen,
Dortmund. Speakers are named by their role, not by invented names of real people.
Idempotent: a congress is found by its ``demo_key``; its agenda and registrations are
added only when the congress itself is new.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from courses import congresses as rules
from courses.congress_models import AgendaKind, Congress
from courses.congresses import CongressDetails, ItemDetails, SpeakerDetails
from courses.models import Course
from lms.auth.models import User
from lms.dates import berlin_to_utc
from lms.demo import DEMO_PARTICIPANTS, MEDIATORS
from lms.extensions import db

K = AgendaKind
MINISTRY = ("Ministerium für Kinder, Familie, Flüchtlinge und Integration des Landes "
            "Nordrhein-Westfalen")
LAKI = "Landesweite Koordinierungsstelle Kommunale Integrationszentren (LaKI) NRW"


@dataclass(frozen=True)
class DemoItem:
    starts: str  # "10:00", on the congress's day
    ends: str
    kind: AgendaKind
    title: str
    speakers: tuple[tuple[str, str, str], ...] = ()
    room: str = "Saal 1"
    description: str = ""
    cancelled: bool = False


@dataclass(frozen=True)
class DemoCongress:
    key: str
    day: str  # "2017-12-07"
    starts: str
    ends: str
    title: str
    subtitle: str
    venue: str
    address: str
    description: str
    public: bool
    capacity: int | None
    items: tuple[DemoItem, ...]
    #: how many demo participants register (in the order of ``lms.demo``), and then how
    #: many of the first registered cancel again
    registrations: int = 0
    cancellations: int = 0


FIRST = DemoCongress(
    key="kongress-2017", day="2017-12-07", starts="09:30", ends="16:00",
    title="Gesellschaftliche Konflikte effizient bearbeiten",
    subtitle="Erster Kongress des Lehrgangs „Integrationsmanagement und Systemdesign“",
    venue="Westfalenhallen Dortmund", address="Rheinlanddamm 200\n44139 Dortmund",
    description=(
        "Ein halbes Jahr nach dem Start des Lehrgangs stellen die sechs Kommunen der ersten "
        "Studiengruppe ihre Bestandsaufnahmen zur Diskussion.\n\n"
        "- Wie werden Konflikte in der Integrationsarbeit heute bearbeitet?\n"
        "- Was leistet ein kommunales Konfliktmanagementsystem?\n"
        "- Welche Erfahrungen machen die Pilotkommunen Hamm und Duisburg?\n\n"
        "Eingeladen sind Verwaltung, Politik, Migrantenorganisationen und alle, die in "
        "Nordrhein-Westfalen Integration gestalten."),
    public=True, capacity=250,
    items=(
        DemoItem("09:30", "10:00", K.BREAK, "Ankommen, Anmeldung und Kaffee", room="Foyer"),
        DemoItem("10:00", "10:30", K.OPENING, "Eröffnung und Grußwort",
                 (("Leitung der Integrationsabteilung", "", MINISTRY),)),
        DemoItem("10:30", "11:10", K.TALK, "Ziele und Stand des Projekts",
                 (("Vertreterin der fördernden Stiftung", "Projektförderung", ""),),
                 description="Warum die Stiftung den Lehrgang fördert und was bis Ende 2018 "
                             "erreicht sein soll."),
        DemoItem("11:10", "12:00", K.TALK,
                 "Konflikte in der Einwanderungsgesellschaft: das Projekt im gesellschaftlichen "
                 "Kontext",
                 (("Konfliktforscher", "Wissenschaftliche Einordnung", "Universität"),)),
        DemoItem("12:00", "12:40", K.TALK, "Stand des Lehrgangs und nächste Schritte",
                 (("Projektleitung", "", LAKI),),
                 description="Von der Bestandsaufnahme über die Empfehlungen bis zu den "
                             "Gremien: wo die Kommunen stehen, und was 2018 folgt."),
        DemoItem("12:40", "13:40", K.BREAK, "Mittagspause", room="Foyer"),
        DemoItem("13:40", "14:20", K.PRACTICE_REPORT, "Praxisbericht aus Hamm",
                 (("Verantwortliche der Stadt Hamm", "Kommunales Integrationszentrum",
                   "Stadt Hamm"),)),
        DemoItem("14:20", "15:00", K.PRACTICE_REPORT, "Praxisbericht aus Duisburg",
                 (("Verantwortliche der Stadt Duisburg", "Referat für Integration",
                   "Stadt Duisburg"),)),
        DemoItem("15:00", "15:45", K.PANEL, "Konfliktmanagement als kommunale Aufgabe",
                 (("Vertreter der Pilotkommunen", "", "Hamm und Duisburg"),
                  ("Konfliktforscher", "", "Universität"),
                  ("Projektleitung", "Moderation", LAKI))),
        DemoItem("15:45", "16:00", K.TALK, "Ausblick und Verabschiedung",
                 (("Projektleitung", "", LAKI),)),
    ),
    registrations=14,
)

SECOND = DemoCongress(
    key="kongress-2018-juni", day="2018-06-14", starts="10:00", ends="16:30",
    title="Konfliktmanagement in der Praxis: eine Zwischenbilanz",
    subtitle="Werkstattkongress für die Kommunen des Lehrgangs",
    venue="Wissenschaftspark Gelsenkirchen", address="Munscheidstraße 14\n45886 Gelsenkirchen",
    description=(
        "Die Kommunen der ersten Studiengruppe berichten, wie ihre Empfehlungen in den "
        "Gremien aufgenommen wurden; die zehn Kommunen der zweiten Studiengruppe stellen "
        "ihre Bestandsaufnahmen vor. Nur für Teilnehmende des Lehrgangs, mit begrenzten "
        "Plätzen."),
    public=False, capacity=24,
    items=(
        DemoItem("10:00", "10:20", K.OPENING, "Begrüßung", (("Projektleitung", "", LAKI),)),
        DemoItem("10:20", "11:00", K.TALK, "Vom Gremienbeschluss zur Maßnahme",
                 (("Dozentin des Lehrgangs", "Systemdesign", "Akademie"),)),
        DemoItem("11:00", "12:30", K.PRACTICE_REPORT, "Berichte der ersten Studiengruppe",
                 (("Teams aus Bielefeld, Kreis Düren und Solingen", "", ""),),
                 description="Je zwanzig Minuten Bericht, danach Fragen aus dem Plenum."),
        DemoItem("12:30", "13:30", K.BREAK, "Mittagspause", room="Foyer"),
        DemoItem("13:30", "15:00", K.PRACTICE_REPORT, "Werkstätten der zweiten Studiengruppe",
                 room="Seminarräume 1 bis 4",
                 description="Parallel in vier Räumen: Bestandsaufnahmen im Gespräch."),
        DemoItem("15:00", "16:00", K.PANEL, "Was trägt? Erfahrungen aus zwei Studiengruppen",
                 (("Vertreterin des Ministeriums", "", MINISTRY),
                  ("Mediator aus dem Pool der Beratungsstelle", "", ""))),
        DemoItem("16:00", "16:30", K.TALK, "Zusammenfassung und Ausblick",
                 (("Projektleitung", "", LAKI),)),
    ),
    registrations=28, cancellations=1,
)

THIRD = DemoCongress(
    key="kongress-2018-abschluss", day="2018-11-29", starts="10:00", ends="16:00",
    title="Integration gestalten: Ergebnisse und Handbuch",
    subtitle="Abschlusskongress des Lehrgangs „Integrationsmanagement und Systemdesign“",
    venue="Haus der Technik", address="Hollestraße 1\n45127 Essen",
    description=(
        "Zum Abschluss stellen die sechzehn Kommunen ihre Ergebnisse vor, und das "
        "**Handbuch Integration** wird vorgestellt, das allen 53 Kreisen und kreisfreien "
        "Städten Nordrhein-Westfalens angeboten wird."),
    public=True, capacity=None,
    items=(
        DemoItem("10:00", "10:30", K.OPENING, "Eröffnung",
                 (("Leitung der Integrationsabteilung", "", MINISTRY),)),
        DemoItem("10:30", "11:15", K.TALK, "Das Handbuch Integration",
                 (("Projektleitung", "", LAKI),
                  ("Dozentin des Lehrgangs", "Redaktion des Handbuchs", "Akademie"))),
        DemoItem("11:15", "12:30", K.PRACTICE_REPORT, "Ergebnisse aus sechzehn Kommunen",
                 (("Teams der Kommunen des Lehrgangs", "", ""),)),
        DemoItem("12:30", "13:30", K.BREAK, "Mittagspause", room="Foyer"),
        DemoItem("13:30", "14:15", K.TALK, "Konfliktmanagement nach dem Lehrgang: die "
                 "zentrale Beratungsstelle",
                 (("Leitung der Beratungsstelle", "", LAKI),), cancelled=True),
        DemoItem("14:15", "15:30", K.PANEL, "Wie geht es weiter in den Kommunen?",
                 (("Vertreterinnen und Vertreter der Kommunen", "", ""),
                  ("Vertreterin der fördernden Stiftung", "", ""))),
        DemoItem("15:30", "16:00", K.TALK, "Übergabe der Zertifikate und Abschied",
                 (("Projektleitung", "", LAKI),)),
    ),
    registrations=20,
)

CONGRESSES = (FIRST, SECOND, THIRD)


def _at(day: str, clock: str) -> datetime:
    return berlin_to_utc(datetime.strptime(f"{day} {clock}", "%Y-%m-%d %H:%M"))


def _item(demo: DemoCongress, item: DemoItem) -> ItemDetails:
    return ItemDetails(
        title=item.title, kind=item.kind, starts_at=_at(demo.day, item.starts),
        ends_at=_at(demo.day, item.ends), room=item.room, description=item.description,
        speakers=tuple(SpeakerDetails(*speaker) for speaker in item.speakers))


def _register_people(congress: Congress, demo: DemoCongress) -> None:
    """Registrations a month before the congress, in the order of the demo's people."""
    emails = [person.email for person in DEMO_PARTICIPANTS + MEDIATORS][:demo.registrations]
    people = [user for user in map(User.by_email, emails) if user is not None]
    moment = congress.starts_at - timedelta(days=30)
    for offset, user in enumerate(people):
        rules.register(congress, user, now=moment + timedelta(minutes=offset))
    for user in people[:demo.cancellations]:
        rules.unregister(congress, user, now=moment + timedelta(days=1))


def _seed_congress(course: Course, demo: DemoCongress) -> None:
    if db.session.scalar(select(Congress.id).where(Congress.demo_key == demo.key)):
        return
    congress = rules.create_congress(course, CongressDetails(
        title=demo.title, subtitle=demo.subtitle, starts_at=_at(demo.day, demo.starts),
        ends_at=_at(demo.day, demo.ends), venue=demo.venue, address=demo.address,
        description=demo.description, public=demo.public, capacity=demo.capacity),
        actor=None, demo_key=demo.key)
    for item in demo.items:
        added = rules.add_item(congress, _item(demo, item))
        if item.cancelled:
            rules.set_item_cancelled(added, True, actor=None)
    _register_people(congress, demo)


def seed_congresses(course: Course) -> None:
    for demo in CONGRESSES:
        _seed_congress(course, demo)
    db.session.flush()
