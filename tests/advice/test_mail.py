"""The advice office's mail: assigned members, the municipality asked back and the
organisers told of a decline each get a mail in their language, linking to the case on
the configured site (never the request's host), and no mail repeats a confidential note."""

from __future__ import annotations

from sqlalchemy import select, update

from advice import cases as case_rules
from advice import record
from advice.models import AdviceCase
from lms.auth.models import Role, User
from lms.consent.models import ConsentRecord
from lms.extensions import db
from lms.mail import OutboxMessage
from tests.conftest import ALIAS, SITE

NOTE = "Vertraulich: Vorgeschichte seit 2016."


def outbox(app) -> dict[str, OutboxMessage]:
    """The kept mail by recipient (one each in these tests)."""
    with app.app_context():
        messages = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        db.session.expunge_all()
    found = {message.recipient: message for message in messages}
    assert len(found) == len(messages), [m.recipient for m in messages]
    return found


def assert_links_to(message: OutboxMessage, case: AdviceCase) -> None:
    assert f"{SITE}/advice/cases/{case.id}" in message.body
    assert ALIAS not in message.body and NOTE not in message.body + message.subject


def test_assigned_members_get_a_mail_in_their_language(app, other_host, client_for, organiser,
                                                       hamm, participant, create_member,
                                                       create_case):
    german = create_member("Eins", "eins@example.org")
    english = create_member("Zwei", "zwei@example.org")
    with app.app_context():
        db.session.get(User, english.user_id).language = "en"
        db.session.commit()
    case = create_case(participant, hamm, triaged=True, actor=organiser)
    response = client_for(organiser).post(f"/advice/cases/{case.id}/assign", data={
        "members": [str(german.id), str(english.id)]})
    assert response.status_code == 302
    mail = outbox(app)
    assert set(mail) == {"eins@example.org", "zwei@example.org"}
    assert_links_to(mail["eins@example.org"], case)
    assert_links_to(mail["zwei@example.org"], case)
    assert f"Beratungsfall {case.id}" in mail["eins@example.org"].subject
    assert f"case {case.id}" in mail["zwei@example.org"].subject


def test_a_question_back_goes_to_the_municipalitys_people(app, other_host, client_for,
                                                           organiser, hamm, participant,
                                                           create_case):
    case = create_case(participant, hamm)
    response = client_for(organiser).post(f"/advice/cases/{case.id}/triage", data={
        "decision": "ask", "text": "Wer ist an dem Konflikt beteiligt?"})
    assert response.status_code == 302
    mail = outbox(app)
    # the requester and Hamm's other responsible person, each once
    assert set(mail) == {participant.email, "zweite@hamm.de"}
    for message in mail.values():
        assert_links_to(message, case)
        assert "Wer ist an dem Konflikt beteiligt?" in message.body
        assert "Rückfrage" in message.subject


def test_a_decline_by_a_member_goes_to_the_organisers(app, other_host, client_for, organiser,
                                                      create_user, hamm, participant,
                                                      create_member, create_case):
    create_user("orga2@example.org", Role.ORGANISER, name="Zweite Organisatorin")
    create_user("inaktiv@example.org", Role.ORGANISER, name="Weg", active=False)
    one = create_member("Eins", "eins@example.org")
    two = create_member("Zwei", "zwei@example.org")
    case = create_case(participant, hamm, triaged=True, assigned=(one, two),
                       actor=organiser)
    with app.app_context():
        found = db.session.get(AdviceCase, case.id)
        first = found.assignments[0]
        # the first member accepts and writes a note; the second declines
        with app.test_request_context():
            case_rules.respond(first, True, "", actor=first.member.user)
            record.add_note(found, NOTE, actor=first.member.user)
        db.session.execute(OutboxMessage.__table__.delete())
        db.session.commit()
        second = found.assignments[1].id
    response = client_for(User(email="zwei@example.org")).post(
        f"/advice/cases/{case.id}/assignments/{second}",
        data={"answer": "decline", "reason": "Urlaub bis Ende des Monats"})
    assert response.status_code == 302
    mail = outbox(app)
    assert set(mail) == {"orga@example.org", "orga2@example.org"}
    for message in mail.values():
        assert_links_to(message, case)
        assert "Zwei" in message.body and "abgelehnt" in message.subject


def test_nothing_is_mailed_when_the_input_is_refused(app, client_for, organiser, hamm,
                                                      participant, create_case):
    case = create_case(participant, hamm)
    response = client_for(organiser).post(f"/advice/cases/{case.id}/triage", data={
        "decision": "ask", "text": " "})
    assert response.status_code == 400
    assert outbox(app) == {}


def test_a_question_back_on_a_public_request_goes_to_its_contact(app, other_host, client_for,
                                                                  organiser, hamm,
                                                                  create_case):
    """Who asked through the public form has no account and cannot open the case page: the
    question comes by mail, to be answered by replying; no link leads where they cannot go."""
    case = create_case(None, hamm)
    response = client_for(organiser).post(f"/advice/cases/{case.id}/triage", data={
        "decision": "ask", "text": "Wer ist an dem Konflikt beteiligt?"})
    assert response.status_code == 302
    mail = outbox(app)
    message = mail["karla@example.org"]
    assert "Rückfrage" in message.subject and "Karla Kontakt" in message.body
    assert "Wer ist an dem Konflikt beteiligt?" in message.body
    assert "antworten Sie auf diese E-Mail" in message.body
    assert "/advice/cases/" not in message.body and ALIAS not in message.body


def test_the_public_contact_is_asked_in_the_language_of_the_form_they_sent(
        app, client_for, organiser, hamm, create_case):
    case = create_case(None, hamm)
    with app.app_context():
        db.session.execute(update(ConsentRecord).where(ConsentRecord.subject_id == case.id)
                           .values(language="en"))
        db.session.commit()
    client_for(organiser).post(f"/advice/cases/{case.id}/triage", data={
        "decision": "ask", "text": "Who is involved?"})
    message = outbox(app)["karla@example.org"]
    assert f"question about case {case.id}" in message.subject
    assert "Please answer by replying to this e-mail" in message.body
