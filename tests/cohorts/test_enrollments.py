"""People in a cohort: replacing keeps history, seats, mediators and the pool, contact sharing."""

from __future__ import annotations

from sqlalchemy import select

from cohorts.models import ApplicationStatus, Enrollment, EnrollmentKind
from lms.auth.models import User
from lms.extensions import db
from lms.mail import OutboxMessage
from tests.cohorts.conftest import snapshot
from tests.test_csrf import FormCollector

S = ApplicationStatus
EN = {"Accept-Language": "en"}


def enrollments(app, **where) -> list[Enrollment]:
    with app.app_context():
        query = select(Enrollment).order_by(Enrollment.id)
        for name, value in where.items():
            query = query.where(getattr(Enrollment, name) == value)
        found = list(db.session.scalars(query))
        for enrollment in found:
            _ = enrollment.user, enrollment.paired_municipalities
        db.session.expunge_all()
        return found


def test_replacing_ends_the_old_and_starts_a_new_enrollment(app, client, login, organiser,
                                                             cohort, municipalities,
                                                             create_application):
    hamm = municipalities["Hamm"]
    create_application(cohort, hamm, status=S.ACCEPTED)
    leaving = enrollments(app, municipality_id=hamm.id)[0]
    login(organiser)
    assert client.get(f"/cohorts/{cohort.id}/people/{leaving.id}/replace").status_code == 200
    response = client.post(f"/cohorts/{cohort.id}/people/{leaving.id}/replace", data={
        "name": "Nina Nachfolgerin", "email": "nina@hamm.de", "function": "Sozialamt",
        "phone": "", "reason": "Elternzeit"})
    assert response.status_code == 302
    team = enrollments(app, municipality_id=hamm.id)
    assert len(team) == 3  # nothing deleted
    old = next(e for e in team if e.id == leaving.id)
    new = next(e for e in team if e.user.email == "nina@hamm.de")
    assert old.ended_at is not None and old.ended_reason == "Elternzeit"
    assert old.replaced_by_id == new.id and new.ended_at is None
    page = client.get(f"/cohorts/{cohort.id}", headers=EN).get_data(as_text=True)
    assert "Former members" in page and "Elternzeit" in page and "Nina Nachfolgerin" in page
    with app.app_context():
        assert db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.recipient == "nina@hamm.de")).one()


def test_replacement_by_someone_enrolled_elsewhere_changes_nothing(
        app, client, login, organiser, cohort, create_cohort, municipalities,
        create_application, enroll_person):
    create_application(cohort, municipalities["Hamm"], status=S.ACCEPTED)
    other = create_cohort("Studiengruppe 2018")
    create_application(other, municipalities["Köln"], status=S.ACCEPTED)
    busy = enrollments(app, cohort_id=other.id)[0]
    leaving = enrollments(app, cohort_id=cohort.id)[0]
    login(organiser)
    before = snapshot(app)
    for email in (busy.user.email, leaving.user.email, "kaputt@"):
        response = client.post(f"/cohorts/{cohort.id}/people/{leaving.id}/replace", headers=EN,
                               data={"name": "X", "email": email, "function": "", "phone": ""})
        assert response.status_code == 200
        assert snapshot(app) == before


def test_a_municipality_never_exceeds_its_seats(app, client, login, organiser, cohort,
                                                municipalities, create_application):
    hamm = municipalities["Hamm"]
    create_application(cohort, hamm, status=S.ACCEPTED)
    login(organiser)
    before = snapshot(app)
    response = client.post(f"/cohorts/{cohort.id}/people/new", headers=EN, data={
        "person-role": f"m{hamm.id}", "person-name": "Dritte Person",
        "person-email": "drei@hamm.de", "person-function": "", "person-phone": ""})
    assert response.status_code == 200
    assert "already sends 2 persons" in response.get_data(as_text=True)
    assert snapshot(app) == before


def test_people_only_for_municipalities_with_a_place(app, client, login, organiser, cohort,
                                                     municipalities, create_application):
    waiting = create_application(cohort, municipalities["Hamm"], status=S.WAITLISTED)
    login(organiser)
    before = snapshot(app)
    for role in (f"m{waiting.municipality_id}", "m999", "x"):
        response = client.post(f"/cohorts/{cohort.id}/people/new", data={
            "person-role": role, "person-name": "P", "person-email": "p@hamm.de"})
        assert response.status_code == 200
    assert snapshot(app) == before


def test_mediators_are_paired_and_come_from_the_pool(app, client, login, organiser, cohort,
                                                     create_cohort, municipalities,
                                                     create_application):
    for name in ("Hamm", "Duisburg"):
        create_application(cohort, municipalities[name], status=S.ACCEPTED)
    later = create_cohort("Studiengruppe 2018")
    create_application(later, municipalities["Köln"], status=S.ACCEPTED)
    login(organiser)
    response = client.post(f"/cohorts/{cohort.id}/people/new", data={
        "person-role": "mediator", "person-name": "Bernd Koch",
        "person-email": "koch@example.org", "person-function": "Mediator",
        "person-paired": [str(municipalities["Hamm"].id), str(municipalities["Duisburg"].id)]})
    assert response.status_code == 302
    mediator = enrollments(app, kind=EnrollmentKind.MEDIATOR)[0]
    assert {m.name for m in mediator.paired_municipalities} == {"Hamm", "Duisburg"}
    page = client.get(f"/cohorts/{cohort.id}", headers=EN).get_data(as_text=True)
    assert "Paired with Duisburg, Hamm" in page

    pool_page = client.get(f"/cohorts/{later.id}/people/new").get_data(as_text=True)
    assert "Bernd Koch (Mediator)" in pool_page
    before = snapshot(app)  # pairing with a municipality outside the cohort is refused
    response = client.post(f"/cohorts/{later.id}/people/pool", data={
        "pool-user_id": str(mediator.user_id), "pool-paired": [str(municipalities["Hamm"].id)]})
    assert response.status_code == 200
    assert snapshot(app) == before
    response = client.post(f"/cohorts/{later.id}/people/pool", data={
        "pool-user_id": str(mediator.user_id), "pool-paired": [str(municipalities["Köln"].id)]})
    assert response.status_code == 302
    both = enrollments(app, user_id=mediator.user_id)
    assert {e.cohort_id for e in both} == {cohort.id, later.id}
    assert all(e.ended_at is None for e in both)  # mediators may serve several cohorts
    assert f'value="{mediator.user_id}"' not in client.get(
        f"/cohorts/{later.id}/people/new").get_data(as_text=True)  # in the cohort: not offered


def test_ending_an_enrollment_keeps_it(app, client, login, organiser, cohort, municipalities,
                                       create_application):
    create_application(cohort, municipalities["Hamm"], status=S.ACCEPTED)
    member = enrollments(app)[0]
    login(organiser)
    response = client.post(f"/cohorts/{cohort.id}/people/{member.id}/end",
                           data={"reason": "Wechsel in ein anderes Amt"})
    assert response.status_code == 302
    ended = enrollments(app, id=member.id)[0]
    assert ended.ended_at is not None and ended.ended_reason == "Wechsel in ein anderes Amt"
    before = snapshot(app)  # ending twice changes nothing
    client.post(f"/cohorts/{cohort.id}/people/{member.id}/end", data={})
    assert snapshot(app) == before
    assert client.get(f"/cohorts/{cohort.id}/people/{member.id}/replace").status_code == 404


def test_people_decide_whether_their_contact_is_shown(app, client, login, cohort,
                                                      municipalities, create_application,
                                                      create_user):
    create_application(cohort, municipalities["Hamm"], status=S.ACCEPTED)
    create_application(cohort, municipalities["Duisburg"], status=S.ACCEPTED)
    team = enrollments(app)
    me, teammate, other, _ = team
    with app.app_context():  # give the nominees passwords, so they can sign in
        from werkzeug.security import generate_password_hash

        for enrollment in (me, other):
            db.session.get(User, enrollment.user_id).password_hash = generate_password_hash(
                "ein-sicheres-passwort", method=app.config["PASSWORD_HASH_METHOD"])
        db.session.commit()
    login(me.user)
    page = client.get(f"/cohorts/{cohort.id}", headers=EN).get_data(as_text=True)
    assert other.user.display_name in page and other.function in page
    assert other.user.email not in page and teammate.user.email not in page
    assert me.user.email in page  # one's own, always

    client.post("/logout")
    login(other.user)
    # the page's own form, as a browser sends it
    page = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert page.count('name="share"') == 1
    collector = FormCollector()
    collector.feed(page)
    sharing = next(form for form in collector.forms if form["action"].endswith("/contact"))
    assert sharing["action"] == f"/cohorts/{cohort.id}/people/{other.id}/contact"
    assert sharing["hidden"]["share"] == "1"
    response = client.post(sharing["action"], data=sharing["hidden"])
    assert response.status_code == 302
    assert enrollments(app, id=other.id)[0].share_contact
    before = snapshot(app)  # nobody decides for someone else
    assert client.post(f"/cohorts/{cohort.id}/people/{me.id}/contact",
                       data={"share": "1"}).status_code == 403
    assert snapshot(app) == before

    client.post("/logout")
    login(me.user)
    page = client.get(f"/cohorts/{cohort.id}", headers=EN).get_data(as_text=True)
    assert other.user.email in page
    assert teammate.user.email not in page
