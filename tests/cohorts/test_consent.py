"""Consent records: the application form and contact sharing record which text version a
person agreed to, and when; the person withdraws from their account page; organisers
publish new versions of a text and never change a published one."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from cohorts.consents import APPLICATION, SHARE_CONTACT
from cohorts.models import Application, ApplicationStatus, Enrollment
from lms.audit import AuditEntry
from lms.auth.models import Role, User
from lms.consent import services as consent
from lms.consent.models import ConsentRecord, ConsentText
from lms.extensions import db
from lms.mail import OutboxMessage
from tests.cohorts.conftest import snapshot
from tests.cohorts.test_apply import form_data
from tests.concurrency import run_at_once
from tests.test_csrf import FormCollector

EN = {"Accept-Language": "en"}
S = ApplicationStatus


def records(app, purpose: str | None = None) -> list[tuple]:
    """(purpose, version, user id, email, subject id, withdrawn) of every record (of
    ``purpose``)."""
    with app.app_context():
        return [(purpose, version, user_id, email, subject_id, withdrawn_at is not None)
                for purpose, version, user_id, email, subject_id, withdrawn_at
                in db.session.execute(
                    select(ConsentText.purpose, ConsentText.version, ConsentRecord.user_id,
                           ConsentRecord.email, ConsentRecord.subject_id,
                           ConsentRecord.withdrawn_at)
                    .join(ConsentRecord.text)
                    .where(ConsentText.purpose == (purpose or ConsentText.purpose))
                    .order_by(ConsentRecord.id))]


def publish(app, purpose: str, text_de: str, text_en: str = "In English") -> int:
    with app.test_request_context():
        shown = consent.shown_text(purpose)
        new = consent.publish_text(purpose, text_de, text_en, actor=None,
                                   expected_version=shown.version)
        db.session.commit()
        return new.version


def audit_actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def hidden_version(page: str) -> str:
    return re.search(r'name="consent_version"[^>]*value="(\d+)"', page).group(1)


# --- Applications ---------------------------------------------------------------------------


def test_the_form_shows_the_text_and_the_record_names_its_version(app, client, cohort,
                                                                  municipalities):
    page = client.get(f"/apply/{cohort.id}").get_data(as_text=True)
    assert "Einwilligung" in page and "Version 1" in page
    assert hidden_version(page) == "1"
    hamm = municipalities["Hamm"]
    response = client.post(f"/apply/{cohort.id}", data=form_data(hamm.id, consent_version="1"))
    assert response.status_code == 302
    with app.app_context():
        application = db.session.scalar(select(Application.id))
    assert records(app) == [(APPLICATION, 1, None, "karla@hamm.de", application, False)]
    assert "consent.given" in audit_actions(app)


def test_english_form_shows_the_english_text_and_records_the_language(app, client, cohort,
                                                                      municipalities):
    page = client.get(f"/apply/{cohort.id}", headers=EN).get_data(as_text=True)
    assert "Consent" in page
    client.post(f"/apply/{cohort.id}", headers=EN,
                data=form_data(municipalities["Hamm"].id, consent_version="1"))
    with app.app_context():
        assert db.session.scalar(select(ConsentRecord.language)) == "en"


@pytest.mark.parametrize("version", ["1", "3", "", "x", "99999999999"])
def test_a_version_not_current_is_refused_and_the_new_text_shown(app, client, cohort,
                                                                 municipalities, version):
    """The person must have seen the text they agree to: after a new version (or with a
    forged number) nothing is stored and the form shows the current text."""
    assert publish(app, APPLICATION, "Neue **Einwilligung**, zweite Fassung") == 2
    before = snapshot(app)
    response = client.post(f"/apply/{cohort.id}",
                           data=form_data(municipalities["Hamm"].id, consent_version=version))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "zweite Fassung" in page and hidden_version(page) == "2"
    assert "Bitte lesen Sie" in page
    assert snapshot(app) == before and records(app) == []


def test_applications_of_the_rules_record_against_the_current_version(
        app, cohort, municipalities, create_application):
    """Organisers, the demo and tests submit without a form: the current text counts."""
    publish(app, APPLICATION, "Zweite Fassung")
    application = create_application(cohort, municipalities["Hamm"])
    assert records(app) == [(APPLICATION, 2, None, application.contact_email,
                             application.id, False)]


def test_the_record_keeps_the_version_seen_after_a_new_one(app, cohort, municipalities,
                                                         create_application,
                                                         create_user, client, login):
    application = create_application(cohort, municipalities["Hamm"])
    contact = create_user(application.contact_email, Role.PARTICIPANT, name="Karla Kontakt")
    publish(app, APPLICATION, "Zweite Fassung, die Karla nie gesehen hat")
    assert records(app)[0][1] == 1
    login(contact)
    page = client.get("/account").get_data(as_text=True)
    assert "Version 1" in page
    assert "nie gesehen" not in page
    assert "das Bewerbungsverfahren durchzuführen" in page  # version 1, in German


# --- Contact sharing ------------------------------------------------------------------------


@pytest.fixture
def two_teams(app, cohort, municipalities, create_application):
    """Hamm's and Duisburg's people, all able to sign in: (me, teammate, other)."""
    create_application(cohort, municipalities["Hamm"], status=S.ACCEPTED)
    create_application(cohort, municipalities["Duisburg"], status=S.ACCEPTED)
    with app.app_context():
        team = list(db.session.scalars(select(Enrollment).order_by(Enrollment.id)))
        for enrollment in team:
            enrollment.user.password_hash = generate_password_hash(
                "ein-sicheres-passwort", method=app.config["PASSWORD_HASH_METHOD"])
        db.session.commit()
        for enrollment in team:
            _ = enrollment.user.email
        db.session.expunge_all()
    return team[0], team[1], team[2]


def share_through_the_page(client, cohort_id: int) -> None:
    page = client.get(f"/cohorts/{cohort_id}").get_data(as_text=True)
    assert "Einwilligung" in page and "Version 1" in page
    collector = FormCollector()
    collector.feed(page)
    sharing = next(form for form in collector.forms if form["action"].endswith("/contact"))
    assert client.post(sharing["action"], data=sharing["hidden"]).status_code == 302


def test_sharing_records_consent_and_withdrawing_hides_the_contact_at_once(
        app, client, login, cohort, two_teams, organiser):
    me, _teammate, other = two_teams
    login(other.user)
    share_through_the_page(client, cohort.id)
    assert records(app, SHARE_CONTACT) == [(SHARE_CONTACT, 1, other.user_id, None, other.id, False)]
    client.post("/logout")
    login(me.user)
    assert other.user.email in client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    client.post("/logout")

    login(other.user)
    account = client.get("/account").get_data(as_text=True)
    with app.app_context():
        record_id = db.session.scalar(select(ConsentRecord.id).where(
            ConsentRecord.user_id.is_not(None)))
    withdraw = f"/account/consents/{record_id}/withdraw"
    assert f'href="{withdraw}"' in account
    question = client.get(withdraw).get_data(as_text=True)
    assert 'name="confirmed"' in question and "nicht mehr" in question
    assert client.post(withdraw, data={"confirmed": "1"}).location.endswith("/account#consents")
    assert records(app, SHARE_CONTACT) == [(SHARE_CONTACT, 1, other.user_id, None, other.id, True)]
    with app.app_context():
        assert not db.session.get(Enrollment, other.id).share_contact
    assert {"consent.withdrawn", "enrollment.contact_sharing"} <= set(audit_actions(app))
    account = client.get("/account").get_data(as_text=True)
    assert "Widerrufen am" in account and f'href="{withdraw}"' not in account
    client.post("/logout")

    login(me.user)
    assert other.user.email not in client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)


def test_hiding_the_contact_on_the_cohort_page_withdraws_the_consent(app, client, login,
                                                                    cohort, two_teams):
    _me, _teammate, other = two_teams
    login(other.user)
    share_through_the_page(client, cohort.id)
    share_through_the_page_again = client.post(
        f"/cohorts/{cohort.id}/people/{other.id}/contact", data={"share": "0"})
    assert share_through_the_page_again.status_code == 302
    assert records(app, SHARE_CONTACT) == [(SHARE_CONTACT, 1, other.user_id, None, other.id, True)]
    share_through_the_page(client, cohort.id)  # shared again: a new consent, the old one kept
    assert [row[5] for row in records(app, SHARE_CONTACT)] == [True, False]


def test_withdrawing_twice_changes_nothing_the_second_time(app, client, login, cohort,
                                                           two_teams):
    _me, _teammate, other = two_teams
    login(other.user)
    share_through_the_page(client, cohort.id)
    with app.app_context():
        record_id = db.session.scalar(select(ConsentRecord.id).where(
            ConsentRecord.user_id.is_not(None)))
    withdraw = f"/account/consents/{record_id}/withdraw"
    client.post(withdraw, data={"confirmed": "1"})
    before, audited = snapshot(app), audit_actions(app)
    response = client.post(withdraw, data={"confirmed": "1"}, follow_redirects=True)
    assert "bereits widerrufen" in response.get_data(as_text=True)
    assert snapshot(app) == before and audit_actions(app) == audited
    assert client.get(withdraw).status_code == 302  # nothing left to ask


def test_nobody_withdraws_someone_elses_consent(app, client, login, cohort, two_teams,
                                                organiser, lecturer):
    me, _teammate, other = two_teams
    login(other.user)
    share_through_the_page(client, cohort.id)
    client.post("/logout")
    with app.app_context():
        record_id = db.session.scalar(select(ConsentRecord.id).where(
            ConsentRecord.user_id.is_not(None)))
    withdraw = f"/account/consents/{record_id}/withdraw"
    before = snapshot(app)
    for person, status in ((me.user, 404), (lecturer, 404), (organiser, 403)):
        login(person)
        assert client.get(withdraw).status_code == status
        assert client.post(withdraw, data={"confirmed": "1"}).status_code == status
        client.post("/logout")
    assert client.post(withdraw, data={"confirmed": "1"}).status_code == 302  # sign in
    assert client.get("/account/consents/999999/withdraw").status_code == 302
    login(me.user)
    assert client.get("/account/consents/999999/withdraw").status_code == 404
    assert snapshot(app) == before and not records(app, SHARE_CONTACT)[0][5]


# --- An application's consent, withdrawn ----------------------------------------------------


def test_withdrawing_an_applications_consent_tells_the_organisers(app, client, login, cohort,
                                                                  municipalities, organiser,
                                                                  create_application,
                                                                  create_user):
    application = create_application(cohort, municipalities["Hamm"])
    contact = create_user(application.contact_email, Role.PARTICIPANT, name="Karla Kontakt")
    login(contact)
    with app.app_context():
        record_id = db.session.scalar(select(ConsentRecord.id))
        mails = db.session.scalar(select(func.count(OutboxMessage.id)))
    withdraw = f"/account/consents/{record_id}/withdraw"
    question = client.get(withdraw).get_data(as_text=True)
    assert "Organisatoren" in question
    client.post(withdraw, data={"confirmed": "1"})
    assert records(app)[0][5]
    assert "application.consent_withdrawn" in audit_actions(app)
    with app.app_context():
        sent = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)
                                  .offset(mails)).all()
        assert [message.recipient for message in sent] == [organiser.email]
        assert "Hamm" in sent[0].body
        assert f"/cohorts/{cohort.id}/applications/{application.id}" in sent[0].body
        assert db.session.get(Application, application.id).status is S.SUBMITTED
    client.post("/logout")
    login(organiser)
    page = client.get(f"/cohorts/{cohort.id}/applications/{application.id}")
    assert "Einwilligung widerrufen" in page.get_data(as_text=True)


# --- Publishing texts -----------------------------------------------------------------------


def test_organisers_publish_new_versions_and_keep_the_old_ones(app, client, login, organiser):
    login(organiser)
    assert 'href="/admin/consent-texts"' in client.get("/admin/processing").get_data(as_text=True)
    index = client.get("/admin/consent-texts").get_data(as_text=True)
    assert f"/admin/consent-texts/{SHARE_CONTACT}" in index
    page = client.get(f"/admin/consent-texts/{SHARE_CONTACT}").get_data(as_text=True)
    assert "Version 1" in page and re.search(r'name="version"[^>]*value="1"', page)
    response = client.post(f"/admin/consent-texts/{SHARE_CONTACT}", data={
        "text_de": "Zweite Fassung", "text_en": "Second version", "version": "1"})
    assert response.status_code == 302
    with app.app_context():
        texts = db.session.execute(select(ConsentText.version, ConsentText.text_de)
                                   .where(ConsentText.purpose == SHARE_CONTACT)
                                   .order_by(ConsentText.version)).all()
    assert [version for version, _ in texts] == [1, 2]
    assert texts[1][1] == "Zweite Fassung\n"
    before = audit_actions(app)
    stale = client.post(f"/admin/consent-texts/{SHARE_CONTACT}", data={
        "text_de": "Dritte", "text_en": "Third", "version": "1"})
    assert stale.status_code == 200 and "inzwischen" in stale.get_data(as_text=True)
    same = client.post(f"/admin/consent-texts/{SHARE_CONTACT}", data={
        "text_de": "Zweite Fassung", "text_en": "Second version", "version": "2"})
    assert same.status_code == 200
    assert audit_actions(app) == before
    assert client.get("/admin/consent-texts/unknown").status_code == 404



# --- At the same moment ---------------------------------------------------------------------


def test_two_withdrawals_at_once_withdraw_once(app, cohort, two_teams):
    _me, _teammate, other = two_teams
    with app.test_request_context():
        record = consent.give_consent(SHARE_CONTACT, version=None, subject_id=other.id,
                                      language="de", user=db.session.get(User, other.user_id))
        db.session.commit()
        record_id = record.id

    def withdraw() -> None:
        consent.withdraw_consent(db.session.get(ConsentRecord, record_id), actor=None)

    outcomes = run_at_once(app, [withdraw, withdraw])
    assert sorted(outcomes) == ["ok", "refused: This consent has already been withdrawn."]
    assert audit_actions(app).count("consent.withdrawn") == 1


def test_first_consents_at_once_store_version_1_once(app, create_user):
    people = [create_user() for _ in range(3)]

    def agree(person_id: int):
        return lambda: consent.give_consent(
            SHARE_CONTACT, version=1, subject_id=person_id, language="de",
            user=db.session.get(User, person_id)).text.version

    outcomes = run_at_once(app, [agree(person.id) for person in people])
    assert outcomes == ["1", "1", "1"]
    with app.app_context():
        assert db.session.scalar(select(func.count(ConsentText.id))) == 1
