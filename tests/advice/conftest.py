"""Factories for the advice office's tests: pool members and cases in each state, built
through the plugin's rules, and a snapshot of everything a refused request must keep."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from advice import cases as case_rules
from advice import record
from advice.cases import RequestDetails, Triage
from advice.models import (
    AdviceCase,
    Appointment,
    CaseAssignment,
    CaseDocument,
    CaseEvent,
    CaseKind,
    CaseNote,
    PoolMember,
    Urgency,
)
from advice.pool import Profile, add_member
from cohorts.models import ApplicationStatus, Municipality
from cohorts.people import PersonDetails
from lms.audit import AuditEntry
from lms.auth.models import User
from lms.db import utcnow
from lms.extensions import db
from tests.cohorts import conftest as cohort_fixtures
from tests.cohorts.conftest import detached
from tests.conftest import TEST_PASSWORD

# The cohort plugin's fixtures, offered to these tests too.
course = cohort_fixtures.course
create_cohort = cohort_fixtures.create_cohort
cohort = cohort_fixtures.cohort
municipalities = cohort_fixtures.municipalities
create_application = cohort_fixtures.create_application
enroll_person = cohort_fixtures.enroll_person
client_for = cohort_fixtures.client_for


@pytest.fixture
def hamm(app, cohort, municipalities, create_application, participant):
    """Hamm holds a place; the participant is one of its responsible persons."""
    municipality = municipalities["Hamm"]
    create_application(cohort, municipality, status=ApplicationStatus.ACCEPTED, nominees=(
        PersonDetails(participant.display_name, participant.email, "Integration"),
        PersonDetails("Zweite Person", "zweite@hamm.de", "Sozialamt")))
    return municipality


@pytest.fixture
def create_member(app: Flask) -> Callable[..., PoolMember]:
    def create(name: str, email: str, *, regions: tuple[str, ...] = ("Arnsberg",),
               languages: tuple[str, ...] = ("Deutsch",), topics: tuple[str, ...] = (),
               active: bool = True) -> PoolMember:
        with app.test_request_context():
            member = add_member(PersonDetails(name, email), Profile(
                qualifications="zertifizierte Mediation", languages=languages,
                regions=regions, topics=topics, active=active), actor=None)
            member.user.password_hash = generate_password_hash(
                TEST_PASSWORD, method=app.config["PASSWORD_HASH_METHOD"])
            return detached(member)

    return create


def request_details(municipality_id: int, **changes: Any) -> RequestDetails:
    values: dict[str, Any] = {
        "municipality_id": municipality_id, "kind": CaseKind.MEDIATION,
        "description": "Streit im Integrationsrat über die Sitzordnung.",
        "urgency": Urgency.NORMAL, "consent": True, "parties": "Integrationsrat, Verwaltung",
        "language": "Deutsch", "topic": "Gremien"}
    values.update(changes)
    return RequestDetails(**values)


@pytest.fixture
def create_case(app: Flask) -> Callable[..., AdviceCase]:
    """A case asked by ``requester`` for ``municipality``, moved on as far as asked:
    triaged, asked back with ``question``, ``assigned`` to members, ``accepted`` by them,
    with a record."""

    def create(requester: User | None, municipality: Municipality, *, triaged: bool = False,
               assigned: tuple[PoolMember, ...] = (), accepted: bool = False,
               with_record: bool = False, question: str = "",
               actor: User | None = None) -> AdviceCase:
        with app.test_request_context():
            asker = db.session.get(User, requester.id) if requester else None
            case = case_rules.submit_request(request_details(
                municipality.id, contact_name="" if asker else "Karla Kontakt",
                contact_email="" if asker else "karla@example.org"), requester=asker)
            acting = db.session.get(User, actor.id) if actor else None
            if triaged:
                case_rules.triage(case, Triage.ACCEPT, "", actor=acting)
            if question:
                case_rules.triage(case, Triage.ASK, question, actor=acting)
            if assigned:
                case_rules.assign(case, [m.id for m in assigned], actor=acting)
            if accepted:
                for assignment in list(case.assignments):
                    case_rules.respond(assignment, True, "", actor=assignment.member.user)
            if with_record:
                start = utcnow() + timedelta(days=7)
                member_user = case.assignments[0].member.user
                record.add_appointment(case, title="Erstgespräch", starts_at=start,
                                       ends_at=start + timedelta(hours=2),
                                       location="Rathaus", actor=member_user)
                record.add_note(case, "Vertraulich: Vorgeschichte seit 2016.",
                                actor=member_user)
                record.add_document(case, "protokoll.txt", io.BytesIO(b"Protokoll\n"),
                                    actor=member_user)
            return detached(case)

    return create


def snapshot(app: Flask) -> tuple[object, ...]:
    """Everything of the advice office a refused request must leave as it was."""
    with app.app_context():
        def count(model: type) -> int:
            return db.session.scalar(select(func.count()).select_from(model))

        cases = tuple(db.session.execute(select(
            AdviceCase.id, AdviceCase.state, AdviceCase.feedback_at, AdviceCase.outcome)
            .order_by(AdviceCase.id)).all())
        assignments = tuple(db.session.execute(select(CaseAssignment.id, CaseAssignment.status)
                                               .order_by(CaseAssignment.id)).all())
        members = tuple(db.session.execute(select(PoolMember.id, PoolMember.active,
                                                  PoolMember.availability)
                                           .order_by(PoolMember.id)).all())
        return (cases, assignments, members, count(CaseEvent), count(Appointment),
                count(CaseNote), count(CaseDocument), count(AuditEntry), count(User))
