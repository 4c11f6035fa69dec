"""The advice office's rules through its pages: bad input gets a clear German message and
changes nothing; suggestions, the calendar, the audited documents, feedback, statistics."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from icalendar import Calendar
from sqlalchemy import select

from advice.models import AdviceCase, CaseDocument, CaseState, PoolMember
from advice.statistics import MIN_CASES, statistics
from advice.suggestions import suggestions
from advice.views import PER_PAGE
from lms.audit import AuditEntry
from lms.auth.models import User
from lms.calendar.tokens import feed_token
from lms.db import utcnow
from lms.extensions import db
from tests.advice.conftest import snapshot
from tests.querycount import count_queries


def german(response) -> str:
    return response.get_data(as_text=True)


def test_assigning_a_paused_member_is_refused_in_german(app, client, login, organiser, hamm,
                                                        participant, create_member,
                                                        create_case):
    paused = create_member("Paula Pause", "pause@example.org", active=False)
    case = create_case(participant, hamm, triaged=True, actor=organiser)
    login(organiser)
    before = snapshot(app)
    response = client.post(f"/advice/cases/{case.id}/assign", data={"members": str(paused.id)})
    assert response.status_code == 400
    assert "Paula Pause pausiert und kann nicht zugewiesen werden." in german(response)
    assert snapshot(app) == before


def test_a_decline_without_a_reason_is_refused(app, client, login, organiser, hamm,
                                               participant, create_case):
    case = create_case(participant, hamm)
    login(organiser)
    before = snapshot(app)
    response = client.post(f"/advice/cases/{case.id}/triage",
                           data={"decision": "decline", "text": "  "})
    assert response.status_code == 400
    assert "Bitte geben Sie den Grund für die Ablehnung an." in german(response)
    assert snapshot(app) == before


def test_a_decline_with_a_reason_is_shown_to_the_municipality(app, client, login, organiser,
                                                              hamm, participant,
                                                              create_case, client_for):
    case = create_case(participant, hamm)
    login(organiser)
    assert client.post(f"/advice/cases/{case.id}/triage", data={
        "decision": "decline", "text": "Kein Konflikt im Sinne des Programms"}).status_code == 302
    page = client_for(participant).get(f"/advice/cases/{case.id}")
    assert "Kein Konflikt im Sinne des Programms" in german(page)
    with app.app_context():
        found = db.session.get(AdviceCase, case.id)
        assert found.state is CaseState.DECLINED and found.first_answer_at is not None
        assert [e.to_state for e in found.events] == [CaseState.NEW, CaseState.DECLINED]


def test_appointment_dates_out_of_order_are_refused(app, hamm, participant, organiser,
                                                    create_member, create_case, client_for):
    member = create_member("Mara Mediatorin", "mara@example.org")
    case = create_case(participant, hamm, triaged=True, assigned=(member,), accepted=True,
                       actor=organiser)
    client = client_for(User(email="mara@example.org"))
    before = snapshot(app)
    response = client.post(f"/advice/cases/{case.id}/appointments", data={
        "title": "Gespräch", "starts_at": "2030-03-04T12:00", "ends_at": "2030-03-04T10:00",
        "location": ""})
    assert response.status_code == 400
    assert "Das Ende muss nach dem Beginn liegen." in german(response)
    assert snapshot(app) == before


def test_another_municipalitys_case_by_forged_id_shows_and_changes_nothing(
        app, client, login, participant, hamm, municipalities, organiser, create_member,
        create_case):
    member = create_member("Mara Mediatorin", "mara@example.org")
    other = create_case(None, municipalities["Duisburg"], triaged=True, assigned=(member,),
                        accepted=True, with_record=True, actor=organiser)
    with app.app_context():
        document = db.session.scalar(select(CaseDocument.id))
    login(participant)
    before = snapshot(app)
    assert client.get(f"/advice/cases/{other.id}").status_code == 404
    for path, data in ((f"/advice/cases/{other.id}/notes", {"body": "x"}),
                       (f"/advice/cases/{other.id}/feedback", {"rating": "5"}),
                       (f"/advice/cases/{other.id}/documents/{document}", {})):
        assert client.post(path, data=data).status_code == 404
    assert snapshot(app) == before
    assert f"/advice/cases/{other.id}" not in german(client.get("/advice/"))


def test_the_municipality_reads_the_summary_but_not_the_notes(app, hamm, participant,
                                                              organiser, create_member,
                                                              create_case, client_for):
    member = create_member("Mara Mediatorin", "mara@example.org")
    case = create_case(participant, hamm, triaged=True, assigned=(member,), accepted=True,
                       with_record=True, actor=organiser)
    page = german(client_for(participant).get(f"/advice/cases/{case.id}"))
    assert "Streit im Integrationsrat" in page and "Erstgespräch" in page
    assert "Vertraulich" not in page and "protokoll.txt" not in page
    assert "Vertraulich" in german(client_for(User(email="mara@example.org"))
                                   .get(f"/advice/cases/{case.id}"))


def test_every_download_of_a_document_is_audited(app, hamm, participant, organiser,
                                                 create_member, create_case, client_for):
    member = create_member("Mara Mediatorin", "mara@example.org")
    case = create_case(participant, hamm, triaged=True, assigned=(member,), accepted=True,
                       with_record=True, actor=organiser)
    with app.app_context():
        document = db.session.scalar(select(CaseDocument.id))
    client = client_for(organiser)
    for _ in range(2):
        response = client.post(f"/advice/cases/{case.id}/documents/{document}")
        assert response.status_code == 200 and response.data == b"Protokoll\n"
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "advice.document_viewed")).all()
        assert [(e.object_id, e.actor_id) for e in entries] == [(document, organiser.id)] * 2


def test_suggestions_rank_region_language_topic_and_load(app, hamm, participant, organiser,
                                                         create_member, create_case):
    far = create_member("Fern Köln", "fern@example.org", regions=("Köln",))
    near = create_member("Nah Arnsberg", "nah@example.org", regions=("Arnsberg",),
                         topics=("Gremien",))
    busy = create_member("Voll Arnsberg", "voll@example.org", regions=("Arnsberg",),
                         topics=("Gremien",))
    create_member("Pause Arnsberg", "pause@example.org", active=False)
    create_case(participant, hamm, triaged=True, assigned=(busy,), actor=organiser)
    case = create_case(participant, hamm)
    with app.app_context():
        ranked = suggestions(db.session.get(AdviceCase, case.id))
        assert [s.member.id for s in ranked] == [near.id, busy.id, far.id]
        assert ranked[1].load == 1


def test_accepting_starts_the_work_and_declining_all_returns_to_triage(
        app, hamm, participant, organiser, create_member, create_case, client_for):
    one = create_member("Eins", "eins@example.org")
    case = create_case(participant, hamm, triaged=True, assigned=(one,), actor=organiser)
    with app.app_context():
        assignment = db.session.get(AdviceCase, case.id).assignments[0].id
    client = client_for(User(email="eins@example.org"))
    response = client.post(f"/advice/cases/{case.id}/assignments/{assignment}",
                           data={"answer": "decline", "reason": ""})
    assert "Bitte geben Sie den Grund für die Ablehnung an." in german(response)
    client.post(f"/advice/cases/{case.id}/assignments/{assignment}",
                data={"answer": "decline", "reason": "Urlaub"})
    with app.app_context():
        assert db.session.get(AdviceCase, case.id).state is CaseState.TRIAGE


def test_the_appointment_reaches_the_feeds_of_the_people_involved_only(
        app, hamm, participant, organiser, lecturer, create_member, create_case):
    member = create_member("Mara Mediatorin", "mara@example.org")
    case = create_case(participant, hamm, triaged=True, assigned=(member,), accepted=True,
                       with_record=True, actor=organiser)
    client = app.test_client()

    def summaries(user_id: int) -> list[str]:
        with app.app_context():
            token = feed_token(db.session.get(User, user_id))
        body = client.get(f"/calendar/feed/{token}.ics").data
        return [str(item["SUMMARY"]) for item in Calendar.from_ical(body).walk("VEVENT")
                if str(item["UID"]).startswith("advice-")]

    assert summaries(participant.id) == ["Erstgespräch (Mediation)"]
    assert summaries(member.user_id) == ["Erstgespräch (Mediation)"]
    assert summaries(lecturer.id) == []
    assert case.id


def test_the_calendar_reads_appointments_in_queries_that_do_not_grow(
        app, hamm, participant, organiser, create_member, create_case, client_for):
    """Each appointment's case comes with it, not in a query of its own."""
    member = create_member("Mara Mediatorin", "mara@example.org")
    client = client_for(participant)
    page = "/calendar/?view=list"

    def queries() -> int:
        with count_queries(app) as log:
            assert client.get(page).status_code == 200
        return log.count

    create_case(participant, hamm, triaged=True, assigned=(member,), accepted=True,
                with_record=True, actor=organiser)
    one = queries()
    for _ in range(3):
        create_case(participant, hamm, triaged=True, assigned=(member,), accepted=True,
                    with_record=True, actor=organiser)
    assert queries() == one


def test_feedback_is_given_once_and_names_nobody(app, hamm, participant, organiser,
                                                 create_member, create_case, client_for):
    member = create_member("Mara Mediatorin", "mara@example.org")
    case = create_case(participant, hamm, triaged=True, assigned=(member,), accepted=True,
                       actor=organiser)
    mara = client_for(User(email="mara@example.org"))
    assert mara.post(f"/advice/cases/{case.id}/conclude", data={
        "outcome_kind": "agreement", "outcome": "Vereinbarung"}).status_code == 302
    own = client_for(participant)
    assert own.post(f"/advice/cases/{case.id}/feedback",
                    data={"rating": "5", "text": "Sehr gut"}).status_code == 302
    assert own.post(f"/advice/cases/{case.id}/feedback",
                    data={"rating": "1", "text": ""}).status_code == 403
    with app.app_context():
        found = db.session.get(AdviceCase, case.id)
        assert (found.feedback_rating, found.feedback_text) == (5, "Sehr gut")
        assert not db.session.scalar(select(AuditEntry.id).where(
            AuditEntry.object_type == "advice_cases", AuditEntry.actor_id == participant.id,
            AuditEntry.action.like("%feedback%")))


def test_statistics_name_only_municipalities_with_three_cases(app, municipalities,
                                                              create_case, organiser,
                                                              client_for):
    for _ in range(MIN_CASES):
        create_case(None, municipalities["Bochum"])
    create_case(None, municipalities["Hamm"])
    with app.test_request_context():
        found = statistics()
    rows = dict(next(g for g in found.groups if "Kommune" in g.title or "municipality"
                     in g.title).rows)
    assert rows["Bochum"] == MIN_CASES and "Hamm" not in rows
    client = client_for(organiser)
    exported = client.get("/advice/statistics.csv").data.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(exported), delimiter=";") for cell in row]
    assert "Bochum" in cells and "Hamm" not in cells and "Karla Kontakt" not in exported
    chart = client.get("/advice/statistics.svg")
    assert chart.mimetype == "image/svg+xml" and chart.data.startswith(b"<svg")


def test_a_public_request_records_the_contacts_consent(app, client, municipalities):
    response = client.post("/advice/public-request", data={
        "municipality_id": str(municipalities["Kreis Unna"].id), "kind": "advice",
        "description": "Beratung zum Beschwerdemanagement", "urgency": "low",
        "consent": "y", "consent_version": "1", "contact_name": "Paula Public",
        "contact_email": "Paula@Example.org", "language": "", "topic": ""})
    assert response.status_code == 302
    with app.app_context():
        case = db.session.scalar(select(AdviceCase))
        assert (case.contact_email, case.requester_id, case.state) == (
            "paula@example.org", None, CaseState.NEW)
        assert case.created_at > utcnow() - timedelta(minutes=1)


def test_a_member_keeps_their_own_profile(app, create_member, client_for):
    member = create_member("Mara Mediatorin", "mara@example.org")
    client = client_for(User(email="mara@example.org"))
    assert client.post(f"/advice/pool/{member.id}", data={
        "qualifications": "Mediatorin BM", "languages": "Deutsch, Türkisch, deutsch",
        "regions": ["Arnsberg", "Münster"], "topics": "Schule", "availability": "montags",
        "active": ""}).status_code == 302
    with app.app_context():
        found = db.session.get(PoolMember, member.id)
        assert (found.languages, found.regions, found.active) == (
            ["Deutsch", "Türkisch"], ["Arnsberg", "Münster"], False)


def test_the_dashboard_shows_waiting_requests_and_ones_own_cases(
        app, hamm, participant, organiser, lecturer, create_case, client_for):
    case = create_case(participant, hamm)
    link = f'href="/advice/cases/{case.id}"'
    assert link in german(client_for(organiser).get("/"))
    assert link in german(client_for(participant).get("/"))
    assert "/advice/cases/" not in german(client_for(lecturer).get("/"))


def test_the_municipality_answers_a_question_of_the_office(app, client, login, organiser, hamm,
                                                          participant, create_case,
                                                          client_for):
    case = create_case(participant, hamm)
    login(organiser)
    assert client.post(f"/advice/cases/{case.id}/triage", data={
        "decision": "ask", "text": "Wer ist an dem Konflikt beteiligt?"}).status_code == 302
    asker = client_for(participant)
    page = german(asker.get(f"/advice/cases/{case.id}"))
    assert "Wer ist an dem Konflikt beteiligt?" in page and "Ihre Antwort" in page

    before = snapshot(app)
    empty = asker.post(f"/advice/cases/{case.id}/answer", data={"text": " "})
    assert empty.status_code == 400 and "Bitte schreiben Sie Ihre Antwort." in german(empty)
    assert snapshot(app) == before

    answered = asker.post(f"/advice/cases/{case.id}/answer",
                          data={"text": "Schule, Elternbeirat und zwei Vereine."})
    assert answered.status_code == 302
    with app.app_context():
        found = db.session.get(AdviceCase, case.id)
        assert found.state is CaseState.TRIAGE and found.question == ""
        assert found.events[-1].note == "Schule, Elternbeirat und zwei Vereine."
    # answered once: the form is gone, a second answer is refused
    assert "Ihre Antwort" not in german(asker.get(f"/advice/cases/{case.id}"))
    assert asker.post(f"/advice/cases/{case.id}/answer",
                      data={"text": "Noch etwas"}).status_code == 403
    history = german(client.get(f"/advice/cases/{case.id}"))
    assert "Schule, Elternbeirat und zwei Vereine." in history


def test_the_case_list_comes_in_pages_of_queries_that_do_not_grow(
        app, hamm, participant, organiser, create_case, client_for):
    client = client_for(organiser)

    def listed(page: int = 1) -> tuple[int, int]:
        with count_queries(app) as log:
            body = client.get(f"/advice/?page={page}").get_data(True)
        return body.count('<a href="/advice/cases/'), log.count

    for _ in range(3):
        create_case(participant, hamm)
    few, few_queries = listed()
    assert few == 3
    for _ in range(PER_PAGE):
        create_case(participant, hamm)
    assert listed() == (PER_PAGE, few_queries)
    assert listed(2)[0] == 3


def test_organisers_record_an_answer_that_came_by_mail_or_phone(app, hamm, organiser,
                                                                 create_case, client_for):
    """A public request's contact answers by replying to the mail; the office records it."""
    case = create_case(None, hamm, question="Wer ist an dem Konflikt beteiligt?")
    office = client_for(organiser)
    page = german(office.get(f"/advice/cases/{case.id}"))
    assert "Antwort der Kommune erfassen" in page
    before = snapshot(app)
    assert office.post(f"/advice/cases/{case.id}/answer",
                       data={"text": ""}).status_code == 400
    assert snapshot(app) == before
    assert office.post(f"/advice/cases/{case.id}/answer",
                       data={"text": "Laut Anruf: Schule und Elternbeirat."}).status_code == 302
    with app.app_context():
        found = db.session.get(AdviceCase, case.id)
        assert not found.question_open
        assert found.events[-1].note == "Laut Anruf: Schule und Elternbeirat."
        assert found.events[-1].actor_id == organiser.id
