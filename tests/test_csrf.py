"""CSRF protection: every POST of the host needs the form's token, and every form has one."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

from lms.audit import AuditEntry
from lms.auth.models import Role, User
from lms.auth.tokens import LinkPurpose, make_link_token
from lms.extensions import db
from lms.mail import OutboxMessage
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.usefixtures("csrf_enabled")

TOKEN = re.compile(r'name="([\w-]*csrf_token)"[^>]*value="([^"]+)"')
NEW_PASSWORD = "ein-ganz-neues-passwort"
MEMBER_EMAIL = "mitglied@example.org"


def form_token(client, path: str) -> tuple[str, str]:
    """The (field name, value) of the first CSRF field on the page at ``path``."""
    page = client.get(path)
    assert page.status_code == 200, path
    match = TOKEN.search(page.get_data(as_text=True))
    assert match, f"no csrf_token on {path}"
    return match.group(1), match.group(2)


def csrf_sign_in(client, user: User) -> None:
    name, token = form_token(client, "/login")
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD,
                                           name: token})
    assert response.status_code == 302


def state(app, client) -> tuple[object, ...]:
    """What a POST could change: the database, who is signed in, the chosen language."""
    with app.app_context():
        users = tuple(
            (u.id, u.email, u.display_name, tuple(sorted(u.roles)), u.active, u.language,
             u.password_hash, u.last_login_at)
            for u in db.session.scalars(select(User).order_by(User.id))
        )
        outbox = db.session.scalar(select(func.count(OutboxMessage.id)))
        audit = db.session.scalar(select(func.count(AuditEntry.id)))
    dashboard = client.get("/").status_code
    language = re.search(r'<html lang="(\w+)">',
                         client.get("/password/forgot").get_data(as_text=True)).group(1)
    return users, outbox, audit, dashboard, language


@dataclass(frozen=True)
class Post:
    name: str
    #: who is signed in: None, "participant" or "organiser"
    visitor: str | None
    #: the page whose form is sent
    form: str
    #: where the form is sent
    action: str
    data: dict[str, object] = field(default_factory=dict)


POSTS = [
    Post("login", None, "/login", "/login",
         {"email": MEMBER_EMAIL, "password": TEST_PASSWORD}),
    Post("logout", "participant", "/", "/logout"),
    Post("language", None, "/login", "/language/en", {"next": "/login"}),
    Post("account profile", "participant", "/account", "/account/profile",
         {"profile-display_name": "Neuer Name", "profile-language": "en"}),
    Post("account password", "participant", "/account", "/account/password",
         {"password-current": TEST_PASSWORD, "password-password": NEW_PASSWORD,
          "password-confirm": NEW_PASSWORD}),
    Post("admin person create", "organiser", "/admin/people/new", "/admin/people/new",
         {"email": "neu@example.org", "display_name": "Neu", "roles": ["participant"],
          "language": "", "active": "y", "send_invitation": "y"}),
    Post("admin person edit", "organiser", "/admin/people/{member}", "/admin/people/{member}",
         {"display_name": "Umbenannt", "roles": ["lecturer"], "language": "", "active": "y"}),
    Post("admin person invite", "organiser", "/admin/people/{member}",
         "/admin/people/{member}/invite"),
    Post("invitation set password", None, "/invitation/{invitation}",
         "/invitation/{invitation}", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}),
    Post("reset set password", None, "/password/reset/{reset}", "/password/reset/{reset}",
         {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}),
    Post("forgot password", None, "/password/forgot", "/password/forgot",
         {"email": MEMBER_EMAIL}),
]


@pytest.fixture
def world(app, participant, organiser, create_user) -> dict[str, object]:
    member = create_user(MEMBER_EMAIL, Role.PARTICIPANT, name="Mia Mitglied")
    invitee = create_user("eingeladen@example.org", password=None)
    with app.test_request_context():
        values = {
            "member": member.id,
            "invitation": make_link_token(db.session.get(User, invitee.id),
                                          LinkPurpose.INVITATION),
            "reset": make_link_token(db.session.get(User, member.id),
                                     LinkPurpose.PASSWORD_RESET),
        }
    return {"values": values, "participant": participant, "organiser": organiser}


def prepare(app, world, post: Post):
    client = app.test_client()
    if post.visitor:
        csrf_sign_in(client, world[post.visitor])
    values = world["values"]
    return client, post.form.format(**values), post.action.format(**values)


@pytest.mark.parametrize("post", POSTS, ids=lambda post: post.name)
def test_post_without_token_is_refused(app, world, post: Post):
    client, form, action = prepare(app, world, post)
    name, token = form_token(client, form)
    before = state(app, client)

    for bad in ({}, {name: "forged-token"}, {name: ""}):
        response = client.post(action, data={**post.data, **bad},
                               headers={"Accept-Language": "en"})
        assert response.status_code == 400, bad
        body = response.get_data(as_text=True)
        assert "(400)" in body and "Bad request" in body
        assert state(app, client) == before, bad

    # the same request with the form's token goes through and changes something
    response = client.post(action, data={**post.data, name: token})
    assert response.status_code == 302
    assert state(app, client) != before


def test_token_of_another_session_is_refused(app, world):
    mine, theirs = app.test_client(), app.test_client()
    csrf_sign_in(mine, world["organiser"])
    csrf_sign_in(theirs, world["organiser"])
    name, their_token = form_token(theirs, "/admin/people/new")
    before = state(app, mine)
    response = mine.post("/admin/people/new", data={
        "email": "neu@example.org", "display_name": "Neu", "roles": ["participant"],
        "language": "", "active": "y", name: their_token,
    })
    assert response.status_code == 400
    assert state(app, mine) == before


def test_token_in_header_is_accepted(app, world):
    client = app.test_client()
    csrf_sign_in(client, world["participant"])
    _name, token = form_token(client, "/account")
    response = client.post("/account/profile", headers={"X-CSRFToken": token},
                           data={"profile-display_name": "Per Header", "profile-language": ""})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, world["participant"].id).display_name == "Per Header"


# --- every rendered form carries a token -----------------------------------------------


class FormCollector(HTMLParser):
    """Each POST form on a page, with the names and values of its hidden inputs."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, object]] = []
        self._current: dict[str, object] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form" and (attributes.get("method") or "").lower() == "post":
            self._current = {"action": attributes.get("action"), "hidden": {}}
            self.forms.append(self._current)
        elif tag == "input" and self._current is not None \
                and attributes.get("type") == "hidden":
            self._current["hidden"][attributes.get("name")] = attributes.get("value")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


PAGES = [
    # (who is signed in, page, how many POST forms it has at least)
    (None, "/login", 2),                      # sign-in, language switch
    (None, "/password/forgot", 2),
    (None, "/invitation/{invitation}", 2),
    (None, "/password/reset/{reset}", 2),
    ("participant", "/", 2),                  # sign-out, language switch
    ("participant", "/account", 4),           # profile, password, sign-out, language
    ("organiser", "/admin/people", 2),
    ("organiser", "/admin/people/new", 3),
    ("organiser", "/admin/people/{member}", 4),  # invite, edit, sign-out, language
    ("organiser", "/admin/outbox", 2),
]


@pytest.mark.parametrize(("visitor", "page", "minimum"), PAGES, ids=[p for _v, p, _m in PAGES])
def test_every_post_form_has_a_token(app, world, visitor, page, minimum):
    client = app.test_client()
    if visitor:
        csrf_sign_in(client, world[visitor])
    response = client.get(page.format(**world["values"]))
    assert response.status_code == 200
    collector = FormCollector()
    collector.feed(response.get_data(as_text=True))
    assert len(collector.forms) >= minimum
    for form in collector.forms:
        tokens = [value for name, value in form["hidden"].items()
                  if name and name.endswith("csrf_token")]
        assert len(tokens) == 1 and tokens[0], f"form to {form['action']} has no csrf_token"
