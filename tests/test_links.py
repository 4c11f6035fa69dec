"""Invitation and password-reset links: signed, expiring, single-use, mailed via the outbox."""

from __future__ import annotations

import re
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from lms.auth.models import Role, User
from lms.auth.tokens import LinkPurpose, _serializer, make_link_token
from lms.extensions import db
from lms.mail import OutboxMessage
from tests.conftest import TEST_PASSWORD

EN = {"Accept-Language": "en"}
NEW_PASSWORD = "mein-eigenes-passwort"
LINK = re.compile(r"http://localhost(/(?:invitation|password/reset)/[^\s]+)")


def outbox(app, recipient: str | None = None) -> list[OutboxMessage]:
    with app.app_context():
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if recipient is not None:
            query = query.where(OutboxMessage.recipient == recipient)
        messages = db.session.scalars(query).all()
        db.session.expunge_all()
        return list(messages)


def link_in(message: OutboxMessage) -> str:
    found = LINK.findall(message.body)
    assert len(found) == 1, message.body
    return found[0]


def stored(app, email: str) -> User:
    with app.app_context():
        user = User.by_email(email)
        assert user is not None
        db.session.expunge(user)
        return user


def token_for(app, email: str, purpose: LinkPurpose) -> str:
    with app.test_request_context():
        return make_link_token(User.by_email(email), purpose)


def url_for_token(token: str, purpose: LinkPurpose) -> str:
    prefix = "/invitation/" if purpose is LinkPurpose.INVITATION else "/password/reset/"
    return prefix + token


def set_password(client, url: str, password: str = NEW_PASSWORD, **kwargs):
    return client.post(url, data={"password": password, "confirm": password}, **kwargs)


def signed_in_as(client) -> str | None:
    """The display name in the header of the dashboard, or None if not signed in."""
    response = client.get("/")
    if response.status_code == 302:
        return None
    match = re.search(r'<a href="/account">([^<]*)</a>', response.get_data(as_text=True))
    return match.group(1) if match else None


@contextmanager
def config(app, **values):
    saved = {key: app.config[key] for key in values}
    app.config.update(values)
    try:
        yield
    finally:
        app.config.update(saved)


# --- the invitation journey ------------------------------------------------------------


def test_invitation_journey(app, client, login, organiser):
    login(organiser)
    response = client.post("/admin/people/new", data={
        "email": "Neu.Person@Example.org", "display_name": "Nora Neu", "roles": ["participant"],
        "language": "en", "active": "y", "send_invitation": "y",
    })
    assert response.status_code == 302
    person = stored(app, "neu.person@example.org")
    assert urlsplit(response.location).path == f"/admin/people/{person.id}"
    assert person.password_hash is None

    [message] = outbox(app)
    assert message.recipient == "neu.person@example.org"
    assert message.user_id == person.id
    assert message.subject == "Your access to the certificate course"
    assert "Nora Neu" in message.body
    assert "14 days" in message.body and "hours" not in message.body
    url = link_in(message)
    assert url.startswith("/invitation/")

    guest = app.test_client()
    form = guest.get(url, headers=EN)
    assert form.status_code == 200
    page = form.get_data(as_text=True)
    assert 'name="password"' in page and 'name="confirm"' in page
    assert "neu.person@example.org" in page

    response = set_password(guest, url)
    assert response.status_code == 302 and urlsplit(response.location).path == "/"
    assert signed_in_as(guest) == "Nora Neu"
    person = stored(app, "neu.person@example.org")
    assert check_password_hash(person.password_hash, NEW_PASSWORD)
    assert person.last_login_at is not None

    # the link is spent
    again = app.test_client().get(url, headers=EN)
    assert again.status_code == 410
    assert "already been used" in again.get_data(as_text=True)
    reuse = set_password(app.test_client(), url, "noch-ein-anderes-passwort", headers=EN)
    assert reuse.status_code == 410
    assert check_password_hash(stored(app, person.email).password_hash, NEW_PASSWORD)

    # and the new password signs in normally
    other = app.test_client()
    assert other.post("/login", data={"email": person.email,
                                      "password": NEW_PASSWORD}).status_code == 302


def test_following_a_link_replaces_the_signed_in_person(app, client, login, organiser,
                                                        create_user):
    create_user("gast@example.org", Role.PARTICIPANT, name="Gustav Gast", password=None)
    url = url_for_token(token_for(app, "gast@example.org", LinkPurpose.INVITATION),
                        LinkPurpose.INVITATION)
    login(organiser)
    assert set_password(client, url).status_code == 302
    assert signed_in_as(client) == "Gustav Gast"
    assert client.get("/admin/people").status_code == 403


def test_mismatched_confirmation_keeps_the_link(app, client, create_user):
    create_user("gast@example.org", password=None)
    url = url_for_token(token_for(app, "gast@example.org", LinkPurpose.INVITATION),
                        LinkPurpose.INVITATION)
    response = client.post(url, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "!"})
    assert response.status_code == 200
    assert 'id="confirm-error"' in response.get_data(as_text=True)
    assert stored(app, "gast@example.org").password_hash is None
    assert signed_in_as(client) is None
    assert client.get(url).status_code == 200


# --- expiry ----------------------------------------------------------------------------


@pytest.mark.parametrize("purpose", list(LinkPurpose))
def test_expired_link(app, client, create_user, purpose):
    create_user("alt@example.org", password=None if purpose is LinkPurpose.INVITATION
                else TEST_PASSWORD)
    before = stored(app, "alt@example.org").password_hash
    url = url_for_token(token_for(app, "alt@example.org", purpose), purpose)
    key = "INVITATION_MAX_AGE" if purpose is LinkPurpose.INVITATION else "PASSWORD_RESET_MAX_AGE"
    other_key = ({"INVITATION_MAX_AGE", "PASSWORD_RESET_MAX_AGE"} - {key}).pop()

    with config(app, **{key: -1}):
        response = client.get(url, headers=EN)
        assert response.status_code == 410
        assert "expired" in response.get_data(as_text=True)
        assert set_password(client, url).status_code == 410
    assert stored(app, "alt@example.org").password_hash == before
    assert signed_in_as(client) is None

    # only the setting for this kind of link counts
    with config(app, **{other_key: -1}):
        assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200


def test_link_expires_after_max_age_seconds(app, client, create_user):
    import time

    create_user("alt@example.org", password=None)
    url = url_for_token(token_for(app, "alt@example.org", LinkPurpose.INVITATION),
                        LinkPurpose.INVITATION)
    with config(app, INVITATION_MAX_AGE=0):
        time.sleep(1.1)
        assert client.get(url).status_code == 410


# --- broken links ----------------------------------------------------------------------


def tampered(token: str) -> list[str]:
    payload, timestamp, signature = token.rsplit(".", 2)
    flip = "A" if signature[5] != "A" else "B"
    return [
        f"{payload}.{timestamp}.{signature[:5]}{flip}{signature[6:]}",  # signature changed
        f"{payload[:-2]}{'xy' if payload[-2:] != 'xy' else 'zz'}.{timestamp}.{signature}",
        f"{payload}.{timestamp}",  # signature cut off
        "not-a-token",
        token[:-1],
    ]


@pytest.mark.parametrize("purpose", list(LinkPurpose))
def test_tampered_link_is_not_found(app, client, create_user, purpose):
    create_user("ziel@example.org", password=None if purpose is LinkPurpose.INVITATION
                else TEST_PASSWORD)
    before = stored(app, "ziel@example.org").password_hash
    token = token_for(app, "ziel@example.org", purpose)
    assert client.get(url_for_token(token, purpose)).status_code == 200
    for bad in tampered(token):
        response = client.get(url_for_token(bad, purpose), headers=EN)
        assert response.status_code == 404, bad
        assert "This link is not valid" in response.get_data(as_text=True)
        assert set_password(client, url_for_token(bad, purpose)).status_code == 404
    assert stored(app, "ziel@example.org").password_hash == before


def test_link_of_one_kind_does_not_work_as_the_other(app, client, create_user):
    create_user("ziel@example.org", password=None)
    invitation = token_for(app, "ziel@example.org", LinkPurpose.INVITATION)
    reset = token_for(app, "ziel@example.org", LinkPurpose.PASSWORD_RESET)
    assert client.get(f"/password/reset/{invitation}").status_code == 404
    assert client.get(f"/invitation/{reset}").status_code == 404


def test_link_signed_with_another_key_is_not_found(app, client, create_user):
    user = create_user("ziel@example.org", password=None)
    with config(app, SECRET_KEY="another-secret-key-entirely-0123"), app.test_request_context():
        token = make_link_token(db.session.get(User, user.id), LinkPurpose.INVITATION)
    assert client.get(f"/invitation/{token}").status_code == 404


@pytest.mark.parametrize("payload", [{"u": 99999, "f": "x"}, [1, 2], "text", {"f": "x"},
                                     {"u": "1", "f": "x"}, {"u": None}])
def test_signed_link_with_unusable_content_is_not_found(app, client, payload):
    with app.test_request_context():
        token = _serializer(LinkPurpose.INVITATION).dumps(payload)
    assert client.get(f"/invitation/{token}").status_code == 404


@pytest.mark.parametrize("purpose", list(LinkPurpose))
def test_link_for_deactivated_person_is_invalid(app, client, create_user, purpose):
    user = create_user("weg@example.org", password=None if purpose is LinkPurpose.INVITATION
                       else TEST_PASSWORD)
    url = url_for_token(token_for(app, user.email, purpose), purpose)
    with app.app_context():
        db.session.get(User, user.id).active = False
        db.session.commit()
    before = stored(app, user.email).password_hash
    response = client.get(url, headers=EN)
    assert response.status_code == 404
    assert "This link is not valid" in response.get_data(as_text=True)
    assert set_password(client, url).status_code == 404
    assert stored(app, user.email).password_hash == before
    assert signed_in_as(client) is None


# --- forgotten password ----------------------------------------------------------------


def forgot(client, email: str):
    return client.post("/password/forgot", data={"email": email}, headers=EN)


def without_csrf(page: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]*"', "", page)


def test_forgot_password_answers_alike_for_known_and_unknown(app, participant):
    known_client, unknown_client = app.test_client(), app.test_client()
    known = forgot(known_client, participant.email)
    unknown = forgot(unknown_client, "niemand@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known.location == unknown.location
    assert urlsplit(known.location).path == "/login"
    known_page = known_client.get("/login", headers=EN).get_data(as_text=True)
    unknown_page = unknown_client.get("/login", headers=EN).get_data(as_text=True)
    assert "If an account exists for this address" in known_page
    assert without_csrf(known_page) == without_csrf(unknown_page)

    messages = outbox(app)
    assert [m.recipient for m in messages] == [participant.email]
    assert link_in(messages[0]).startswith("/password/reset/")


def test_forgot_password_sends_nothing_to_deactivated_people(app, client, create_user):
    create_user("weg@example.org", active=False)
    assert forgot(client, "weg@example.org").status_code == 302
    assert outbox(app) == []


def test_forgot_password_matches_email_case_insensitively(app, client, participant):
    assert forgot(client, "  TEILNEHMER@example.ORG ").status_code == 302
    assert [m.recipient for m in outbox(app)] == [participant.email]


def test_forgot_password_refuses_malformed_address(app, client):
    response = forgot(client, "kein-at-zeichen")
    assert response.status_code == 200
    assert 'id="email-error"' in response.get_data(as_text=True)
    assert outbox(app) == []


def test_reset_mail_in_the_persons_language(app, client, create_user):
    create_user("english@example.org", language="en")
    forgot(client, "english@example.org")
    [message] = outbox(app)
    assert message.subject == "Reset your password"
    assert "valid for 2 hours" in message.body


def test_reset_link_works_once(app, client, participant):
    forgot(client, participant.email)
    url = link_in(outbox(app)[0])
    browser = app.test_client()
    assert browser.get(url).status_code == 200
    response = set_password(browser, url)
    assert response.status_code == 302 and urlsplit(response.location).path == "/"
    assert signed_in_as(browser) == participant.display_name

    fresh = app.test_client()
    assert fresh.post("/login", data={"email": participant.email,
                                      "password": TEST_PASSWORD}).status_code == 200
    assert fresh.post("/login", data={"email": participant.email,
                                      "password": NEW_PASSWORD}).status_code == 302

    again = app.test_client()
    response = again.get(url, headers=EN)
    assert response.status_code == 410
    assert "already been used" in response.get_data(as_text=True)
    assert set_password(again, url, "drittes-passwort-1234").status_code == 410
    assert check_password_hash(stored(app, participant.email).password_hash, NEW_PASSWORD)


def test_using_one_reset_link_spends_the_others(app, client, participant):
    forgot(client, participant.email)
    forgot(client, participant.email)
    first, second = (link_in(m) for m in outbox(app))
    assert set_password(app.test_client(), second).status_code == 302
    assert app.test_client().get(first).status_code == 410


def test_reset_ends_other_sessions(app, login, client, participant):
    login(participant)
    assert signed_in_as(client) == participant.display_name
    url = url_for_token(token_for(app, participant.email, LinkPurpose.PASSWORD_RESET),
                        LinkPurpose.PASSWORD_RESET)
    assert set_password(app.test_client(), url).status_code == 302
    assert signed_in_as(client) is None


def test_password_set_is_audited(app, client, create_user):
    from lms.audit import AuditEntry

    user = create_user("gast@example.org", password=None)
    url = url_for_token(token_for(app, user.email, LinkPurpose.INVITATION),
                        LinkPurpose.INVITATION)
    set_password(client, url)
    with app.app_context():
        actions = db.session.scalars(
            select(AuditEntry.action).where(AuditEntry.object_type == "users",
                                            AuditEntry.object_id == user.id)).all()
        assert actions == ["user.password_set"]
        assert db.session.scalar(select(func.count(AuditEntry.id))) == 1
