"""Who may open what: every host route against every kind of visitor.

The host's routes are listed here explicitly, each with the expected outcome for an
anonymous visitor, a participant, a lecturer and an organiser. A guard test fails when
the app gains a host route that is missing from the table, so a new route cannot slip in
without a decision about who may use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from babel.support import Translations
from sqlalchemy import func, select

from lms.audit import AuditEntry
from lms.auth.models import Role, User
from lms.auth.tokens import LinkPurpose, make_link_token
from lms.consent.services import give_consent
from lms.extensions import db
from lms.legal.pages import LegalPage
from lms.legal.services import save_text
from lms.mail import OutboxMessage, send_mail
from tests.access_outcomes import check_outcome
from tests.conftest import TEST_PASSWORD

ANONYMOUS, PARTICIPANT, LECTURER, ORGANISER = "anonymous", "participant", "lecturer", "organiser"
VISITORS = (ANONYMOUS, PARTICIPANT, LECTURER, ORGANISER)
SIGNED_IN = frozenset({PARTICIPANT, LECTURER, ORGANISER})
HOST_BLUEPRINTS = {"auth", "dashboard", "admin", "legal", "consent"}
MEMBER_EMAIL = "mitglied@example.org"
NEW_PASSWORD = "ein-ganz-neues-passwort"


def everyone(outcome: str) -> dict[str, str]:
    return dict.fromkeys(VISITORS, outcome)


def signed_in_only(outcome: str) -> dict[str, str]:
    return {ANONYMOUS: "login", PARTICIPANT: outcome, LECTURER: outcome, ORGANISER: outcome}


def organisers_only(outcome: str) -> dict[str, str]:
    return {ANONYMOUS: "login", PARTICIPANT: "403", LECTURER: "403", ORGANISER: outcome}


@dataclass(frozen=True)
class Case:
    endpoint: str
    method: str
    #: with ``{member}``, ``{message}``, ``{invitation}``, ``{reset}``, ``{consent}`` (the
    #: participant's) filled in per test
    path: str
    #: visitor -> "200", "403", "404", "login" (sent to sign in) or "to:<path>" (redirected
    #: there; a trailing "*" matches any rest)
    expect: dict[str, str]
    data: dict[str, object] = field(default_factory=dict)
    #: visitors whose request must change the database (for all others it must not)
    changes: frozenset[str] = frozenset()

    @property
    def id(self) -> str:
        return f"{self.method} {self.endpoint}"


GET_CASES = [
    Case("auth.login", "GET", "/login", {**everyone("to:/"), ANONYMOUS: "200"}),
    Case("auth.forgot_password", "GET", "/password/forgot", everyone("200")),
    Case("auth.accept_invitation", "GET", "/invitation/{invitation}", everyone("200")),
    Case("auth.reset_password", "GET", "/password/reset/{reset}", everyone("200")),
    Case("auth.account", "GET", "/account", signed_in_only("200")),
    Case("auth.my_data", "GET", "/account/data", signed_in_only("200")),
    Case("dashboard.index", "GET", "/", signed_in_only("200")),
    Case("admin.people", "GET", "/admin/people", organisers_only("200")),
    Case("admin.new_person", "GET", "/admin/people/new", organisers_only("200")),
    Case("admin.person", "GET", "/admin/people/{member}", organisers_only("200")),
    Case("admin.erase", "GET", "/admin/people/{member}/erase", organisers_only("200")),
    Case("admin.outbox", "GET", "/admin/outbox", organisers_only("200")),
    Case("admin.outbox_message", "GET", "/admin/outbox/{message}", organisers_only("200")),
    Case("admin.processing", "GET", "/admin/processing", organisers_only("200")),
    Case("admin.retention", "GET", "/admin/retention", organisers_only("200")),
    Case("admin.processing_export", "GET", "/admin/processing.csv", organisers_only("200")),
    Case("legal.page", "GET", "/impressum", everyone("200")),
    Case("legal.edit", "GET", "/impressum/bearbeiten", organisers_only("200")),
    Case("consent.texts", "GET", "/admin/consent-texts", organisers_only("200")),
    Case("consent.text", "GET", "/admin/consent-texts/share_contact", organisers_only("200")),
    # the participant's own; organisers know it (403), others may not (404)
    Case("consent.withdraw", "GET", "/account/consents/{consent}/withdraw",
         {ANONYMOUS: "login", PARTICIPANT: "200", LECTURER: "404", ORGANISER: "403"}),
]

NEW_PASSWORD_DATA = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
POST_CASES = [
    Case("auth.login", "POST", "/login", everyone("to:/"),
         data={"email": MEMBER_EMAIL, "password": TEST_PASSWORD},
         changes=frozenset({ANONYMOUS})),  # the member's last sign-in
    Case("auth.logout", "POST", "/logout", everyone("to:/login")),
    Case("auth.set_language", "POST", "/language/en", everyone("to:/"), changes=SIGNED_IN),
    Case("auth.forgot_password", "POST", "/password/forgot", everyone("to:/login"),
         data={"email": MEMBER_EMAIL}, changes=frozenset(VISITORS)),
    Case("auth.accept_invitation", "POST", "/invitation/{invitation}", everyone("to:/"),
         data=NEW_PASSWORD_DATA, changes=frozenset(VISITORS)),
    Case("auth.reset_password", "POST", "/password/reset/{reset}", everyone("to:/"),
         data=NEW_PASSWORD_DATA, changes=frozenset(VISITORS)),
    Case("auth.update_profile", "POST", "/account/profile", signed_in_only("to:/account"),
         data={"profile-display_name": "Neuer Name", "profile-language": "en"},
         changes=SIGNED_IN),
    Case("auth.change_password", "POST", "/account/password", signed_in_only("to:/account"),
         data={"password-current": TEST_PASSWORD, "password-password": NEW_PASSWORD,
               "password-confirm": NEW_PASSWORD},
         changes=SIGNED_IN),
    Case("admin.new_person", "POST", "/admin/people/new", organisers_only("to:/admin/people/*"),
         data={"email": "neu@example.org", "display_name": "Neu", "roles": ["organiser"],
               "language": "", "active": "y", "send_invitation": "y"},
         changes=frozenset({ORGANISER})),
    Case("admin.person", "POST", "/admin/people/{member}",
         organisers_only("to:/admin/people/{member}"),
         data={"display_name": "Umbenannt", "roles": ["organiser"], "language": "",
               "active": "y"},
         changes=frozenset({ORGANISER})),
    # the download is audit-logged: the log's count changes
    Case("auth.my_data", "POST", "/account/data", signed_in_only("200"), changes=SIGNED_IN),
    Case("admin.person_data", "POST", "/admin/people/{member}/data", organisers_only("200"),
         changes=frozenset({ORGANISER})),
    Case("admin.erase", "POST", "/admin/people/{member}/erase",
         organisers_only("to:/admin/people/{member}"), changes=frozenset({ORGANISER})),
    Case("admin.invite", "POST", "/admin/people/{member}/invite",
         organisers_only("to:/admin/people/{member}"), changes=frozenset({ORGANISER})),
    # without a mail server there is nothing to retry: refused, nothing changes
    Case("admin.retry_outbox_message", "POST", "/admin/outbox/{message}/retry",
         organisers_only("to:/admin/outbox/{message}")),
    Case("legal.edit", "POST", "/impressum/bearbeiten", organisers_only("to:/impressum"),
         data={"text": "# Anbieter\n\nLaKI NRW", "version": "2"},
         changes=frozenset({ORGANISER})),
    Case("legal.restore", "POST", "/impressum/wiederherstellen", organisers_only("to:/impressum"),
         data={"number": "1"}, changes=frozenset({ORGANISER})),
    Case("consent.text", "POST", "/admin/consent-texts/share_contact",
         organisers_only("to:/admin/consent-texts/share_contact"),
         data={"text_de": "Zweite Fassung", "text_en": "Second version", "version": "1"},
         changes=frozenset({ORGANISER})),
    Case("consent.withdraw", "POST", "/account/consents/{consent}/withdraw",
         {ANONYMOUS: "login", PARTICIPANT: "to:/account", LECTURER: "404", ORGANISER: "403"},
         data={"confirmed": "1"}, changes=frozenset({PARTICIPANT})),
]

CASES = GET_CASES + POST_CASES


@pytest.fixture
def world(app, organiser, lecturer, participant, create_user) -> dict[str, object]:
    """The people and objects the routes' parameters refer to."""
    member = create_user(MEMBER_EMAIL, Role.PARTICIPANT, name="Mia Mitglied")
    invitee = create_user("eingeladen@example.org", Role.PARTICIPANT, password=None)
    with app.test_request_context():
        message = send_mail("irgendwer@example.org", "Betreff", "Inhalt")
        for version, text in enumerate(("Erste Fassung", "Zweite Fassung")):
            save_text(LegalPage.IMPRINT, text, actor=None, expected_revision=version)
        consent = give_consent("share_contact", version=None, subject_id=1, language="de",
                               user=db.session.get(User, participant.id))
        db.session.commit()
        values = {
            "member": member.id,
            "message": message.id,
            "consent": consent.id,
            "invitation": make_link_token(db.session.get(User, invitee.id),
                                          LinkPurpose.INVITATION),
            "reset": make_link_token(db.session.get(User, member.id),
                                     LinkPurpose.PASSWORD_RESET),
        }
    people = {PARTICIPANT: participant, LECTURER: lecturer, ORGANISER: organiser}
    return {"values": values, "people": people}


def database_state(app) -> tuple[object, ...]:
    with app.app_context():
        users = tuple(
            (u.id, u.email, u.display_name, tuple(sorted(u.roles)), u.active, u.language,
             u.password_hash, u.last_login_at)
            for u in db.session.scalars(select(User).order_by(User.id))
        )
        outbox = db.session.scalar(select(func.count(OutboxMessage.id)))
        audit = db.session.scalar(select(func.count(AuditEntry.id)))
        return users, outbox, audit


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_access(app, client, login, world, case: Case, visitor: str):
    if visitor != ANONYMOUS:
        login(world["people"][visitor])
    values = world["values"]
    path = case.path.format(**values)
    expected = case.expect[visitor].format(**values)
    before = database_state(app)

    response = client.open(path, method=case.method, data=case.data)

    check_outcome(response, expected, path)
    if visitor in case.changes:
        assert database_state(app) != before, "the request should have changed something"
    else:
        assert database_state(app) == before, "a refused request changed the database"


def test_forbidden_page_speaks_the_visitors_language(client, login, participant):
    login(participant)
    german = Translations.load(str(Path(__file__).resolve().parents[1] / "lms" / "translations"),
                               ["de"])
    english = client.get("/admin/people", headers={"Accept-Language": "en"})
    assert english.status_code == 403
    assert "Access denied" in english.get_data(as_text=True)
    deutsch = client.get("/admin/people", headers={"Accept-Language": "de"})
    assert deutsch.status_code == 403
    title = german.gettext("Access denied")
    if title == "Access denied":
        pytest.skip("the German catalog does not translate the 403 page yet")
    body = deutsch.get_data(as_text=True)
    assert title in body and "Access denied" not in body


def test_forbidden_post_does_not_run_the_view(app, client, login, world):
    """A lecturer's forged form to make themselves organiser is refused."""
    lecturer = world["people"][LECTURER]
    login(lecturer)
    response = client.post(f"/admin/people/{lecturer.id}",
                           data={"display_name": "Chefin", "roles": ["organiser"],
                                 "language": "", "active": "y"})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(User, lecturer.id).roles == {Role.LECTURER}


# --- the table stays complete ----------------------------------------------------------


def test_every_host_route_is_in_the_table(app):
    table = {(case.endpoint, case.method) for case in CASES}
    assert len(table) == len(CASES), "a route is listed twice"
    missing = sorted(
        (rule.endpoint, method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.partition(".")[0] in HOST_BLUEPRINTS
        for method in rule.methods - {"HEAD", "OPTIONS"}
        if (rule.endpoint, method) not in table
    )
    assert missing == [], f"add these host routes to tests/test_access.py: {missing}"


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_table_paths_lead_to_their_endpoint(app, case: Case):
    adapter = app.url_map.bind("localhost")
    path = case.path.format(member=1, message=1, invitation="token", reset="token",
                            consent=1)
    endpoint, _args = adapter.match(path, method=case.method)
    assert endpoint == case.endpoint
    assert set(case.expect) == set(VISITORS)
    assert case.changes <= set(VISITORS)


def test_every_route_answers_without_error(app, world, login):
    """Every parameterless GET route of the app, plugins included, for every visitor.

    The host's routes are checked in detail above; here every route must answer without a
    server error, and an anonymous visitor is asked to sign in rather than refused.
    """
    rules = [rule for rule in app.url_map.iter_rules()
             if rule.endpoint != "static" and not rule.arguments and "GET" in rule.methods]
    assert len(rules) >= len([c for c in GET_CASES if "{" not in c.path])
    for visitor in VISITORS:
        client = app.test_client()
        if visitor != ANONYMOUS:
            person = world["people"][visitor]
            assert client.post("/login", data={"email": person.email,
                                               "password": TEST_PASSWORD}).status_code == 302
        for rule in rules:
            response = client.get(rule.rule)
            assert response.status_code < 500, (visitor, rule.rule)
            if visitor == ANONYMOUS:
                assert response.status_code != 403, rule.rule
