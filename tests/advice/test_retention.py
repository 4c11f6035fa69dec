"""Retention of the advice office's cases: a case concluded or declined more than the
configured years ago is due from the day after; pseudonymising it removes what names or
describes people (contact, texts, notes, documents and their stored files) and leaves the
anonymous statistics exactly as they were."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from advice import cases as case_rules
from advice.cases import Triage
from advice.models import (
    AdviceCase,
    Appointment,
    CaseDocument,
    CaseEvent,
    CaseNote,
    CaseState,
    OutcomeKind,
)
from advice.statistics import statistics
from lms.auth.models import User
from lms.consent.models import ConsentRecord
from lms.dates import berlin_midnight
from lms.extensions import db
from lms.retention import due_for_retention
from lms.storage import current_storage
from tests.cohorts.conftest import config

ENDED = date(2020, 3, 31)


def end_on(app, case_id: int, day: date) -> None:
    """Date the case's conclusion or decline (and its last steps) on ``day``."""
    with app.app_context():
        case = db.session.get(AdviceCase, case_id)
        at = berlin_midnight(day) + timedelta(hours=15)
        case.events[-1].at = at
        if case.concluded_at is not None:
            case.concluded_at = at
        db.session.commit()


@pytest.fixture
def concluded(app, hamm, participant, organiser, create_member, create_case):
    """Hamm's mediation, with notes, an appointment and a document, concluded on ENDED."""
    member = create_member("Mia Mediatorin", "mia@example.org")
    case = create_case(participant, hamm, triaged=True, assigned=(member,), accepted=True,
                       with_record=True, actor=organiser)
    with app.test_request_context():
        found = db.session.get(AdviceCase, case.id)
        case_rules.conclude(found, OutcomeKind.AGREEMENT, "Familie Özdemir einigt sich.",
                            actor=found.assignments[0].member.user)
        case_rules.give_feedback(found, 4, "Danke an Frau Mia Mediatorin!")
        db.session.commit()
    end_on(app, case.id, ENDED)
    return case


@pytest.fixture
def declined(app, hamm, organiser, create_case):
    """A public request (Karla Kontakt), asked back and then declined on ENDED."""
    case = create_case(None, hamm, question="Wer ist beteiligt?", actor=organiser)
    with app.test_request_context():
        case_rules.triage(db.session.get(AdviceCase, case.id), Triage.DECLINE,
                          "Nicht zuständig, Frau Kontakt.",
                          actor=db.session.get(User, organiser.id))
        db.session.commit()
    end_on(app, case.id, ENDED)
    return case


def due_titles(app, as_of: date) -> list[str]:
    with app.test_request_context():
        return [record.title for record in due_for_retention(as_of).records]


def test_a_case_is_due_the_day_after_its_years(app, concluded, declined, hamm, participant,
                                               create_case):
    create_case(participant, hamm)  # open: never due
    assert due_titles(app, date(2023, 3, 31)) == []
    assert due_titles(app, date(2023, 4, 1)) == [
        f"Beratungsfall {concluded.id} (Hamm)", f"Beratungsfall {declined.id} (Hamm)"]
    with config(app, RETENTION_YEARS_AFTER_CASE=5):
        assert due_titles(app, date(2025, 3, 31)) == []
        assert len(due_titles(app, date(2025, 4, 1))) == 2


def test_the_command_pseudonymises_the_cases_and_keeps_the_statistics(app, concluded,
                                                                      declined):
    with app.test_request_context():
        before = statistics()
        sha256 = db.session.scalars(select(CaseDocument.sha256)).one()
        assert current_storage().exists(sha256)
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["lms", "retention", "--as-of", "2023-04-01"])
    assert listed.exit_code == 0, listed.output
    assert f"Beratungsfall {concluded.id} (Hamm)" in listed.output
    assert "0 person(s), 2 record(s)" in listed.output

    applied = runner.invoke(args=["lms", "retention", "--as-of", "2023-04-01", "--apply"])
    assert "Pseudonymised 2 of 2." in applied.output, applied.output
    with app.test_request_context():
        assert statistics() == before
        public = db.session.get(AdviceCase, declined.id)
        assert public.contact_email.endswith("@geloescht.invalid")
        assert "Karla" not in public.contact_name and public.decline_reason == ""
        assert public.question == "" and public.state is CaseState.DECLINED
        case = db.session.get(AdviceCase, concluded.id)
        assert case.requester_id is None and case.pseudonymised_at is not None
        assert (case.description, case.parties, case.outcome, case.feedback_text) \
            == ("", "", "", "")
        assert not case.description_html.strip() and not case.outcome_html.strip()
        assert case.outcome_kind is OutcomeKind.AGREEMENT and case.feedback_rating == 4
        for model in (CaseNote, CaseDocument):
            assert db.session.scalar(select(func.count()).select_from(model)) == 0
        assert not current_storage().exists(sha256)
        assert all(event.note == "" and event.actor_id is None
                   for event in db.session.scalars(select(CaseEvent)))
        assert all(a.location == "" and "Erstgespräch" not in a.title
                   for a in db.session.scalars(select(Appointment)))
        assert "karla@example.org" not in set(db.session.scalars(select(ConsentRecord.email)))
    again = runner.invoke(args=["lms", "retention", "--as-of", "2023-04-01", "--apply"])
    assert "Pseudonymised 0 of 0." in again.output


def test_organisers_confirm_pseudonymising_a_due_case(app, client, login, organiser,
                                                      participant, concluded, hamm,
                                                      create_case, client_for):
    url = f"/advice/cases/{concluded.id}/pseudonymise"
    with app.app_context():
        db.session.get(AdviceCase, concluded.id).events[-1].at -= timedelta(days=4000)
        db.session.commit()
    assert client_for(participant).get(url).status_code == 403
    login(organiser)
    assert url in client.get("/admin/retention").get_data(True)
    page = client.get(url).get_data(True)
    assert "Pseudonymisieren" in page and "Beratungsfall" in page
    assert client.post(url).status_code == 302
    with app.app_context():
        assert db.session.get(AdviceCase, concluded.id).pseudonymised_at is not None
    assert url not in client.get("/admin/retention").get_data(True)

    still_open = create_case(participant, hamm)
    response = client.post(f"/advice/cases/{still_open.id}/pseudonymise",
                           follow_redirects=True)
    assert "hat die Aufbewahrungsfrist noch nicht überschritten" in response.get_data(True)
    with app.app_context():
        assert db.session.get(AdviceCase, still_open.id).description != ""


def test_the_record_of_processing_states_the_configured_years(client, login, organiser, app):
    login(organiser)
    with config(app, RETENTION_YEARS_AFTER_CASE=5):
        text = client.get("/admin/processing").get_data(True)
    assert "5 Jahre nach Abschluss oder Ablehnung des Falls" in text
