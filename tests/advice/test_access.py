"""Who may open what: every route of the advice office against every kind of visitor.

Visitors: anonymous, the participant whose municipality asked ("requester"), a
participant of no case ("outsider"), a lecturer who is not assigned, the pool member
assigned to the cases ("member") and an organiser. A refused request leaves the database
as it was; a guard test fails when a route of the plugin is missing here.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from advice import cases as case_rules
from advice.models import AdviceCase, CaseDocument, OutcomeKind
from cohorts.models import ApplicationStatus
from cohorts.people import PersonDetails
from lms.auth.models import Role, User
from lms.extensions import db
from tests.access_outcomes import check_outcome
from tests.advice.conftest import snapshot
from tests.conftest import TEST_PASSWORD

ANONYMOUS, REQUESTER, OUTSIDER, LECTURER, MEMBER, ORGANISER = (
    "anonymous", "requester", "outsider", "lecturer", "member", "organiser")
VISITORS = (ANONYMOUS, REQUESTER, OUTSIDER, LECTURER, MEMBER, ORGANISER)
SIGNED_IN = frozenset(VISITORS) - {ANONYMOUS}


def answers(anonymous: str = "login", *, requester: str, outsider: str, lecturer: str,
            member: str, organiser: str) -> dict[str, str]:
    return {ANONYMOUS: anonymous, REQUESTER: requester, OUTSIDER: outsider,
            LECTURER: lecturer, MEMBER: member, ORGANISER: organiser}


def organisers_only(outcome: str) -> dict[str, str]:
    return answers(requester="403", outsider="403", lecturer="403", member="403",
                   organiser=outcome)


def signed_in(outcome: str) -> dict[str, str]:
    return answers(requester=outcome, outsider=outcome, lecturer=outcome, member=outcome,
                   organiser=outcome)


def case_workers(outcome: str, requester: str = "403") -> dict[str, str]:
    """The assigned member and organisers; the municipality knows the case."""
    return answers(requester=requester, outsider="404", lecturer="404", member=outcome,
                   organiser=outcome)


@dataclass(frozen=True)
class Case:
    endpoint: str
    method: str
    path: str
    expect: dict[str, str]
    data: dict[str, object] | Callable[[dict[str, object]], dict[str, object]] = \
        field(default_factory=dict)
    changes: frozenset[str] = frozenset()

    @property
    def id(self) -> str:
        return f"{self.method} {self.endpoint} {self.path}"


def _request_form(values: dict[str, object]) -> dict[str, object]:
    return {"municipality_id": str(values["hamm"]), "kind": "mediation",
            "description": "Konflikt im Quartier", "urgency": "normal", "consent": "y",
            "consent_version": "1", "language": "Deutsch", "topic": ""}


def _public_form(values: dict[str, object]) -> dict[str, object]:
    return {**_request_form(values), "contact_name": "Paula Public",
            "contact_email": "paula@example.org"}


def _document(_values: dict[str, object]) -> dict[str, object]:
    return {"file": (io.BytesIO("Gesprächsnotiz\n".encode()), "notiz.txt")}


CASES = [
    Case("advice.index", "GET", "/advice/", signed_in("200")),
    Case("advice.new_request", "GET", "/advice/request", signed_in("200")),
    Case("advice.new_request", "POST", "/advice/request", signed_in("to:/advice/cases/*"),
         data=_request_form, changes=SIGNED_IN),
    Case("advice.public_request", "GET", "/advice/public-request",
         answers("200", requester="to:/advice/request", outsider="to:/advice/request",
                 lecturer="to:/advice/request", member="to:/advice/request",
                 organiser="200")),  # organisers check what the public sees
    Case("advice.public_request", "POST", "/advice/public-request",
         answers("to:/advice/requested", requester="to:/advice/request",
                 outsider="to:/advice/request", lecturer="to:/advice/request",
                 member="to:/advice/request", organiser="to:/advice/requested"),
         data=_public_form, changes=frozenset({ANONYMOUS, ORGANISER})),
    Case("advice.requested", "GET", "/advice/requested", {v: "200" for v in VISITORS}),
    Case("advice.case", "GET", "/advice/cases/{active}", case_workers("200", requester="200")),
    Case("advice.triage", "POST", "/advice/cases/{new}/triage",
         answers(requester="404", outsider="404", lecturer="404", member="404",
                 organiser="to:/advice/cases/{new}"),
         data={"decision": "accept", "text": ""}, changes=frozenset({ORGANISER})),
    Case("advice.assign", "POST", "/advice/cases/{new}/assign",
         answers(requester="404", outsider="404", lecturer="404", member="404",
                 organiser="to:/advice/cases/{new}"),
         data=lambda values: {"members": str(values["spare"])},
         changes=frozenset({ORGANISER})),
    Case("advice.respond", "POST", "/advice/cases/{asked}/assignments/{asked_assignment}",
         answers(requester="404", outsider="404", lecturer="404",
                 member="to:/advice/cases/{asked}", organiser="403"),
         data={"answer": "accept", "reason": ""}, changes=frozenset({MEMBER})),
    Case("advice.add_appointment", "POST", "/advice/cases/{active}/appointments",
         case_workers("to:/advice/cases/{active}"),
         data={"title": "Zweites Gespräch", "starts_at": "2030-03-04T10:00",
               "ends_at": "2030-03-04T12:00", "location": "Rathaus"},
         changes=frozenset({MEMBER, ORGANISER})),
    Case("advice.add_note", "POST", "/advice/cases/{active}/notes",
         case_workers("to:/advice/cases/{active}"), data={"body": "Notiz"},
         changes=frozenset({MEMBER, ORGANISER})),
    Case("advice.add_document", "POST", "/advice/cases/{active}/documents",
         case_workers("to:/advice/cases/{active}"), data=_document,
         changes=frozenset({MEMBER, ORGANISER})),
    Case("advice.document", "POST", "/advice/cases/{active}/documents/{document}",
         case_workers("200"), changes=frozenset({MEMBER, ORGANISER})),
    Case("advice.conclude", "POST", "/advice/cases/{active}/conclude",
         case_workers("to:/advice/cases/{active}"),
         data={"outcome_kind": "agreement", "outcome": "Vereinbarung getroffen"},
         changes=frozenset({MEMBER, ORGANISER})),
    Case("advice.feedback", "POST", "/advice/cases/{concluded}/feedback",
         answers(requester="to:/advice/cases/{concluded}", outsider="404", lecturer="404",
                 member="403", organiser="403"),
         data={"rating": "4", "text": "Hilfreich"}, changes=frozenset({REQUESTER})),
    # organisers record an answer that came by mail or phone
    Case("advice.answer", "POST", "/advice/cases/{questioned}/answer",
         answers(requester="to:/advice/cases/{questioned}", outsider="404", lecturer="404",
                 member="404", organiser="to:/advice/cases/{questioned}"),
         data={"text": "Die Schule und der Elternbeirat."},
         changes=frozenset({REQUESTER, ORGANISER})),
    # a case just concluded is not due: organisers are sent back to the retention page
    *[Case("advice.pseudonymise", method, "/advice/cases/{concluded}/pseudonymise",
           answers(requester="403", outsider="404", lecturer="404", member="403",
                   organiser="to:/admin/retention")) for method in ("GET", "POST")],
    Case("advice.pool", "GET", "/advice/pool/", organisers_only("200")),
    Case("advice.new_member", "GET", "/advice/pool/new", organisers_only("200")),
    Case("advice.new_member", "POST", "/advice/pool/new", organisers_only("to:/advice/pool/"),
         data={"name": "Nora Neu", "email": "nora.neu@example.org", "qualifications": "",
               "languages": "Deutsch", "regions": "Köln", "topics": "", "availability": "",
               "active": "y"}, changes=frozenset({ORGANISER})),
    Case("advice.my_profile", "GET", "/advice/pool/mine",
         answers(requester="404", outsider="404", lecturer="404",
                 member="to:/advice/pool/{member}", organiser="404")),
    Case("advice.member", "GET", "/advice/pool/{member}",
         answers(requester="404", outsider="404", lecturer="404", member="200",
                 organiser="200")),
    Case("advice.member", "POST", "/advice/pool/{member}",
         answers(requester="404", outsider="404", lecturer="404",
                 member="to:/advice/pool/{member}", organiser="to:/advice/pool/{member}"),
         data={"qualifications": "Mediatorin", "languages": "Deutsch", "regions": "Arnsberg",
               "topics": "", "availability": "montags", "active": "y"},
         changes=frozenset({MEMBER, ORGANISER})),
    Case("advice.statistics_page", "GET", "/advice/statistics", organisers_only("200")),
    *[Case("advice.export_statistics", "GET", f"/advice/statistics.{format}",
           organisers_only("200")) for format in ("csv", "xlsx")],
    Case("advice.statistics_chart", "GET", "/advice/statistics.svg", organisers_only("200")),
]


@pytest.fixture
def world(app, cohort, municipalities, create_application, organiser, lecturer, participant,
          create_user, create_member, create_case):
    """The people and cases the routes' parameters refer to."""
    outsider = create_user("aussen@example.org", Role.PARTICIPANT, name="Otto Außen")
    hamm = municipalities["Hamm"]
    create_application(cohort, hamm, status=ApplicationStatus.ACCEPTED, nominees=(
        PersonDetails(participant.display_name, participant.email, "Integration"),
        PersonDetails("Zweite Person", "zweite@hamm.de", "Sozialamt")))
    member = create_member("Mara Mediatorin", "mara@example.org")
    spare = create_member("Sven Spare", "sven@example.org", regions=("Köln",))
    active = create_case(participant, hamm, triaged=True, assigned=(member,), accepted=True,
                         with_record=True, actor=organiser)
    asked = create_case(participant, hamm, triaged=True, assigned=(member,), actor=organiser)
    new = create_case(None, municipalities["Duisburg"])
    questioned = create_case(participant, hamm, question="Wer ist beteiligt?",
                             actor=organiser)
    concluded = create_case(participant, hamm, triaged=True, assigned=(member,),
                            accepted=True, actor=organiser)
    with app.test_request_context():
        case_rules.conclude(db.session.get(AdviceCase, concluded.id), OutcomeKind.AGREEMENT,
                            "Einigung", actor=db.session.get(User, organiser.id))
        document = db.session.scalar(select(CaseDocument.id).where(
            CaseDocument.case_id == active.id))
        asked_assignment = db.session.get(AdviceCase, asked.id).assignments[0].id
        db.session.commit()
    member_user = SimpleNamespace(email="mara@example.org")
    values = {"active": active.id, "asked": asked.id, "new": new.id,
              "questioned": questioned.id,
              "concluded": concluded.id, "document": document,
              "asked_assignment": asked_assignment, "member": member.id, "spare": spare.id,
              "hamm": hamm.id}
    people = {REQUESTER: participant, OUTSIDER: outsider, LECTURER: lecturer,
              MEMBER: member_user, ORGANISER: organiser}
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
        for rule in app.url_map.iter_rules() if rule.endpoint.startswith("advice.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
        if (rule.endpoint, method) not in table)
    assert missing == [], f"add these routes to tests/advice/test_access.py: {missing}"


@pytest.mark.usefixtures("csrf_enabled")
@pytest.mark.parametrize("case", [case for case in CASES if case.method == "POST"],
                         ids=lambda case: case.id)
def test_post_without_token_is_refused(app, world, case: Case):
    from tests.test_csrf import csrf_sign_in

    client = app.test_client()
    allowed = [visitor for visitor in (ORGANISER, MEMBER, REQUESTER)
               if visitor in case.changes]
    if allowed:
        csrf_sign_in(client, world["people"][allowed[0]])
    values = world["values"]
    data = case.data(values) if callable(case.data) else case.data
    before = snapshot(app)
    response = client.open(case.path.format(**values), method=case.method, data=data)
    assert response.status_code == 400
    assert snapshot(app) == before
