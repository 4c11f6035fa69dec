"""Organisers decide: history rows, capacity, accounts and invitations, withdrawal, forged ids."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from cohorts.applications import change_status
from cohorts.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Cohort,
    Enrollment,
    EnrollmentKind,
)
from cohorts.people import PersonDetails
from lms.auth.models import Role, User
from lms.errors import DomainError
from lms.extensions import db
from lms.mail import OutboxMessage
from tests.cohorts.conftest import snapshot

S = ApplicationStatus
EN = {"Accept-Language": "en"}


def decide(client, application: Application, status: ApplicationStatus, reason: str = "",
           cohort_id: int | None = None, *, confirmed: bool = True):
    """The decision as the organiser makes it: sent, and confirmed where it asks for that."""
    return client.post(
        f"/cohorts/{cohort_id or application.cohort_id}/applications/{application.id}/decision",
        data={"status": status.value, "reason": reason, "confirmed": "1" if confirmed else ""},
        headers=EN)


def status_of(app, application: Application) -> ApplicationStatus:
    with app.app_context():
        return db.session.get(Application, application.id).status


def history(app, application: Application) -> list[tuple]:
    with app.app_context():
        return [(e.from_status, e.to_status, e.actor_id, e.reason) for e in db.session.scalars(
            select(ApplicationEvent).where(ApplicationEvent.application_id == application.id)
            .order_by(ApplicationEvent.id))]


def test_each_state_change_keeps_a_history_row(app, client, login, organiser, cohort,
                                               municipalities, create_application):
    application = create_application(cohort, municipalities["Hamm"])
    login(organiser)
    assert decide(client, application, S.SHORTLISTED, "Gute Strukturen").status_code == 302
    assert decide(client, application, S.WAITLISTED).status_code == 302
    assert decide(client, application, S.ACCEPTED, "Platz frei").status_code == 302
    assert decide(client, application, S.WITHDRAWN, "Stadtrat dagegen").status_code == 302
    assert history(app, application) == [
        (None, S.SUBMITTED, None, ""),
        (S.SUBMITTED, S.SHORTLISTED, organiser.id, "Gute Strukturen"),
        (S.SHORTLISTED, S.WAITLISTED, organiser.id, ""),
        (S.WAITLISTED, S.ACCEPTED, organiser.id, "Platz frei"),
        (S.ACCEPTED, S.WITHDRAWN, organiser.id, "Stadtrat dagegen"),
    ]
    page = client.get(f"/cohorts/{cohort.id}/applications/{application.id}",
                      headers=EN).get_data(as_text=True)
    assert "Stadtrat dagegen" in page and "Olga Organisatorin" in page


def test_rejection_needs_a_reason_and_is_announced(app, client, login, organiser, cohort,
                                                   municipalities, create_application):
    application = create_application(cohort, municipalities["Hamm"])
    login(organiser)
    before = snapshot(app)
    response = decide(client, application, S.REJECTED)
    assert response.status_code == 200
    assert "Please give a reason for the rejection." in response.get_data(as_text=True)
    assert snapshot(app) == before
    assert decide(client, application, S.REJECTED, "Nicht im Zielgebiet").status_code == 302
    with app.app_context():
        mail = db.session.scalars(select(OutboxMessage)).one()
        assert mail.recipient == f"kontakt.{municipalities['Hamm'].ags}@example.org"
        assert "Nicht im Zielgebiet" not in mail.body  # the reason stays internal


@pytest.mark.parametrize(("start", "target"), [
    (S.ACCEPTED, S.REJECTED), (S.ACCEPTED, S.SHORTLISTED), (S.WITHDRAWN, S.ACCEPTED),
    (S.SUBMITTED, S.SUBMITTED), (S.REJECTED, S.WITHDRAWN),
])
def test_moves_that_are_not_allowed(app, client, login, organiser, cohort, municipalities,
                                    create_application, start, target):
    application = create_application(cohort, municipalities["Hamm"], status=S.SUBMITTED)
    if start is not S.SUBMITTED:
        with app.test_request_context():
            if start is S.WITHDRAWN:
                change_status(db.session.get(Application, application.id), S.WITHDRAWN,
                              actor=None, notify=False)
            else:
                change_status(db.session.get(Application, application.id), start, actor=None,
                              notify=False, reason="x")
            db.session.commit()
    login(organiser)
    before = snapshot(app)
    response = decide(client, application, target, "Grund")
    assert response.status_code == 200
    assert snapshot(app) == before


def test_unknown_state_is_refused(app, client, login, organiser, cohort, municipalities,
                                  create_application):
    application = create_application(cohort, municipalities["Hamm"])
    login(organiser)
    before = snapshot(app)
    response = client.post(f"/cohorts/{cohort.id}/applications/{application.id}/decision",
                           data={"status": "crowned", "reason": ""})
    assert response.status_code == 200
    assert snapshot(app) == before


def test_accepting_creates_accounts_enrolls_and_invites(app, client, login, organiser, cohort,
                                                        municipalities, create_application,
                                                        create_user):
    existing = create_user("1@bestand.de", Role.LECTURER, name="Vorhanden")
    hamm = municipalities["Hamm"]
    application = create_application(cohort, hamm, nominees=(
        PersonDetails("Neu Person", "neu@hamm.de", "Integrationsbüro"),
        PersonDetails("Vorhanden", "1@BESTAND.de", "Sozialamt")))
    login(organiser)
    response = decide(client, application, S.ACCEPTED)
    assert response.status_code == 302
    with app.app_context():
        new = User.by_email("neu@hamm.de")
        assert new.roles == {Role.PARTICIPANT} and not new.has_password
        reused = User.by_email("1@bestand.de")
        assert reused.id == existing.id
        assert reused.roles == {Role.PARTICIPANT, Role.LECTURER}
        enrollments = db.session.scalars(select(Enrollment).order_by(Enrollment.id)).all()
        assert [(e.user_id, e.municipality_id, e.kind, e.function) for e in enrollments] == [
            (new.id, hamm.id, EnrollmentKind.MUNICIPALITY, "Integrationsbüro"),
            (reused.id, hamm.id, EnrollmentKind.MUNICIPALITY, "Sozialamt")]
        mails = {m.recipient: m for m in db.session.scalars(select(OutboxMessage))}
        assert re.search(r"/invitation/\S+", mails["neu@hamm.de"].body)
        assert "/invitation/" not in mails["1@bestand.de"].body
        assert "/cohorts/mine" in mails["1@bestand.de"].body
        assert application.contact_email in mails  # the decision, to the contact person


def test_capacity_is_enforced(app, client, login, organiser, create_cohort, municipalities,
                              create_application):
    small = create_cohort(capacity=2)
    first, second, third = (create_application(small, municipalities[name])
                            for name in ("Hamm", "Duisburg", "Bielefeld"))
    login(organiser)
    assert decide(client, first, S.ACCEPTED).status_code == 302
    assert decide(client, second, S.ACCEPTED).status_code == 302
    before = snapshot(app)
    response = decide(client, third, S.ACCEPTED)
    assert response.status_code == 200
    assert "is full: all 2 places are taken" in response.get_data(as_text=True)
    assert snapshot(app) == before
    assert decide(client, third, S.WAITLISTED).status_code == 302


def test_withdrawal_frees_the_place_and_offers_the_waiting_list(
        app, client, login, organiser, create_cohort, municipalities, create_application):
    small = create_cohort(capacity=1)
    accepted = create_application(small, municipalities["Hamm"], status=S.ACCEPTED)
    later = create_application(small, municipalities["Bochum"], status=S.WAITLISTED)
    earlier = create_application(small, municipalities["Duisburg"], status=S.WAITLISTED)
    with app.app_context():  # Duisburg has waited longer
        db.session.get(Application, earlier.id).status_changed_at = \
            db.session.get(Application, later.id).status_changed_at.replace(year=2017)
        db.session.commit()
    login(organiser)
    response = decide(client, accepted, S.WITHDRAWN, "Ratsbeschluss fehlt")
    assert response.status_code == 302
    page = client.get(response.location, headers=EN).get_data(as_text=True)
    assert "A place is free. Next on the waiting list: Duisburg." in page  # the flash
    assert f"/applications/{earlier.id}" in page  # the notice links to it
    with app.app_context():
        team = db.session.scalars(select(Enrollment).where(
            Enrollment.municipality_id == municipalities["Hamm"].id)).all()
        assert len(team) == 2 and all(e.ended_at is not None for e in team)
        assert {e.ended_reason for e in team} == {"Ratsbeschluss fehlt"}
    assert decide(client, earlier, S.ACCEPTED).status_code == 302
    assert status_of(app, earlier) is S.ACCEPTED


def test_a_nominee_enrolled_meanwhile_blocks_acceptance(app, client, login, organiser, cohort,
                                                        create_cohort, municipalities,
                                                        create_application):
    hamm_app = create_application(cohort, municipalities["Hamm"], nominees=(
        PersonDetails("A", "doppelt@example.org"), PersonDetails("B", "b@example.org")))
    other = create_cohort("Studiengruppe 2018")
    create_application(other, municipalities["Köln"], status=S.ACCEPTED, nominees=(
        PersonDetails("A", "doppelt@example.org"), PersonDetails("C", "c@example.org")))
    login(organiser)
    before = snapshot(app)
    response = decide(client, hamm_app, S.ACCEPTED)
    assert response.status_code == 200
    assert "doppelt@example.org is already enrolled in another cohort" in response.get_data(
        as_text=True)
    assert snapshot(app) == before


def test_forged_ids_of_another_cohort(app, client, login, organiser, cohort, create_cohort,
                                      municipalities, create_application):
    other = create_cohort("Studiengruppe 2018")
    foreign = create_application(other, municipalities["Köln"])
    login(organiser)
    before = snapshot(app)
    assert client.get(f"/cohorts/{cohort.id}/applications/{foreign.id}").status_code == 404
    assert decide(client, foreign, S.ACCEPTED, cohort_id=cohort.id).status_code == 404
    assert client.post(f"/cohorts/999/applications/{foreign.id}/decision",
                       data={"status": "accepted"}).status_code == 404
    assert client.post(f"/cohorts/{cohort.id}/applications/999/decision",
                       data={"status": "accepted"}).status_code == 404
    assert snapshot(app) == before


def test_participants_and_lecturers_cannot_decide(app, client, login, participant, lecturer,
                                                  cohort, municipalities, create_application):
    application = create_application(cohort, municipalities["Hamm"])
    before = snapshot(app)
    for person in (participant, lecturer):
        login(person)
        assert decide(client, application, S.ACCEPTED).status_code == 403
        client.post("/logout")
    anonymous = decide(client, application, S.ACCEPTED)
    assert anonymous.status_code == 302 and "/login" in anonymous.location
    assert snapshot(app) == before


def test_application_list_filters(app, client, login, organiser, cohort, municipalities,
                                  create_application):
    create_application(cohort, municipalities["Hamm"], status=S.SHORTLISTED)
    create_application(cohort, municipalities["Köln"])
    create_application(cohort, municipalities["Kreis Lippe"], status=S.REJECTED)
    login(organiser)

    def listed(query: str = "") -> set[str]:
        page = client.get(f"/cohorts/{cohort.id}/applications{query}").get_data(as_text=True)
        return {name for name in ("Hamm", "Köln", "Kreis Lippe") if f">{name}</a>" in page}

    assert listed() == {"Hamm", "Köln", "Kreis Lippe"}
    assert listed("?status=shortlisted") == {"Hamm"}
    assert listed("?region=Detmold") == {"Kreis Lippe"}
    assert listed("?q=k%C3%B6") == {"Köln"}
    assert listed("?status=bogus") == {"Hamm", "Köln", "Kreis Lippe"}


def test_change_status_raises_domain_errors_for_services(app, cohort, municipalities,
                                                         create_application):
    application = create_application(cohort, municipalities["Hamm"], status=S.REJECTED)
    with app.test_request_context(), pytest.raises(DomainError):
        change_status(db.session.get(Application, application.id), S.WITHDRAWN, actor=None)
    with app.app_context():
        assert db.session.scalar(select(func.count(Cohort.id))) == 1


def test_accepting_asks_first_and_says_what_will_happen(app, client, login, organiser, cohort,
                                                        municipalities, create_application):
    application = create_application(cohort, municipalities["Hamm"])
    login(organiser)
    before = snapshot(app)
    response = decide(client, application, S.ACCEPTED, "Platz frei", confirmed=False)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert snapshot(app) == before
    assert "Accept the application of Hamm?" in page
    assert "Studiengruppe 2017 then has 2 free places left." in page
    assert "The 2 nominated people are enrolled" in page
    assert "is told of the decision by mail" in page
    form = re.search(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', page, re.S)
    assert form.group(1).endswith(f"/applications/{application.id}/decision")
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form.group(2)))
    assert {"status": "accepted", "reason": "Platz frei", "confirmed": "1"}.items() <= \
        fields.items()
    assert client.post(form.group(1), data=fields).status_code == 302
    assert status_of(app, application) is S.ACCEPTED


@pytest.mark.parametrize(("target", "reason", "question"), [
    (S.REJECTED, "Keine Strukturen", "Reject the application of Hamm?"),
    (S.WITHDRAWN, "", "Withdraw the application of Hamm?"),
])
def test_rejecting_and_withdrawing_ask_first(app, client, login, organiser, cohort,
                                             municipalities, create_application, target,
                                             reason, question):
    application = create_application(cohort, municipalities["Hamm"])
    login(organiser)
    before = snapshot(app)
    page = decide(client, application, target, reason, confirmed=False).get_data(as_text=True)
    assert question in page
    assert snapshot(app) == before


def test_a_move_that_cannot_be_made_is_refused_before_it_is_confirmed(
        app, client, login, organiser, cohort, municipalities, create_application):
    application = create_application(cohort, municipalities["Hamm"])
    login(organiser)
    response = decide(client, application, S.REJECTED, "", confirmed=False)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="reason-error"' in page and "Reject the application" not in page


def test_other_moves_need_no_confirmation(app, client, login, organiser, cohort,
                                          municipalities, create_application):
    application = create_application(cohort, municipalities["Hamm"])
    login(organiser)
    assert decide(client, application, S.SHORTLISTED, confirmed=False).status_code == 302
    assert status_of(app, application) is S.SHORTLISTED
