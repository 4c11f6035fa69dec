"""Signing in and out, remember-me, safe redirects, password rules and the sign-in rate limit."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from werkzeug.security import check_password_hash

from lms.auth import services
from lms.auth.models import Role, User
from lms.auth.tokens import LinkPurpose, make_link_token
from lms.db import utcnow
from lms.errors import DomainError
from lms.extensions import db
from tests.conftest import TEST_PASSWORD

EN = {"Accept-Language": "en"}
NEW_PASSWORD = "ein-neues-langes-passwort"
FLASH = re.compile(r'<p class="flash flash--(\w+)">(.*?)</p>', re.S)


def flashes(response) -> list[tuple[str, str]]:
    return FLASH.findall(response.get_data(as_text=True))


def path_of(response) -> str:
    return urlsplit(response.location).path


def stored(app, email: str) -> User:
    """A fresh copy of the person from the database (detached, attributes loaded)."""
    with app.app_context():
        user = User.by_email(email)
        assert user is not None
        _ = user.role_links
        db.session.expunge(user)
        return user


def signed_in(client) -> bool:
    response = client.get("/")
    if response.status_code == 200:
        return True
    assert response.status_code == 302 and path_of(response) == "/login"
    return False


def sign_in(client, email: str, password: str = TEST_PASSWORD, **data):
    return client.post("/login", data={"email": email, "password": password, **data},
                       headers=EN)


# --- signing in ------------------------------------------------------------------------


def test_sign_in_redirects_to_dashboard_and_sets_last_login(app, client, participant):
    assert stored(app, participant.email).last_login_at is None
    before = utcnow()
    response = sign_in(client, participant.email)
    assert response.status_code == 302
    assert path_of(response) == "/"
    last = stored(app, participant.email).last_login_at
    assert last is not None
    assert before - timedelta(seconds=2) <= last <= utcnow() + timedelta(seconds=2)
    page = client.get("/", headers=EN)
    assert page.status_code == 200
    assert participant.display_name in page.get_data(as_text=True)


@pytest.mark.parametrize("typed", ["TEILNEHMER@EXAMPLE.ORG", "Teilnehmer@Example.org",
                                   "  teilnehmer@example.org  "])
def test_email_is_case_insensitive(client, participant, typed):
    response = sign_in(client, typed)
    assert response.status_code == 302
    assert signed_in(client)


def test_wrong_password_and_unknown_email_look_the_same(client, participant):
    wrong = sign_in(client, participant.email, "falsches-passwort-123")
    unknown = sign_in(client, "niemand@example.org", "falsches-passwort-123")
    assert wrong.status_code == unknown.status_code == 200
    assert flashes(wrong) == flashes(unknown) == [("error", "Email address or password is wrong.")]
    # The pages differ only in the address typed into the form (and the timed CSRF token).
    assert (comparable(wrong, participant.email)
            == comparable(unknown, "niemand@example.org"))
    assert not signed_in(client)


def comparable(response, email: str) -> str:
    body = response.get_data(as_text=True).replace(email, "EMAIL")
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token" value=""', body)


@pytest.mark.parametrize("email", ["teilnehmer@example.org", "niemand@example.org",
                                   "eingeladen@example.org", "weg@example.org"])
def test_every_failure_checks_a_hash_of_the_configured_cost(app, client, participant,
                                                             create_user, monkeypatch, email):
    """Unknown addresses must not answer faster or slower than known ones."""
    create_user("eingeladen@example.org", password=None)
    create_user("weg@example.org", active=False)
    checked: list[str] = []
    real_check = services.check_password_hash

    def recording_check(pwhash: str, password: str) -> bool:
        checked.append(pwhash)
        return real_check(pwhash, password)

    monkeypatch.setattr(services, "check_password_hash", recording_check)
    response = sign_in(client, email, "falsches-passwort-123")
    assert response.status_code == 200
    assert len(checked) == 1
    assert checked[0].startswith(app.config["PASSWORD_HASH_METHOD"] + "$")


def test_deactivated_person_cannot_sign_in(app, client, create_user):
    user = create_user("weg@example.org", active=False)
    response = sign_in(client, user.email)
    assert response.status_code == 200
    assert flashes(response) == [("error", "Email address or password is wrong.")]
    assert not signed_in(client)
    assert stored(app, user.email).last_login_at is None


def test_person_without_password_cannot_sign_in(app, client, create_user):
    user = create_user("eingeladen@example.org", password=None)
    for password in (TEST_PASSWORD, "unset", "x" * 12):
        response = sign_in(client, user.email, password)
        assert response.status_code == 200
        assert flashes(response) == [("error", "Email address or password is wrong.")]
    assert not signed_in(client)
    assert stored(app, user.email).password_hash is None


def test_empty_fields_are_refused(client, participant):
    response = client.post("/login", data={"email": participant.email, "password": ""})
    assert response.status_code == 200
    assert 'id="password-error"' in response.get_data(as_text=True)
    assert not signed_in(client)


def test_deactivating_ends_an_open_session(app, client, login, participant):
    login(participant)
    assert signed_in(client)
    with app.app_context():
        User.by_email(participant.email).active = False
        db.session.commit()
    assert not signed_in(client)


# --- the next parameter ----------------------------------------------------------------


def test_anonymous_visit_sends_to_login_and_back(client, organiser):
    response = client.get("/admin/people?q=olga")
    assert response.status_code == 302 and path_of(response) == "/login"
    next_target = parse_qs(urlsplit(response.location).query)["next"][0]
    assert next_target == "/admin/people?q=olga"
    response = client.post(response.location,
                           data={"email": organiser.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.location == "/admin/people?q=olga"


@pytest.mark.parametrize("target", ["/account", "/admin/people?role=lecturer&page=2"])
def test_local_next_is_honoured(client, organiser, target):
    response = client.post("/login", query_string={"next": target},
                           data={"email": organiser.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.location == target


EVIL_TARGETS = [
    "//evil.example",
    "//evil.example/login",
    "https://evil.example",
    "https://evil.example/",
    "http:evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "javascript:alert(1)",
    "evil.example",
    "///evil.example",
]


@pytest.mark.parametrize("target", EVIL_TARGETS)
def test_foreign_next_is_ignored_on_sign_in(client, participant, target):
    response = client.post("/login", query_string={"next": target},
                           data={"email": participant.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.location == "/"
    assert signed_in(client)


@pytest.mark.parametrize("target", EVIL_TARGETS)
def test_foreign_next_is_ignored_when_already_signed_in(client, login, participant, target):
    login(participant)
    response = client.get("/login", query_string={"next": target})
    assert response.status_code == 302
    assert response.location == "/"


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example", "/\\evil"])
def test_foreign_next_is_ignored_by_language_switch(client, target):
    response = client.post("/language/en", data={"next": target})
    assert response.status_code == 302
    assert response.location == "/"


# --- signing out -----------------------------------------------------------------------


def test_logout_is_post_only(client, login, participant):
    login(participant)
    response = client.get("/logout", headers=EN)
    assert response.status_code == 405
    assert "(405)" in response.get_data(as_text=True)
    assert signed_in(client)
    response = client.post("/logout", headers=EN)
    assert response.status_code == 302 and path_of(response) == "/login"
    assert not signed_in(client)


def test_logout_clears_the_remember_cookie(client, participant):
    sign_in(client, participant.email, remember="y")
    assert client.get_cookie("lms_remember") is not None
    client.post("/logout")
    assert client.get_cookie("lms_remember") is None
    assert not signed_in(client)


def replay(app, **cookies: str):
    """A new browser holding nothing but ``cookies``."""
    browser = app.test_client()
    for name, value in cookies.items():
        browser.set_cookie(name, value)
    return browser


def test_logout_ends_the_replayed_remember_and_session_cookies(app, participant):
    client = app.test_client()
    sign_in(client, participant.email, remember="y")
    remember = client.get_cookie("lms_remember").value
    session = client.get_cookie("lms_session").value
    assert signed_in(replay(app, lms_remember=remember))
    client.post("/logout")
    assert not signed_in(replay(app, lms_remember=remember))
    assert not signed_in(replay(app, lms_session=session))
    assert not signed_in(replay(app, lms_session=session, lms_remember=remember))
    # signing in again works, and the new cookies do
    assert sign_in(client, participant.email, remember="y").status_code == 302
    assert signed_in(replay(app, lms_remember=client.get_cookie("lms_remember").value))


def test_logout_ends_the_login_on_every_device(app, participant):
    phone, office = app.test_client(), app.test_client()
    sign_in(phone, participant.email, remember="y")
    sign_in(office, participant.email, remember="y")
    office_cookie = office.get_cookie("lms_remember").value
    phone.post("/logout")
    assert not signed_in(office)
    assert not signed_in(replay(app, lms_remember=office_cookie))


def test_a_session_stays_bound_to_its_browser(app, participant):
    client = app.test_client()
    sign_in(client, participant.email)
    session = client.get_cookie("lms_session").value
    assert signed_in(replay(app, lms_session=session))
    other_browser = replay(app, lms_session=session)
    other_browser.environ_base["HTTP_USER_AGENT"] = "Another/1.0"
    assert not signed_in(other_browser)


@pytest.mark.parametrize(("days", "still_signed_in"), [(29, True), (31, False)])
def test_a_remembered_login_lasts_at_most_30_days(app, participant, monkeypatch, days,
                                                   still_signed_in):
    from lms.auth import logins

    client = app.test_client()
    sign_in(client, participant.email, remember="y")
    cookie = client.get_cookie("lms_remember")
    assert cookie.expires is not None
    assert cookie.expires - utcnow() <= timedelta(days=30, minutes=1)
    later = utcnow() + timedelta(days=days)
    monkeypatch.setattr(logins, "utcnow", lambda: later)
    assert signed_in(replay(app, lms_remember=cookie.value)) is still_signed_in
    assert signed_in(client) is still_signed_in  # the session ends with it


# --- remember me -----------------------------------------------------------------------


def test_remember_cookie_only_when_ticked(app, participant):
    plain = app.test_client()
    assert sign_in(plain, participant.email).status_code == 302
    assert plain.get_cookie("lms_remember") is None
    assert plain.get_cookie("lms_session") is not None

    remembered = app.test_client()
    assert sign_in(remembered, participant.email, remember="y").status_code == 302
    cookie = remembered.get_cookie("lms_remember")
    assert cookie is not None
    assert cookie.http_only

    # The cookie alone (a new browser session) signs the person back in.
    fresh = app.test_client()
    fresh.set_cookie("lms_remember", cookie.value)
    assert signed_in(fresh)


# --- password changes ------------------------------------------------------------------


def change_password(client, current: str, new: str, confirm: str | None = None):
    return client.post("/account/password", headers=EN, data={
        "password-current": current, "password-password": new,
        "password-confirm": new if confirm is None else confirm,
    })


def test_change_password_ends_other_sessions(app, participant):
    mine = app.test_client()
    other = app.test_client()
    remembered = app.test_client()
    for client in (mine, other):
        assert sign_in(client, participant.email).status_code == 302
    assert sign_in(remembered, participant.email, remember="y").status_code == 302
    old_cookie = remembered.get_cookie("lms_remember").value
    assert signed_in(other) and signed_in(remembered)

    response = change_password(mine, TEST_PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302 and path_of(response) == "/account"
    assert signed_in(mine)
    assert not signed_in(other)
    assert not signed_in(remembered)
    stale = app.test_client()
    stale.set_cookie("lms_remember", old_cookie)
    assert not signed_in(stale)

    user = stored(app, participant.email)
    assert check_password_hash(user.password_hash, NEW_PASSWORD)
    again = app.test_client()
    assert sign_in(again, participant.email, TEST_PASSWORD).status_code == 200
    assert sign_in(again, participant.email, NEW_PASSWORD).status_code == 302


def test_change_password_keeps_remember_me_on_this_device(app, participant):
    mine = app.test_client()
    assert sign_in(mine, participant.email, remember="y").status_code == 302
    assert change_password(mine, TEST_PASSWORD, NEW_PASSWORD).status_code == 302
    cookie = mine.get_cookie("lms_remember")
    assert cookie is not None
    fresh = app.test_client()
    fresh.set_cookie("lms_remember", cookie.value)
    assert signed_in(fresh)


def test_change_password_needs_the_current_password(app, client, login, participant):
    login(participant)
    before = stored(app, participant.email).password_hash
    response = change_password(client, "nicht-das-aktuelle", NEW_PASSWORD)
    assert response.status_code == 400
    assert "The current password is wrong." in response.get_data(as_text=True)
    assert stored(app, participant.email).password_hash == before
    assert signed_in(client)


def test_change_password_needs_matching_confirmation(app, client, login, participant):
    login(participant)
    before = stored(app, participant.email).password_hash
    response = change_password(client, TEST_PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "x")
    assert response.status_code == 400
    assert 'id="password-confirm-error"' in response.get_data(as_text=True)
    assert stored(app, participant.email).password_hash == before


SHORT = "elf-zeichen"  # 11 characters
assert len(SHORT) == 11


def test_short_password_refused_when_changing(app, client, login, participant):
    login(participant)
    before = stored(app, participant.email).password_hash
    response = change_password(client, TEST_PASSWORD, SHORT)
    assert response.status_code == 400
    assert 'id="password-password-error"' in response.get_data(as_text=True)
    assert stored(app, participant.email).password_hash == before
    assert signed_in(client)
    # exactly twelve characters is enough
    assert change_password(client, TEST_PASSWORD, SHORT + "!").status_code == 302


@pytest.mark.parametrize("purpose", list(LinkPurpose))
def test_short_password_refused_through_links(app, client, create_user, purpose):
    password = None if purpose is LinkPurpose.INVITATION else TEST_PASSWORD
    user = create_user("link@example.org", password=password)
    with app.test_request_context():
        token = make_link_token(db.session.get(User, user.id), purpose)
    url = (f"/invitation/{token}" if purpose is LinkPurpose.INVITATION
           else f"/password/reset/{token}")
    before = stored(app, user.email).password_hash

    response = client.post(url, data={"password": SHORT, "confirm": SHORT}, headers=EN)
    assert response.status_code == 200
    assert 'id="password-error"' in response.get_data(as_text=True)
    assert stored(app, user.email).password_hash == before
    assert not signed_in(client)
    # the link is still good, and twelve characters are accepted
    response = client.post(url, data={"password": SHORT + "!", "confirm": SHORT + "!"})
    assert response.status_code == 302 and path_of(response) == "/"
    assert check_password_hash(stored(app, user.email).password_hash, SHORT + "!")


def test_password_rule_also_holds_in_the_service(app, participant):
    with app.test_request_context(headers=EN):
        user = db.session.get(User, participant.id)
        before = user.password_hash
        with pytest.raises(DomainError) as caught:
            services.set_password(user, SHORT)
        assert caught.value.field == "password"
        assert "12" in caught.value.message
        assert user.password_hash == before
        db.session.rollback()


# --- own account and language ----------------------------------------------------------


def test_profile_update(app, client, login, participant):
    login(participant)
    response = client.post("/account/profile", data={"profile-display_name": "  Paula Neu ",
                                                     "profile-language": "en"})
    assert response.status_code == 302 and path_of(response) == "/account"
    user = stored(app, participant.email)
    assert (user.display_name, user.language) == ("Paula Neu", "en")
    assert '<html lang="en">' in client.get("/account").get_data(as_text=True)


@pytest.mark.parametrize("data", [
    {"profile-display_name": "", "profile-language": ""},
    {"profile-display_name": "Name", "profile-language": "fr"},
    {"profile-display_name": "x" * 121, "profile-language": ""},
])
def test_profile_update_refuses_bad_input(app, client, login, participant, data):
    login(participant)
    response = client.post("/account/profile", data=data)
    assert response.status_code == 400
    user = stored(app, participant.email)
    assert (user.display_name, user.language) == (participant.display_name, None)


def test_language_switch(app, client, login, participant):
    response = client.post("/language/en", data={"next": "/password/forgot"})
    assert response.status_code == 302 and response.location == "/password/forgot"
    assert '<html lang="en">' in client.get("/login").get_data(as_text=True)
    assert client.post("/language/fr").status_code == 404

    login(participant)
    client.post("/language/de")
    assert stored(app, participant.email).language == "de"
    assert '<html lang="de">' in client.get("/", headers=EN).get_data(as_text=True)


# --- rate limit ------------------------------------------------------------------------


def wrong_attempt(client, email: str, headers: dict[str, str] | None = None):
    return client.post("/login", data={"email": email, "password": "falsch-falsch-falsch"},
                       headers={**EN, **(headers or {})})


def test_sign_in_rate_limit(app, participant):
    assert app.config["LOGIN_RATE_LIMIT"] == "10 per minute;50 per hour"
    client = app.test_client()
    for _ in range(10):
        assert wrong_attempt(client, participant.email).status_code == 200
    limited = wrong_attempt(client, participant.email)
    assert limited.status_code == 429
    body = limited.get_data(as_text=True)
    assert "Too many attempts" in body and "(429)" in body
    # even the right password is refused now, and nobody is signed in
    response = sign_in(client, participant.email)
    assert response.status_code == 429
    assert not signed_in(client)
    assert stored(app, participant.email).last_login_at is None
    # the sign-in page itself stays readable
    assert client.get("/login").status_code == 200
    # a forged X-Forwarded-For header does not open a new budget
    spoofed = wrong_attempt(client, participant.email,
                            headers={"X-Forwarded-For": "203.0.113.9"})
    assert spoofed.status_code == 429


def test_rate_limit_counts_per_address(app, participant):
    first = app.test_client()
    for _ in range(11):
        last = wrong_attempt(first, participant.email)
    assert last.status_code == 429
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "192.0.2.77"
    assert sign_in(other, participant.email).status_code == 302


def test_rate_limit_follows_configuration(app, participant):
    client = app.test_client()
    saved = app.config["LOGIN_RATE_LIMIT"]
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    try:
        statuses = [wrong_attempt(client, participant.email).status_code for _ in range(4)]
    finally:
        app.config["LOGIN_RATE_LIMIT"] = saved
    assert statuses == [200, 200, 200, 429]


def test_forgot_password_is_rate_limited(app, participant):
    from lms.mail import OutboxMessage

    client = app.test_client()
    for _ in range(10):
        response = client.post("/password/forgot", data={"email": participant.email})
        assert response.status_code == 302
    assert client.post("/password/forgot", data={"email": participant.email}).status_code == 429
    with app.app_context():
        assert db.session.query(OutboxMessage).count() == 10


def test_role_is_irrelevant_to_sign_in(client, create_user):
    user = create_user("multi@example.org", Role.LECTURER, Role.ORGANISER)
    assert sign_in(client, user.email).status_code == 302
    assert client.get("/admin/people").status_code == 200
