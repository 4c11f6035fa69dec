"""Art. 17 GDPR: an organiser erases a person after a confirmation page; the programme's
records stay whole under a pseudonym, and afterwards no text column of any table holds
the person's name or email address.

The demo's participant is given a trace in every place that can name a person: mail
to her and about her, a file not yet saved, a feed secret, her own draft, a nominee and
contact entry, a speaker's entry, a feedback and an extension that mention her, an
organiser's change of her account, a certificate.
"""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import func, or_, select

from advice.models import AdviceCase, CaseNote
from assignments.certificates.models import Certificate
from assignments.models import (
    Extension,
    Notification,
    Review,
    Submission,
    SubmissionVersion,
)
from cohorts.attendance_models import SessionAttendance
from cohorts.consents import APPLICATION, SHARE_CONTACT
from cohorts.models import Application, Enrollment, Nominee
from courses.congress_models import AgendaItem, Speaker
from lms.audit import AuditEntry
from lms.auth import services
from lms.auth.models import Role, User
from lms.calendar.models import CalendarFeedCache, CalendarFeedSecret
from lms.calendar.tokens import feed_token, renew_feed_secret
from lms.consent.models import ConsentRecord
from lms.consent.services import give_consent
from lms.db import utcnow
from lms.erasure import erase_person
from lms.errors import DomainError
from lms.extensions import db
from lms.mail import OutboxMessage, send_mail
from lms.storage import current_storage
from lms.uploads import PendingUpload
from tests.subject_rights import (
    GERMAN,
    ORGANISER,
    PARTICIPANT,
    sign_in,
    team_of,
    texts_naming,
)
from tests.test_demo_walk import changes, dump

#: where the traces below, and the demo, put her name or address
TRACED = {"users.email", "users.display_name", "outbox_messages.recipient",
          "outbox_messages.body", "pending_uploads.filename", "audit_entries.before",
          "audit_entries.after", "cohort_nominees.name", "cohort_nominees.email",
          "cohort_applications.contact_name", "cohort_applications.contact_email",
          "congress_speakers.name", "assignment_reviews.feedback",
          "assignment_reviews.feedback_html",
          "assignment_extensions.reason", "assignment_submissions.draft_text",
          "certificates.holder_name", "consent_records.email", "advice_notes.body",
          "advice_cases.parties", "advice_cases.contact_name", "advice_cases.contact_email"}
#: rows of records that must all stay
RECORDS = (Submission, SubmissionVersion, Review, SessionAttendance, Enrollment, Certificate,
           Extension, ConsentRecord, AuditEntry)


def leave_traces(app: Flask, user_id: int) -> None:
    with app.test_request_context():
        user = db.session.get(User, user_id)
        name, email = user.display_name, user.email
        organiser = User.by_email(ORGANISER)
        send_mail(email, "Ihr Zugang", f"Guten Tag {name}, ...", user_id=user.id)
        send_mail("kollegin@example.org", "Neue Abgabe", f"{name} ({email}) hat abgegeben.")
        stored = current_storage().put(BytesIO(b"%PDF-1.4 entwurf"))
        db.session.add(PendingUpload(user_id=user.id, filename=f"{name}.pdf",
                                     content_type="application/pdf", size=stored.size,
                                     sha256=stored.sha256))
        renew_feed_secret(user)
        services.update_account(user, actor=organiser, display_name=name,
                                roles={Role.PARTICIPANT}, active=True, language="de")
        own = db.session.scalars(select(Submission).where(Submission.user_id == user.id)).first()
        own.draft_text = f"Entwurf von {name}"
        application = db.session.scalars(select(Application)).first()
        application.contact_name, application.contact_email = name, email
        db.session.add(Nominee(application=application, position=9, name=name, email=email))
        item = db.session.scalars(select(AgendaItem)).first()
        db.session.add(Speaker(item=item, position=9, name=name, role="Praxisbericht"))
        review = db.session.scalars(select(Review)).first()
        review.feedback = f"Danke, {name.upper()}!"
        schedule = own.schedule
        db.session.add(Extension(schedule=schedule, user_id=user.id,
                                 due_at=schedule.due_at + timedelta(days=7),
                                 cut_off_at=schedule.cut_off_at + timedelta(days=7),
                                 reason=f"Krankheit von {name}", granted_by_id=organiser.id))
        db.session.add(Notification(user_id=user.id, kind="returned", params={"title": "x"},
                                    link="/", key="erasure-test"))
        case = db.session.scalars(select(AdviceCase).where(
            AdviceCase.requester_id == user.id)).first()
        case.parties = f"Anwohnende; für die Stadt {name}"
        db.session.add(CaseNote(case=case, author=organiser, body=f"Rückruf bei {name}"))
        public = db.session.scalars(select(AdviceCase).where(
            AdviceCase.requester_id.is_(None))).first()
        public.contact_name, public.contact_email = name, email
        give_consent(APPLICATION, version=None, subject_id=application.id, language="de",
                     email=email)
        enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == user.id))
        give_consent(SHARE_CONTACT, version=None, subject_id=enrollment.id, language="de",
                     user=user)
        enrollment.share_contact = True
        cohort = schedule.cohort
        db.session.add(Certificate(
            number="2017-99", code="erasure-test-code", cohort_id=cohort.id, user_id=user.id,
            holder_name=name, course_title="Integrationsmanagement und Systemdesign",
            cohort_name=cohort.name, period_start=cohort.starts_on, period_end=cohort.ends_on,
            issued_on=cohort.ends_on, issued_by_id=organiser.id))
        db.session.commit()


def counts(app: Flask) -> dict[str, int]:
    with app.app_context():
        return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
                for model in RECORDS}


def erase_through_the_pages(client, user_id: int):
    confirm = client.get(f"/admin/people/{user_id}/erase", headers=GERMAN)
    assert confirm.status_code == 200
    page = confirm.get_data(as_text=True)
    assert f"Gelöschte Person #{user_id}" in page
    assert f'action="/admin/people/{user_id}/erase"' in page
    return client.post(f"/admin/people/{user_id}/erase", headers=GERMAN)


def test_after_erasure_no_text_in_the_database_names_her(app, client, demo_world):
    user_id, name = demo_world[PARTICIPANT]
    leave_traces(app, user_id)
    before = texts_naming(app, name, PARTICIPANT)
    assert set(before) >= TRACED, sorted(TRACED - set(before))
    records = counts(app)
    with app.app_context():
        code = db.session.scalar(select(Certificate.code).where(Certificate.user_id == user_id))
    sign_in(client, ORGANISER)

    response = erase_through_the_pages(client, user_id)

    assert response.status_code == 302
    assert response.location.endswith(f"/admin/people/{user_id}")
    page = client.get(response.location, headers=GERMAN).get_data(as_text=True)
    assert f"Gelöschte Person #{user_id}" in page and "wurden am" in page
    assert texts_naming(app, name, PARTICIPANT) == {}
    after = counts(app)
    assert after.pop("AuditEntry") > records.pop("AuditEntry")  # the erasure, withdrawals
    assert after == records
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user.display_name == f"Gelöschte Person #{user_id}"
        assert user.email.endswith(".invalid")
        assert (user.active, user.password_hash, user.language, user.last_login_at) == \
            (False, None, None, None)
        assert user.erased_at is not None
        for model in (CalendarFeedSecret, PendingUpload, Notification):
            assert db.session.scalar(select(func.count()).select_from(model).where(
                model.user_id == user_id)) == 0, model.__name__
        assert db.session.scalar(select(func.count(OutboxMessage.id)).where(
            OutboxMessage.user_id == user_id)) == 0
        own = db.session.scalars(select(Submission).where(Submission.user_id == user_id)).all()
        assert own and all(s.draft_text == "" and not s.draft_files for s in own)
        enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == user_id))
        assert (enrollment.phone, enrollment.function, enrollment.share_contact) == \
            ("", "", False)
        consents = db.session.scalars(select(ConsentRecord).where(or_(
            ConsentRecord.user_id == user_id, ConsentRecord.email == user.email))).all()
        assert len(consents) >= 2 and all(c.withdrawn_at for c in consents), \
            "her consents stay as proof, withdrawn with the erasure"
        erased = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.erased"))
        assert (erased.object_id, erased.before, erased.after) == (user_id, None, None)
    verify = client.get(f"/certificates/verify/{code}", headers=GERMAN).get_data(as_text=True)
    assert "Dieses Zertifikat ist gültig. Die Daten der Inhaberin oder des Inhabers " \
           "wurden gelöscht." in verify
    assert "Gelöschte Person" not in verify and name not in verify
    # she can no longer sign in
    client.post("/logout")
    assert client.post("/login", data={"email": PARTICIPANT, "password": "lehrgang-demo"}) \
        .status_code == 200


def test_another_persons_data_is_untouched(app, client, demo_world):
    user_id, _name = demo_world[PARTICIPANT]
    teammate = team_of(app, PARTICIPANT)[1]
    teammate_id, teammate_name = demo_world[teammate]
    with app.app_context():
        db.session.add(Notification(user_id=teammate_id, kind="returned", params={},
                                    link="/", key="teammate"))
        db.session.commit()
    before = dump(app)
    sign_in(client, ORGANISER)
    erase_through_the_pages(client, user_id)
    differences = changes(before, dump(app))
    touched = {line.partition(":")[0] for line in differences}
    # her account, enrolment, drafts, notifications, consents and mail, the application
    # that named her, the audit log (the new entries) and the organiser's sign-in; the
    # calendar's change stamp, since her enrolment changed
    assert touched <= {"users", "cohort_enrollments", "assignment_submissions",
                       "assignment_notifications", "audit_entries", "assignment_draft_files",
                       "outbox_messages", "cohort_nominees", "cohort_applications",
                       "consent_records", "calendar_stamp"}, differences
    assert not any(f"'{teammate}'" in line or teammate_name in line for line in differences)
    with app.app_context():
        account = db.session.get(User, teammate_id)
        assert (account.email, account.display_name, account.active) == \
            (teammate, teammate_name, True)
        assert db.session.scalar(select(func.count(Notification.id)).where(
            Notification.user_id == teammate_id)) >= 1
    assert texts_naming(app, teammate_name, teammate)


def test_an_organiser_cannot_erase_herself(app, client, demo_world):
    organiser_id, _ = demo_world[ORGANISER]
    before = dump(app)
    sign_in(client, ORGANISER)
    for method in ("GET", "POST"):
        response = client.open(f"/admin/people/{organiser_id}/erase", method=method,
                               headers=GERMAN)
        assert response.status_code == 302
        assert response.location.endswith(f"/admin/people/{organiser_id}")
        page = client.get(response.location, headers=GERMAN).get_data(as_text=True)
        assert "Sie können Ihre eigenen Daten nicht löschen" in page
    login_rows = {"users", "audit_entries"}  # her own sign-in
    assert {line.partition(":")[0] for line in changes(before, dump(app))} <= login_rows
    with app.app_context():
        assert db.session.get(User, organiser_id).erased_at is None


def test_the_last_organiser_cannot_be_erased(app, organiser, lecturer):
    with app.test_request_context(headers=GERMAN), force_locale("de"):
        only = db.session.get(User, organiser.id)
        with pytest.raises(DomainError) as refused:
            erase_person(only, actor=db.session.get(User, lecturer.id))
        assert "letzte aktive Organisatorin oder der letzte aktive Organisator" \
            in refused.value.message
        db.session.rollback()
        assert db.session.get(User, organiser.id).erased_at is None


def test_someone_erased_before_is_not_erased_again(app, client, demo_world):
    user_id, _ = demo_world[PARTICIPANT]
    sign_in(client, ORGANISER)
    erase_through_the_pages(client, user_id)
    before = dump(app)
    response = client.post(f"/admin/people/{user_id}/erase", headers=GERMAN)
    assert response.status_code == 302
    page = client.get(response.location, headers=GERMAN).get_data(as_text=True)
    assert "bereits gelöscht" in page
    assert changes(before, dump(app)) == []


@pytest.mark.parametrize("email", ["dozent@example.org", PARTICIPANT])
def test_other_roles_cannot_erase(app, client, demo_world, email):
    target, _ = demo_world[team_of(app, PARTICIPANT)[1]]
    sign_in(client, email)
    before = dump(app)
    assert client.get(f"/admin/people/{target}/erase").status_code == 403
    assert client.post(f"/admin/people/{target}/erase").status_code == 403
    assert changes(before, dump(app)) == []


def test_forged_ids_learn_nothing(app, client, demo_world):
    sign_in(client, ORGANISER)
    before = dump(app)
    for path in ("/admin/people/999999/erase", "/admin/people/99999999999999999999/erase"):
        assert client.get(path).status_code == 404
        assert client.post(path).status_code == 404
    assert changes(before, dump(app)) == []


def test_the_erased_files_go_after_the_commit(app, client, demo_world):
    user_id, _ = demo_world[PARTICIPANT]
    with app.app_context():
        stored = current_storage().put(BytesIO(b"%PDF-1.4 nur hier"))
        db.session.add(PendingUpload(user_id=user_id, filename="a.pdf",
                                     content_type="application/pdf", size=stored.size,
                                     sha256=stored.sha256, created_at=utcnow()))
        db.session.commit()
    sign_in(client, ORGANISER)
    erase_through_the_pages(client, user_id)
    with app.app_context():
        assert not current_storage().exists(stored.sha256)


def test_an_erased_account_cannot_be_revived(app, client, demo_world):
    user_id, _ = demo_world[PARTICIPANT]
    sign_in(client, ORGANISER)
    erase_through_the_pages(client, user_id)
    page = client.get(f"/admin/people/{user_id}", headers=GERMAN).get_data(as_text=True)
    assert f'action="/admin/people/{user_id}/invite"' not in page
    before = dump(app)
    response = client.post(f"/admin/people/{user_id}", headers=GERMAN, data={
        "display_name": "Wieder da", "roles": ["participant"], "language": "", "active": "y"})
    assert "Das Konto einer gelöschten Person kann nicht mehr geändert werden." in \
        response.get_data(as_text=True)
    assert changes(before, dump(app)) == []


def test_json_columns_are_searched_in_the_database_umlauts_included(app):
    """Only rows that may name the person are read: JSON keeps "ü" escaped as "\\u00fc"
    (SQLite, PostgreSQL's json) or as itself, and both are looked for."""
    from lms.erasure import Replacement

    class Named(Replacement):
        name, email = "Jürgen Öztürk", "j.oeztuerk@example.org"
        pseudonym, placeholder_email = "Gelöschte Person #0", "geloescht-0@geloescht.invalid"

    with app.app_context():
        db.session.add_all([
            AuditEntry(action="test", object_type="users", object_id=1,
                       after={"name": "Jürgen Öztürk"}),
            AuditEntry(action="test", object_type="users", object_id=2,
                       after={"email": "J.Oeztuerk@example.org"}),
            AuditEntry(action="test", object_type="users", object_id=3,
                       after={"name": "Jürgen Meier"})])
        db.session.commit()
        named = Named()
        found = db.session.scalars(select(AuditEntry.object_id).where(
            named._mentions([AuditEntry.after])).order_by(AuditEntry.object_id)).all()
        assert found == [1, 2]
        named.scrub(AuditEntry.after)
        db.session.commit()
        afters = dict(db.session.execute(select(AuditEntry.object_id, AuditEntry.after)
                                         .where(AuditEntry.action == "test")).all())
        assert afters == {1: {"name": "Gelöschte Person #0"},
                          2: {"email": "geloescht-0@geloescht.invalid"},
                          3: {"name": "Jürgen Meier"}}


def test_her_cached_calendar_feeds_are_forgotten(app, client, demo_world):
    user_id, name = demo_world[PARTICIPANT]
    with app.test_request_context():
        token = feed_token(db.session.get(User, user_id))
    feed = client.get(f"/calendar/feed/{token}.ics")
    assert feed.status_code == 200 and name.encode() in feed.data

    def cached_with_her_name() -> int:
        with app.app_context():
            return sum(name.encode() in body
                       for body in db.session.scalars(select(CalendarFeedCache.body)))

    assert cached_with_her_name() == 1
    sign_in(client, ORGANISER)
    assert erase_through_the_pages(client, user_id).status_code == 302
    assert cached_with_her_name() == 0
