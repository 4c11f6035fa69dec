"""``flask lms seed-demo`` and ``flask lms create-user``."""

from __future__ import annotations

from sqlalchemy import func, select

from lms import demo
from lms.auth.models import Role, User
from lms.auth.services import authenticate
from lms.extensions import db
from lms.mail import OutboxMessage


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_seed_demo_creates_people_once_and_prints_the_logins(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["lms", "seed-demo"])
    assert first.exit_code == 0, first.output
    for email, _role in demo.DEMO_LOGINS:
        assert email in first.output
    assert demo.DEMO_PASSWORD in first.output
    people = _count(app, User)
    assert people >= len(demo.DEMO_PEOPLE)  # plugins may add theirs (the advice pool)

    second = runner.invoke(args=["lms", "seed-demo"])
    assert second.exit_code == 0, second.output
    assert _count(app, User) == people


def test_demo_has_two_people_for_each_of_twenty_two_municipalities(app):
    teams: dict[str, int] = {}
    for person in demo.DEMO_PARTICIPANTS:
        teams[person.municipality] = teams.get(person.municipality, 0) + 1
    assert len(teams) == 22
    assert set(teams.values()) == {2}
    cohorts = list({p.municipality: p.cohort for p in demo.DEMO_PARTICIPANTS}.values())
    assert cohorts.count(demo.FIRST) == 6
    assert cohorts.count(demo.SECOND) == 10
    assert cohorts.count(demo.CURRENT) == 6


def test_demo_logins_work_with_their_roles(app):
    app.test_cli_runner().invoke(args=["lms", "seed-demo"])
    with app.app_context():
        for email, role in demo.DEMO_LOGINS:
            user = authenticate(email, demo.DEMO_PASSWORD)
            assert user is not None, email
            assert user.has_role(role)
        herne = next(p for p in demo.DEMO_PARTICIPANTS if p.email == "teilnehmer@example.org")
        assert (herne.municipality, herne.cohort) == ("Herne", demo.CURRENT)


def test_create_user_with_password(app):
    result = app.test_cli_runner().invoke(args=[
        "lms", "create-user", "--email", "Chefin@Example.org", "--name", "Die Chefin",
        "--role", "organiser", "--role", "lecturer", "--password", "ein-langes-passwort",
    ])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = authenticate("chefin@example.org", "ein-langes-passwort")
        assert user is not None
        assert user.roles == {Role.ORGANISER, Role.LECTURER}
    assert _count(app, OutboxMessage) == 0


def test_create_user_without_password_sends_an_invitation(app):
    result = app.test_cli_runner().invoke(args=[
        "lms", "create-user", "--email", "neu@example.org", "--name", "Neu", "--role",
        "lecturer",
    ])
    assert result.exit_code == 0, result.output
    with app.app_context():
        message = db.session.scalars(select(OutboxMessage)).one()
        assert message.recipient == "neu@example.org"
        assert f"{app.config['BASE_URL']}/invitation/" in message.body


def test_create_user_refuses_duplicates_and_short_passwords(app):
    runner = app.test_cli_runner()
    base = ["lms", "create-user", "--name", "X", "--role", "participant"]
    assert runner.invoke(args=[*base, "--email", "a@example.org"]).exit_code == 0
    duplicate = runner.invoke(args=[*base, "--email", "A@example.org"])
    assert duplicate.exit_code != 0
    short = runner.invoke(args=[*base, "--email", "b@example.org", "--password", "kurz"])
    assert short.exit_code != 0
    assert _count(app, User) == 1
