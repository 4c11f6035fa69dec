"""Who may open what: every route of the cohort plugin against every kind of visitor.

Visitors: anonymous, a participant enrolled in the cohort ("member"), a participant who is
not ("outsider"), a lecturer and an organiser. Every refused request must leave the
database as it was; a guard test fails when a route of the plugin is missing here.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from sqlalchemy import select

from cohorts.models import ApplicationStatus, Cohort, Enrollment
from cohorts.people import PersonDetails
from courses.models import Module, Session
from lms.auth.models import Role, User
from lms.dates import berlin_midnight, berlin_today
from lms.db import utcnow
from lms.extensions import db
from tests.access_outcomes import check_outcome
from tests.cohorts.conftest import snapshot
from tests.cohorts.test_apply import form_data
from tests.conftest import TEST_PASSWORD

ANONYMOUS, MEMBER, OUTSIDER, LECTURER, ORGANISER = (
    "anonymous", "member", "outsider", "lecturer", "organiser")
VISITORS = (ANONYMOUS, MEMBER, OUTSIDER, LECTURER, ORGANISER)
PEOPLE = frozenset(VISITORS) - {ANONYMOUS}


def everyone(outcome: str) -> dict[str, str]:
    return dict.fromkeys(VISITORS, outcome)


def organisers_only(outcome: str) -> dict[str, str]:
    return {ANONYMOUS: "login", MEMBER: "403", OUTSIDER: "403", LECTURER: "403",
            ORGANISER: outcome}


def staff_only(outcome: str) -> dict[str, str]:
    return {ANONYMOUS: "login", MEMBER: "403", OUTSIDER: "403", LECTURER: outcome,
            ORGANISER: outcome}


def teachers_only(outcome: str) -> dict[str, str]:
    """Who teaches the cohort: the world's lecturer, named for it, and organisers."""
    return staff_only(outcome)


@dataclass(frozen=True)
class Case:
    endpoint: str
    method: str
    #: with {cohort}, {application}, {enrollment}, {own}, {municipality} filled in per test
    path: str
    expect: dict[str, str]
    #: form data, or a function of the world's values that makes it
    data: dict[str, object] | Callable[[dict[str, object]], dict[str, object]] = \
        field(default_factory=dict)
    changes: frozenset[str] = frozenset()

    @property
    def id(self) -> str:
        return f"{self.method} {self.endpoint} {self.path}"


def _cohort_form(name: str) -> Callable[[dict[str, object]], dict[str, object]]:
    def data(values: dict[str, object]) -> dict[str, object]:
        today = berlin_today()
        return {"course_id": str(values["course"]), "name": name, "capacity": "6",
                "seats_per_municipality": "2", "procedure": "full",
                "application_opens_on": today.isoformat(),
                "application_closes_on": (today + timedelta(days=30)).isoformat(),
                "starts_on": (today + timedelta(days=60)).isoformat(),
                "ends_on": (today + timedelta(days=600)).isoformat(),
                "ask_motivation": "required", "ask_structures": "required",
                "ask_phone": "optional"}
    return data


def _people_csv(_values: dict[str, object]) -> dict[str, object]:
    return {"file": (io.BytesIO(b"name;email\r\nNeu;neu@example.org\r\n"), "people.csv")}


GET_CASES = [
    Case("cohorts.open_rounds", "GET", "/apply", everyone("200")),
    Case("cohorts.apply", "GET", "/apply/{cohort}", everyone("200")),
    Case("cohorts.applied", "GET", "/apply/{cohort}/sent", everyone("to:/apply/{cohort}")),
    Case("cohorts.index", "GET", "/cohorts/", staff_only("200")),
    Case("cohorts.mine", "GET", "/cohorts/mine",
         {ANONYMOUS: "login", MEMBER: "to:/cohorts/{cohort}", OUTSIDER: "200",
          LECTURER: "to:/cohorts/", ORGANISER: "to:/cohorts/"}),
    Case("cohorts.cohort", "GET", "/cohorts/{cohort}",
         {ANONYMOUS: "login", MEMBER: "200", OUTSIDER: "403", LECTURER: "200",
          ORGANISER: "200"}),
    Case("cohorts.new_cohort", "GET", "/cohorts/new", organisers_only("200")),
    Case("cohorts.edit_cohort", "GET", "/cohorts/{cohort}/edit", organisers_only("200")),
    Case("cohorts.applications", "GET", "/cohorts/{cohort}/applications",
         organisers_only("200")),
    # the world's application is not past its retention period: refused, nothing changed
    Case("cohorts.pseudonymise_application", "GET",
         "/cohorts/{cohort}/applications/{application}/pseudonymise",
         organisers_only("to:/admin/retention")),
    Case("cohorts.application", "GET", "/cohorts/{cohort}/applications/{application}",
         organisers_only("200")),
    *[Case(endpoint, "GET", f"/cohorts/{{cohort}}/{name}.{format}", organisers_only("200"))
      for endpoint, name in (("cohorts.export_roster", "roster"),
                             ("cohorts.export_applications", "applications"))
      for format in ("csv", "xlsx")],
    Case("cohorts.add_person", "GET", "/cohorts/{cohort}/people/new", organisers_only("200")),
    Case("cohorts.replace", "GET", "/cohorts/{cohort}/people/{enrollment}/replace",
         organisers_only("200")),
    Case("cohorts.import_people", "GET", "/cohorts/{cohort}/import", organisers_only("200")),
    Case("attendance.matrix", "GET", "/cohorts/{cohort}/attendance", teachers_only("200")),
    *[Case("attendance.export", "GET", f"/cohorts/{{cohort}}/attendance.{format}",
           teachers_only("200")) for format in ("csv", "xlsx")],
    Case("attendance.sheet", "GET", "/cohorts/{cohort}/attendance/{session}",
         teachers_only("200")),
    Case("attendance.mine", "GET", "/cohorts/mine/attendance",
         {ANONYMOUS: "login", MEMBER: "200", OUTSIDER: "200", LECTURER: "200",
          ORGANISER: "200"}),
    Case("cohorts.municipalities", "GET", "/municipalities/", organisers_only("200")),
    *[Case("cohorts.export_municipalities", "GET", f"/municipalities/export.{format}",
           organisers_only("200")) for format in ("csv", "xlsx")],
    Case("cohorts.new_municipality", "GET", "/municipalities/new", organisers_only("200")),
    Case("cohorts.edit_municipality", "GET", "/municipalities/{municipality}",
         organisers_only("200")),
]

POST_CASES = [
    Case("cohorts.apply", "POST", "/apply/{cohort}", everyone("to:/apply/{cohort}/sent"),
         data=lambda values: form_data(values["bochum"]), changes=frozenset(VISITORS)),
    Case("cohorts.new_cohort", "POST", "/cohorts/new", organisers_only("to:/cohorts/*"),
         data=_cohort_form("Studiengruppe Neu"), changes=frozenset({ORGANISER})),
    Case("cohorts.edit_cohort", "POST", "/cohorts/{cohort}/edit",
         organisers_only("to:/cohorts/{cohort}"), data=_cohort_form("Umbenannt"),
         changes=frozenset({ORGANISER})),
    # the world's application is not past its retention period: refused, nothing changed
    Case("cohorts.pseudonymise_application", "POST",
         "/cohorts/{cohort}/applications/{application}/pseudonymise",
         organisers_only("to:/admin/retention")),
    Case("cohorts.decide", "POST", "/cohorts/{cohort}/applications/{application}/decision",
         organisers_only("to:/cohorts/{cohort}/applications/{application}"),
         data={"status": "shortlisted", "reason": ""}, changes=frozenset({ORGANISER})),
    Case("cohorts.add_person", "POST", "/cohorts/{cohort}/people/new",
         organisers_only("to:/cohorts/{cohort}"),
         data={"person-role": "mediator", "person-name": "Neue Mediatorin",
               "person-email": "neu.mediation@example.org", "person-function": "Mediatorin"},
         changes=frozenset({ORGANISER})),
    Case("cohorts.add_from_pool", "POST", "/cohorts/{cohort}/people/pool",
         organisers_only("to:/cohorts/{cohort}"),
         data=lambda values: {"pool-user_id": str(values["pool_user"])},
         changes=frozenset({ORGANISER})),
    Case("cohorts.replace", "POST", "/cohorts/{cohort}/people/{enrollment}/replace",
         organisers_only("to:/cohorts/{cohort}"),
         data={"name": "Nina Neu", "email": "nina.neu@example.org", "function": "",
               "phone": "", "reason": ""}, changes=frozenset({ORGANISER})),
    Case("cohorts.end", "POST", "/cohorts/{cohort}/people/{enrollment}/end",
         organisers_only("to:/cohorts/{cohort}"), data={"reason": "Ruhestand"},
         changes=frozenset({ORGANISER})),
    Case("cohorts.contact_sharing", "POST", "/cohorts/{cohort}/people/{own}/contact",
         {ANONYMOUS: "login", MEMBER: "to:/cohorts/{cohort}", OUTSIDER: "403",
          LECTURER: "403", ORGANISER: "403"},
         data={"share": "1", "version": "1"}, changes=frozenset({MEMBER})),
    Case("attendance.sheet", "POST", "/cohorts/{cohort}/attendance/{session}",
         teachers_only("to:/cohorts/{cohort}/attendance/{session}"),
         data=lambda values: {f"status-{values['enrollment']}": "absent"},
         changes=frozenset({LECTURER, ORGANISER})),
    Case("cohorts.import_people", "POST", "/cohorts/{cohort}/import", organisers_only("200"),
         data=_people_csv),  # the preview writes nothing
    Case("cohorts.load_reference", "POST", "/municipalities/reference",
         organisers_only("to:/municipalities/"), changes=frozenset()),  # already loaded
    Case("cohorts.new_municipality", "POST", "/municipalities/new",
         organisers_only("to:/municipalities/"),
         data={"ags": "05978024", "name": "Unna (Stadt)", "kind": "kreisangehoerige_stadt",
               "region": "Arnsberg"}, changes=frozenset({ORGANISER})),
    Case("cohorts.edit_municipality", "POST", "/municipalities/{municipality}",
         organisers_only("to:/municipalities/{municipality}"),
         data={"contact_name": "Neue Ansprechperson", "contact_email": "",
               "contact_phone": "", "address": ""}, changes=frozenset({ORGANISER})),
]

CASES = GET_CASES + POST_CASES


@pytest.fixture
def world(app, course, cohort, create_cohort, municipalities, create_application,
          enroll_person, organiser, lecturer, participant, create_user):
    """The people and objects the routes' parameters refer to."""
    outsider = create_user("aussen@example.org", Role.PARTICIPANT, name="Otto Außen")
    hamm = municipalities["Hamm"]
    create_application(cohort, hamm, status=ApplicationStatus.ACCEPTED, nominees=(
        PersonDetails(participant.display_name, participant.email, "Integration"),
        PersonDetails("Zweite Person", "zweite@hamm.de", "Sozialamt")))
    pending = create_application(cohort, municipalities["Duisburg"])
    later = create_cohort("Studiengruppe 2018")
    create_application(later, municipalities["Köln"], status=ApplicationStatus.ACCEPTED)
    mediator = enroll_person(later, "Bernd Koch", "koch@example.org", function="Mediator")
    with app.app_context():
        members = {e.user_id: e.id for e in db.session.scalars(
            select(Enrollment).where(Enrollment.cohort_id == cohort.id))}
        # the lecturer teaches the cohort, which met earlier today (the day its people
        # were enrolled, so they are on its list)
        taught = db.session.get(Cohort, cohort.id)
        taught.lecturers.append(db.session.get(User, lecturer.id))
        started = max(berlin_midnight(berlin_today()), utcnow() - timedelta(hours=1))
        session = Session(module=Module(course_id=course.id, position=1, title="Grundlagen"),
                          cohort_id=cohort.id, starts_at=started,
                          ends_at=started + timedelta(hours=6))
        db.session.add(session)
        db.session.commit()
        session_id = session.id
    second = next(ident for user_id, ident in members.items() if user_id != participant.id)
    values = {"cohort": cohort.id, "application": pending.id, "enrollment": second,
              "own": members[participant.id], "municipality": hamm.id, "course": course.id,
              "bochum": municipalities["Bochum"].id, "pool_user": mediator.user_id,
              "session": session_id}
    people = {MEMBER: participant, OUTSIDER: outsider, LECTURER: lecturer,
              ORGANISER: organiser}
    return {"values": values, "people": people}


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_access(app, client, world, case: Case, visitor: str):
    if visitor != ANONYMOUS:
        person = world["people"][visitor]
        assert client.post("/login", data={"email": person.email,
                                           "password": TEST_PASSWORD}).status_code == 302
    values = world["values"]
    path = case.path.format(**values)
    expected = case.expect[visitor].format(**values)
    data = case.data(values) if callable(case.data) else case.data
    before = snapshot(app)

    response = client.open(path, method=case.method, data=data)

    check_outcome(response, expected, path)
    if visitor in case.changes:
        assert snapshot(app) != before, "the request should have changed something"
    else:
        assert snapshot(app) == before, "a refused request changed the database"


def test_every_route_of_the_plugin_is_in_the_table(app):
    assert len({case.id for case in CASES}) == len(CASES), "a route is listed twice"
    table = {(case.endpoint, case.method) for case in CASES}
    missing = sorted(
        (rule.endpoint, method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("cohorts.") and rule.endpoint != "cohorts.static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
        if (rule.endpoint, method) not in table
    )
    assert missing == [], f"add these routes to tests/cohorts/test_access.py: {missing}"


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_table_paths_lead_to_their_endpoint(app, case: Case):
    adapter = app.url_map.bind("localhost")
    path = case.path.format(cohort=1, application=1, enrollment=1, own=1, municipality=1,
                            session=1)
    endpoint, _args = adapter.match(path, method=case.method)
    assert endpoint == case.endpoint
    assert set(case.expect) == set(VISITORS)


def test_the_navigation_fits_each_role(app, client, world):
    def entries(visitor: str) -> set[str]:
        client.post("/logout")
        if visitor != ANONYMOUS:
            person = world["people"][visitor]
            client.post("/login", data={"email": person.email, "password": TEST_PASSWORD})
        page = client.get("/apply", headers={"Accept-Language": "en"}).get_data(as_text=True)
        nav = page.split('<nav class="main-nav"', 1)[1].split("</nav>", 1)[0] \
            if '<nav class="main-nav"' in page else ""
        return {label for label in ("Cohorts", "My cohort", "Municipalities", "Apply")
                if f">{label}</a>" in nav}

    assert entries(ANONYMOUS) == {"Apply"}
    assert entries(MEMBER) == {"My cohort"}
    assert entries(LECTURER) == {"Cohorts"}
    assert entries(ORGANISER) == {"Cohorts", "Municipalities", "Apply"}


# --- every form carries a CSRF token, and a POST without one changes nothing -------------

FORM_PAGES = [
    # (who is signed in, page, how many POST forms it has at least)
    (None, "/apply/{cohort}", 2),                                # application, language
    (MEMBER, "/cohorts/{cohort}", 3),                            # sharing, sign-out, language
    (ORGANISER, "/cohorts/{cohort}", 4),                         # remove x2, sign-out, ...
    (ORGANISER, "/cohorts/new", 3),
    (ORGANISER, "/cohorts/{cohort}/edit", 3),
    (ORGANISER, "/cohorts/{cohort}/applications/{application}", 3),
    (ORGANISER, "/cohorts/{cohort}/people/new", 4),
    (ORGANISER, "/cohorts/{cohort}/people/{enrollment}/replace", 3),
    (ORGANISER, "/cohorts/{cohort}/import", 3),
    (LECTURER, "/cohorts/{cohort}/attendance/{session}", 3),    # the list, sign-out, ...
    (ORGANISER, "/municipalities/", 3),
    (ORGANISER, "/municipalities/new", 3),
    (ORGANISER, "/municipalities/{municipality}", 3),
]


@pytest.mark.usefixtures("csrf_enabled")
@pytest.mark.parametrize(("visitor", "page", "minimum"), FORM_PAGES,
                         ids=[f"{v} {p}" for v, p, _m in FORM_PAGES])
def test_every_post_form_has_a_token(app, world, visitor, page, minimum):
    from tests.test_csrf import FormCollector, csrf_sign_in

    client = app.test_client()
    if visitor:
        csrf_sign_in(client, world["people"][visitor])
    response = client.get(page.format(**world["values"]))
    assert response.status_code == 200
    collector = FormCollector()
    collector.feed(response.get_data(as_text=True))
    assert len(collector.forms) >= minimum
    for form in collector.forms:
        tokens = [value for name, value in form["hidden"].items()
                  if name and name.endswith("csrf_token")]
        assert len(tokens) == 1 and tokens[0], f"form to {form['action']} has no csrf_token"


@pytest.mark.usefixtures("csrf_enabled")
@pytest.mark.parametrize("case", POST_CASES, ids=lambda case: case.id)
def test_post_without_token_is_refused(app, world, case: Case):
    from tests.test_csrf import csrf_sign_in

    client = app.test_client()
    csrf_sign_in(client, world["people"][ORGANISER if case.changes != {MEMBER} else MEMBER])
    values = world["values"]
    data = case.data(values) if callable(case.data) else case.data
    before = snapshot(app)
    response = client.open(case.path.format(**values), method=case.method, data=data)
    assert response.status_code == 400
    assert snapshot(app) == before
