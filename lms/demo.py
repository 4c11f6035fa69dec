"""The people of the demo programme.

The host seeds accounts; plugins add their parts (course, cohorts, congresses, work) and
read the municipality of each demo participant from ``DEMO_PARTICIPANTS``.
"""

from __future__ import annotations

from dataclasses import dataclass

from lms.auth.models import Role, User
from lms.extensions import db

DEMO_PASSWORD = "lehrgang-demo"


@dataclass(frozen=True)
class DemoPerson:
    email: str
    display_name: str
    roles: frozenset[Role]
    #: for participants: the municipality they are responsible for, and the ``demo_key`` of
    #: their cohort (``cohorts.demo``)
    municipality: str | None = None
    cohort: str | None = None
    function: str | None = None


ORGANISERS = (
    DemoPerson("orga@example.org", "Miriam Albers", frozenset({Role.ORGANISER})),
    DemoPerson("orga2@example.org", "Jonas Feldkamp", frozenset({Role.ORGANISER})),
)
LECTURERS = (
    DemoPerson("dozent@example.org", "Prof. Dr. Katharina Wendt", frozenset({Role.LECTURER})),
    DemoPerson("dozentin.mediation@example.org", "Dr. Stefan Lorenz", frozenset({Role.LECTURER})),
    DemoPerson("dozentin.system@example.org", "Ayşe Demir", frozenset({Role.LECTURER})),
)
MEDIATORS = (
    DemoPerson("mediator.koch@example.org", "Bernd Koch", frozenset({Role.PARTICIPANT}),
               function="Mediator"),
    DemoPerson("mediatorin.yilmaz@example.org", "Elif Yılmaz", frozenset({Role.PARTICIPANT}),
               function="Mediatorin"),
    DemoPerson("mediator.schaefer@example.org", "Lukas Schäfer", frozenset({Role.PARTICIPANT}),
               function="Mediator"),
)

FIRST, SECOND, CURRENT = "cohort-2017", "cohort-2018", "cohort-current"

# (municipality, cohort, first person, second person); each person as (name, function).
# The first two cohorts are the programme's history (2017-2018); the current one started
# a few months before the demo was seeded, and the demo participant's login belongs to it.
_MUNICIPALITY_TEAMS = (
    ("Hamm", FIRST, ("Sabine Hoffmann", "Leitung Kommunales Integrationszentrum"),
     ("Tobias Brandt", "Sachgebiet Integration")),
    ("Duisburg", FIRST, ("Nadine Kaya", "Referat für Integration"),
     ("Michael Schröder", "Amt für Soziales")),
    ("Bielefeld", FIRST, ("Julia Neumann", "Kommunales Integrationszentrum"),
     ("Hakan Özdemir", "Bürgerberatung")),
    ("Kreis Düren", FIRST, ("Petra Wagner", "Kreisverwaltung, Integration"),
     ("Daniel Richter", "Jobcenter-Koordination")),
    ("Kreis Recklinghausen", FIRST, ("Claudia Becker", "Kommunales Integrationszentrum"),
     ("Marco Vogel", "Ordnungsamt")),
    ("Solingen", FIRST, ("Anja Krüger", "Stabsstelle Integration"),
     ("Felix Hartmann", "Jugendamt")),
    ("StädteRegion Aachen", SECOND, ("Monika Schulz", "Integrationsbüro"),
     ("Yusuf Arslan", "Sozialplanung")),
    ("Bochum", SECOND, ("Katrin Lange", "Kommunales Integrationszentrum"),
     ("Sven Möller", "Amt für Stadtentwicklung")),
    ("Gelsenkirchen", SECOND, ("Lena Fischer", "Referat Zuwanderung"),
     ("Ali Çelik", "Quartiersmanagement")),
    ("Köln", SECOND, ("Birgit Sommer", "Amt für Integration und Vielfalt"),
     ("Georg Weber", "Bürgerdienste")),
    ("Münster", SECOND, ("Eva Zimmermann", "Kommunales Integrationszentrum"),
     ("Thomas Klein", "Sozialamt")),
    ("Oberhausen", SECOND, ("Heike Braun", "Büro für Chancengleichheit"),
     ("Murat Aydın", "Fachbereich Jugend")),
    ("Kreis Lippe", SECOND, ("Andrea Schmitz", "Kreisverwaltung, Bildung und Integration"),
     ("Jan Hofmann", "Kommunales Integrationszentrum")),
    ("Kreis Unna", SECOND, ("Susanne Wolf", "Kommunales Integrationszentrum"),
     ("Christian Roth", "Ausländerbehörde")),
    ("Kreis Wesel", SECOND, ("Martina Kraus", "Fachdienst Integration"),
     ("Oliver Busch", "Kreissozialamt")),
    ("Rhein-Sieg-Kreis", SECOND, ("Stefanie Peters", "Kommunales Integrationszentrum"),
     ("Markus Lehmann", "Amt für Soziales und Wohnen")),
    ("Herne", CURRENT, ("Johanna Berger", "Kommunales Integrationszentrum"),
     ("Timo Krause", "Fachbereich Soziales")),
    ("Hagen", CURRENT, ("Nicole Franke", "Integrationsbüro"),
     ("Emre Şahin", "Jobcenter-Koordination")),
    ("Krefeld", CURRENT, ("Sarah Jansen", "Kommunales Integrationszentrum"),
     ("Dennis Vogt", "Ordnungsamt")),
    ("Mönchengladbach", CURRENT, ("Melanie Schulte", "Fachbereich Integration"),
     ("Patrick Horn", "Quartiersmanagement")),
    ("Kreis Mettmann", CURRENT, ("Kerstin Beck", "Kreisverwaltung, Integration"),
     ("Florian Kühn", "Kreissozialamt")),
    ("Wuppertal", CURRENT, ("Ina Ludwig", "Ressort Zuwanderung und Integration"),
     ("Mehmet Koç", "Bürgerdienste")),
)


def _team_email(municipality: str, index: int) -> str:
    slug = (municipality.lower().replace("ü", "ue").replace("ö", "oe").replace("ä", "ae")
            .replace(" ", "-"))
    return f"{slug}.{index}@example.org"


def _participants() -> tuple[DemoPerson, ...]:
    people = []
    for municipality, cohort, *team in _MUNICIPALITY_TEAMS:
        for index, (name, function) in enumerate(team, start=1):
            email = ("teilnehmer@example.org" if (municipality, index) == ("Herne", 1)
                     else _team_email(municipality, index))
            people.append(DemoPerson(email, name, frozenset({Role.PARTICIPANT}),
                                     municipality=municipality, cohort=cohort,
                                     function=function))
    return tuple(people)


DEMO_PARTICIPANTS = _participants()
DEMO_PEOPLE = ORGANISERS + LECTURERS + MEDIATORS + DEMO_PARTICIPANTS

# The three logins the README names.
DEMO_LOGINS = (
    ("orga@example.org", Role.ORGANISER),
    ("dozent@example.org", Role.LECTURER),
    ("teilnehmer@example.org", Role.PARTICIPANT),
)


def seed_people(password_hash: str) -> int:
    """Create the demo accounts that do not exist yet; returns how many were added."""
    added = 0
    for person in DEMO_PEOPLE:
        if User.by_email(person.email) is not None:
            continue
        user = User(email=person.email, display_name=person.display_name,
                    password_hash=password_hash)
        user.roles = person.roles
        db.session.add(user)
        added += 1
    db.session.flush()
    return added
