"""Retention (issue 17): who and what is past its period on a day, one day either side of
it; the command lists it, then pseudonymises it, once, touching nothing else."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from cohorts.models import Application, ApplicationStatus, Nominee
from lms.auth.models import Role, User
from lms.consent.models import ConsentRecord
from lms.dates import berlin_today
from lms.erasure import erase_person
from lms.extensions import db
from lms.retention import due_for_retention
from tests.cohorts.conftest import config, nominees_for

ENDED = date(2017, 12, 31)


@pytest.fixture
def old_cohort(create_cohort):
    return create_cohort("Durchgang 2017", opens=date(2017, 1, 1), closes=date(2017, 3, 1),
                         starts=date(2017, 5, 1), ends=ENDED)


def due_people(app, as_of: date) -> list[str]:
    with app.test_request_context():
        return [person.user.email for person in due_for_retention(as_of).people]


def due_titles(app, as_of: date) -> list[str]:
    with app.test_request_context():
        return [record.title for record in due_for_retention(as_of).records]


def others(app, application_id: int) -> tuple[object, ...]:
    """The rows of the people and the application that are not due."""
    with app.app_context():
        application = db.session.get(Application, application_id)
        user = User.by_email("andere@example.org")
        return ((application.contact_name, application.contact_email,
                 application.contact_phone, application.motivation, application.status),
                [(n.name, n.email, n.function) for n in application.nominees],
                (user.display_name, user.email, user.active, user.erased_at))


def test_a_participant_is_due_the_day_after_the_period(app, old_cohort, enroll_person):
    enroll_person(old_cohort, "Alte Teilnehmerin", "alt@example.org")
    assert due_people(app, date(2027, 12, 31)) == []
    assert due_people(app, date(2028, 1, 1)) == ["alt@example.org"]


def test_running_cohorts_staff_and_the_erased_are_never_due(app, old_cohort, create_cohort,
                                                              enroll_person, organiser):
    enroll_person(old_cohort, "Noch Dabei", "dabei@example.org")
    enroll_person(create_cohort("Laufend"), "Noch Dabei", "dabei@example.org")
    enroll_person(old_cohort, "Dozentin", "dozentin@example.org")
    enroll_person(old_cohort, "Gelöscht", "weg@example.org")
    with app.app_context():
        User.by_email("dozentin@example.org").roles = {Role.PARTICIPANT, Role.LECTURER}
        erase_person(User.by_email("weg@example.org"), actor=None)
        db.session.commit()
    # the old cohort's period is over, the running cohort's is not
    assert due_people(app, date(2030, 1, 1)) == []


def test_an_application_is_due_the_day_after_its_days(app, cohort, municipalities,
                                                     create_application):
    hamm = municipalities["Hamm"] if "Hamm" in municipalities else \
        next(iter(municipalities.values()))
    create_application(cohort, hamm, status=ApplicationStatus.REJECTED)
    today = berlin_today()
    assert due_titles(app, today + timedelta(days=180)) == []
    assert due_titles(app, today + timedelta(days=181)) == [f"{hamm.name} ({cohort.name})"]


def test_the_command_lists_then_pseudonymises_once(app, old_cohort, cohort, municipalities,
                                                  create_application, enroll_person):
    first, second, *_ = municipalities.values()
    enroll_person(old_cohort, "Alte Teilnehmerin", "alt@example.org")
    enroll_person(old_cohort, "Andere Person", "andere@example.org")
    enroll_person(cohort, "Andere Person", "andere@example.org")
    rejected = create_application(cohort, first, status=ApplicationStatus.REJECTED)
    kept = create_application(cohort, second, status=ApplicationStatus.SUBMITTED,
                              nominees=nominees_for(second, prefix="bleibt"))
    # a nominee who became a participant is a person, not application data
    enroll_person(cohort, "Person 1", f"{first.ags}.1@example.org")
    later = (berlin_today() + timedelta(days=400)).isoformat()
    far = max(later, "2028-01-01")
    runner = app.test_cli_runner()

    listed = runner.invoke(args=["lms", "retention", "--as-of", far])
    assert listed.exit_code == 0, listed.output
    assert "Alte Teilnehmerin" in listed.output and "Andere Person" not in listed.output
    assert first.name in listed.output and "Pseudonymised" not in listed.output
    with app.app_context():
        assert User.by_email("alt@example.org").erased_at is None

    untouched = others(app, kept.id)
    applied = runner.invoke(args=["lms", "retention", "--as-of", far, "--apply"])
    assert applied.exit_code == 0, applied.output
    assert "Pseudonymised 2 of 2." in applied.output
    with app.app_context():
        assert User.by_email("alt@example.org") is None
        assert User.by_email("andere@example.org").erased_at is None
        application = db.session.get(Application, rejected.id)
        assert application.contact_email.endswith("@geloescht.invalid")
        assert application.contact_phone == "" and application.municipality_id == first.id
        emails = {nominee.email for nominee in application.nominees}
        assert f"{first.ags}.1@example.org" in emails
        assert f"{first.ags}.2@example.org" not in emails
        consents = set(db.session.scalars(select(ConsentRecord.email)))
        assert f"kontakt.{first.ags}@example.org" not in consents
        assert f"kontakt.{second.ags}@example.org" in consents
        other = db.session.get(Application, kept.id)
        assert other.contact_email == f"kontakt.{second.ags}@example.org"
        assert all(n.email.startswith("bleibt.") for n in db.session.scalars(
            select(Nominee).where(Nominee.application_id == kept.id)))

    assert others(app, kept.id) == untouched
    again = runner.invoke(args=["lms", "retention", "--as-of", far, "--apply"])
    assert "0 person(s), 0 record(s)" in again.output
    assert "Pseudonymised 0 of 0." in again.output


def test_organisers_see_what_is_due_in_german(app, client, login, organiser, participant,
                                              cohort, municipalities, create_application):
    login(organiser)
    empty = client.get("/admin/retention", headers={"Accept-Language": "de"}).get_data(True)
    assert "Keine Person hat die Aufbewahrungsfrist überschritten." in empty
    assert "Kein Datensatz hat die Aufbewahrungsfrist überschritten." in empty
    first = next(iter(municipalities.values()))
    rejected = create_application(cohort, first, status=ApplicationStatus.REJECTED)
    with app.app_context():
        application = db.session.get(Application, rejected.id)
        application.status_changed_at -= timedelta(days=200)
        db.session.commit()
    page = client.get("/admin/retention").get_data(True)
    url = f"/cohorts/{cohort.id}/applications/{rejected.id}/pseudonymise"
    assert "Datensätze (1)" in page or url in page
    assert "Pseudonymisieren" in client.get(url).get_data(True)
    assert client.post(url).status_code == 302
    with app.app_context():
        assert db.session.get(Application, rejected.id).contact_name.startswith(
            "Gelöschte Kontaktperson")
    assert url not in client.get("/admin/retention").get_data(True)
    client.post("/logout")
    login(participant)
    assert client.get("/admin/retention").status_code == 403


def test_the_record_of_processing_states_the_configured_periods(app, client, login,
                                                               organiser):
    login(organiser)
    with config(app, RETENTION_YEARS_AFTER_COHORT=7, RETENTION_DAYS_AFTER_APPLICATION=90):
        page = client.get("/admin/processing", headers={"Accept-Language": "de"})
    text = page.get_data(True)
    assert "7 Jahre nach dem Ende ihres letzten Durchgangs" in text
    assert "90 Tage nach der Entscheidung" in text
    assert 'href="/admin/retention"' in text
