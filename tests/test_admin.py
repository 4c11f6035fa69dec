"""Organiser pages: the people list, creating and editing accounts, links, the outbox."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from lms.audit import AuditEntry
from lms.auth.models import Role, User
from lms.extensions import db
from lms.mail import OutboxMessage, send_mail

EN = {"Accept-Language": "en"}
ROW = re.compile(r'<tr>\s*<td><a href="/admin/people/(\d+)">([^<]*)</a></td>')
FLASH = re.compile(r'<p class="flash flash--(\w+)">(.*?)</p>', re.S)


def listed(response) -> list[str]:
    """The names in the people table, in page order."""
    assert response.status_code == 200
    return [name for _id, name in ROW.findall(response.get_data(as_text=True))]


def flashes(response) -> list[tuple[str, str]]:
    return FLASH.findall(response.get_data(as_text=True))


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def snapshot(app, user_id: int) -> dict[str, object]:
    with app.app_context():
        user = db.session.get(User, user_id)
        return {"email": user.email, "display_name": user.display_name,
                "roles": sorted(user.roles), "active": user.active, "language": user.language,
                "password_hash": user.password_hash}


def audit_entries(app, user_id: int, action: str | None = None) -> list[AuditEntry]:
    with app.app_context():
        query = select(AuditEntry).where(AuditEntry.object_type == "users",
                                         AuditEntry.object_id == user_id)
        if action:
            query = query.where(AuditEntry.action == action)
        entries = db.session.scalars(query.order_by(AuditEntry.id)).all()
        db.session.expunge_all()
        return list(entries)


def new_person(client, **overrides):
    data = {"email": "neu@example.org", "display_name": "Nina Neu", "roles": ["participant"],
            "language": "", "active": "y"}
    data.update(overrides)
    return client.post("/admin/people/new", data={k: v for k, v in data.items() if v is not None},
                       headers=EN)


def edit(client, user_id: int, **fields):
    data = {"display_name": "Name", "roles": ["participant"], "language": "", "active": "y"}
    data.update(fields)
    return client.post(f"/admin/people/{user_id}",
                       data={k: v for k, v in data.items() if v is not None}, headers=EN)


@pytest.fixture
def orga_client(client, login, organiser):
    return login(organiser)


# --- people list -----------------------------------------------------------------------


@pytest.fixture
def fruit(create_user):
    return {
        "anna": create_user("anna@example.org", Role.PARTICIPANT, name="Anna Apfel"),
        "bernd": create_user("bernd@example.org", Role.LECTURER, name="Bernd Birne"),
        "carla": create_user("carla@obst.example", Role.PARTICIPANT, Role.LECTURER,
                             name="Carla Kirsche"),
    }


@pytest.mark.parametrize(("query", "expected"), [
    ("", ["Anna Apfel", "Bernd Birne", "Carla Kirsche", "Olga Organisatorin"]),
    ("apfel", ["Anna Apfel"]),
    ("bIRNE", ["Bernd Birne"]),
    ("OBST", ["Carla Kirsche"]),          # matches the email address
    ("@example.org", ["Anna Apfel", "Bernd Birne", "Olga Organisatorin"]),
    ("  kirsche  ", ["Carla Kirsche"]),
    ("niemand", []),
    ("%", []),                            # wildcards are searched for literally
    ("_", []),
])
def test_people_search(orga_client, fruit, query, expected):
    assert listed(orga_client.get("/admin/people", query_string={"q": query})) == expected


@pytest.mark.parametrize(("role", "expected"), [
    ("lecturer", ["Bernd Birne", "Carla Kirsche"]),
    ("participant", ["Anna Apfel", "Carla Kirsche"]),
    ("organiser", ["Olga Organisatorin"]),
    ("", ["Anna Apfel", "Bernd Birne", "Carla Kirsche", "Olga Organisatorin"]),
    ("emperor", ["Anna Apfel", "Bernd Birne", "Carla Kirsche", "Olga Organisatorin"]),
])
def test_people_role_filter(orga_client, fruit, role, expected):
    assert listed(orga_client.get("/admin/people", query_string={"role": role})) == expected


def test_people_search_and_role_combined(orga_client, fruit):
    response = orga_client.get("/admin/people", query_string={"q": "r", "role": "lecturer"})
    assert listed(response) == ["Bernd Birne", "Carla Kirsche"]
    response = orga_client.get("/admin/people", query_string={"q": "anna", "role": "lecturer"},
                               headers=EN)
    assert listed(response) == []
    assert "No one matches this filter." in response.get_data(as_text=True)


def test_people_pagination(orga_client, create_user):
    for number in range(1, 31):
        create_user(f"mitglied{number:02d}@example.org", name=f"Mitglied {number:02d}",
                    password=None)
    first = orga_client.get("/admin/people", headers=EN)
    names = listed(first)
    assert names == [f"Mitglied {n:02d}" for n in range(1, 26)]
    page = first.get_data(as_text=True)
    assert "Page 1 of 2" in page
    next_link = re.search(r'<a href="([^"]+)" rel="next">', page).group(1)
    assert parse_qs(urlsplit(next_link.replace("&amp;", "&")).query) == {"page": ["2"]}

    second = orga_client.get("/admin/people?page=2", headers=EN)
    assert listed(second) == [*(f"Mitglied {n:02d}" for n in range(26, 31)),
                              "Olga Organisatorin"]
    page = second.get_data(as_text=True)
    assert "Page 2 of 2" in page and 'rel="prev"' in page and 'rel="next"' not in page

    # filters are kept in the page links
    filtered = orga_client.get("/admin/people", headers=EN,
                               query_string={"q": "mitglied", "role": "participant"})
    link = re.search(r'<a href="([^"]+)" rel="next">', filtered.get_data(as_text=True)).group(1)
    assert parse_qs(urlsplit(link.replace("&amp;", "&")).query) == {
        "q": ["mitglied"], "role": ["participant"], "page": ["2"]}
    assert len(listed(orga_client.get(link.replace("&amp;", "&")))) == 5

    # a page after the last is empty; what is no page number is no page (not a 500)
    assert listed(orga_client.get("/admin/people?page=7")) == []
    assert orga_client.get("/admin/people?page=abc").status_code == 404


def test_people_are_listed_as_german_readers_sort(orga_client, create_user):
    for name in ("Zoe Zander", "Ömer Özdemir", "Oliver Ober", "ärztin Anna"):
        create_user(f"{name.split()[1].lower()}@example.org", name=name, password=None)
    names = listed(orga_client.get("/admin/people", headers=EN))
    assert names == ["ärztin Anna", "Olga Organisatorin", "Oliver Ober", "Ömer Özdemir",
                     "Zoe Zander"]  # by code point, "Ö" and "ä" came after "Z"


def test_people_list_escapes_names(orga_client, create_user):
    create_user("xss@example.org", name='<script>alert("x")</script>')
    page = orga_client.get("/admin/people").get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page


def test_people_list_shows_account_state(orga_client, create_user):
    create_user("invited@example.org", name="Ida Invited", password=None)
    create_user("gone@example.org", name="Gerd Gone", active=False)
    page = orga_client.get("/admin/people", headers=EN).get_data(as_text=True)
    assert re.search(r"Gerd Gone.*?deactivated", page, re.S)
    assert re.search(r"Ida Invited.*?invited, no password yet", page, re.S)


# --- creating people -------------------------------------------------------------------


def test_create_person(app, orga_client, organiser):
    response = new_person(orga_client, email="  Neu@Example.ORG ", display_name=" Nina Neu ",
                          roles=["lecturer", "participant"], language="en")
    assert response.status_code == 302
    with app.app_context():
        user = User.by_email("neu@example.org")
        assert urlsplit(response.location).path == f"/admin/people/{user.id}"
        assert (user.email, user.display_name, user.language, user.active) == (
            "neu@example.org", "Nina Neu", "en", True)
        assert user.roles == {Role.LECTURER, Role.PARTICIPANT}
        assert user.password_hash is None
        user_id = user.id
    [entry] = audit_entries(app, user_id)
    assert entry.action == "user.created"
    assert entry.actor_id == organiser.id
    assert entry.after["roles"] == ["lecturer", "participant"]
    assert count(app, OutboxMessage) == 0  # send_invitation was not ticked


@pytest.mark.parametrize("email", ["teilnehmer@example.org", "TEILNEHMER@Example.Org"])
def test_create_person_with_taken_email(app, orga_client, participant, email):
    users, audits = count(app, User), count(app, AuditEntry)
    response = new_person(orga_client, email=email, send_invitation="y")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="email-error"' in page
    assert "An account with this email address already exists." in page
    assert (count(app, User), count(app, AuditEntry), count(app, OutboxMessage)) == (
        users, audits, 0)


@pytest.mark.parametrize(("overrides", "field"), [
    ({"roles": None}, "roles"),
    ({"roles": ["emperor"]}, "roles"),
    ({"email": "not-an-email"}, "email"),
    ({"email": "two@@example.org"}, "email"),
    ({"email": ""}, "email"),
    ({"email": "a" * 250 + "@example.org"}, "email"),
    ({"display_name": ""}, "display_name"),
    ({"display_name": "x" * 121}, "display_name"),
    ({"language": "fr"}, "language"),
])
def test_create_person_validation(app, orga_client, overrides, field):
    users = count(app, User)
    response = new_person(orga_client, send_invitation="y", **overrides)
    assert response.status_code == 200
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert count(app, User) == users
    assert count(app, OutboxMessage) == count(app, AuditEntry) == 0


def test_create_deactivated_person_sends_no_useless_invitation(app, orga_client):
    response = new_person(orga_client, active=None, send_invitation="y")
    assert response.status_code == 302
    shown = orga_client.get(response.location, headers=EN)
    assert ("error", "This account is deactivated. Activate it before sending a link.") in (
        flashes(shown))
    with app.app_context():
        user = User.by_email("neu@example.org")
        assert user.active is False
        user_id = user.id
    assert count(app, OutboxMessage) == 0
    [entry] = audit_entries(app, user_id, "user.created")
    assert entry.after["active"] is False


def test_create_person_with_invitation(app, orga_client):
    assert new_person(orga_client, send_invitation="y").status_code == 302
    with app.app_context():
        [message] = db.session.scalars(select(OutboxMessage)).all()
        assert message.recipient == "neu@example.org"
        assert message.user_id == User.by_email("neu@example.org").id
        assert "/invitation/" in message.body


# --- editing people --------------------------------------------------------------------


def test_edit_person_records_audit(app, orga_client, organiser, participant):
    response = edit(orga_client, participant.id, display_name="Paula Teilnehmerin",
                    roles=["participant", "lecturer"], language="en", active=None)
    assert response.status_code == 302
    assert urlsplit(response.location).path == f"/admin/people/{participant.id}"
    after = snapshot(app, participant.id)
    assert after["display_name"] == "Paula Teilnehmerin"
    assert after["roles"] == [Role.LECTURER, Role.PARTICIPANT]
    assert after["active"] is False
    assert after["language"] == "en"

    [entry] = audit_entries(app, participant.id, "user.updated")
    assert entry.actor_id == organiser.id
    assert entry.before == {"email": participant.email, "display_name": "Paul Teilnehmer",
                            "roles": ["participant"], "active": True, "language": None}
    assert entry.after == {"email": participant.email, "display_name": "Paula Teilnehmerin",
                           "roles": ["lecturer", "participant"], "active": False,
                           "language": "en"}

    page = orga_client.get(f"/admin/people/{participant.id}", headers=EN)
    text = page.get_data(as_text=True)
    assert "Account changed" in text
    assert "Paul Teilnehmer → Paula Teilnehmerin" in text
    assert "Olga Organisatorin" in text  # who made the change


def test_edit_form_shows_current_values(orga_client, create_user):
    user = create_user("zwei@example.org", Role.LECTURER, Role.PARTICIPANT, name="Zora Zwei",
                       language="en")
    page = orga_client.get(f"/admin/people/{user.id}").get_data(as_text=True)
    assert re.search(r'<input checked[^>]*value="lecturer"|value="lecturer"[^>]*checked', page)
    assert re.search(r'<input checked[^>]*value="participant"|value="participant"[^>]*checked',
                     page)
    assert not re.search(r'<input checked[^>]*value="organiser"|value="organiser"[^>]*checked',
                         page)
    assert re.search(r'<option selected value="en">|<option value="en" selected', page)
    assert 'value="Zora Zwei"' in page


def test_edit_without_change_writes_no_audit(app, orga_client, participant):
    response = edit(orga_client, participant.id, display_name=participant.display_name)
    assert response.status_code == 302
    assert audit_entries(app, participant.id) == []


def test_edit_validation_changes_nothing(app, orga_client, participant):
    before = snapshot(app, participant.id)
    for fields in ({"roles": None}, {"display_name": ""}, {"language": "xx"},
                   {"roles": ["emperor"]}):
        response = edit(orga_client, participant.id, **{"display_name": "Anders", **fields})
        assert response.status_code == 200
        assert "field--error" in response.get_data(as_text=True)
    assert snapshot(app, participant.id) == before
    assert audit_entries(app, participant.id) == []


@pytest.mark.parametrize("fields", [
    {"roles": ["lecturer"]},
    {"roles": ["organiser"], "active": None},
    {"roles": ["participant", "lecturer"], "active": None},
])
def test_organiser_cannot_demote_or_deactivate_themselves(app, orga_client, organiser, fields):
    before = snapshot(app, organiser.id)
    response = edit(orga_client, organiser.id, display_name="Olga Neu", **fields)
    assert response.status_code == 200
    assert flashes(response) == [
        ("error", "You cannot remove your own organiser role or deactivate yourself.")]
    assert snapshot(app, organiser.id) == before
    assert audit_entries(app, organiser.id) == []
    assert orga_client.get("/admin/people").status_code == 200


def test_organiser_can_edit_own_name(app, orga_client, organiser):
    response = edit(orga_client, organiser.id, display_name="Olga Neu",
                    roles=["organiser", "lecturer"])
    assert response.status_code == 302
    assert snapshot(app, organiser.id)["display_name"] == "Olga Neu"
    assert snapshot(app, organiser.id)["roles"] == [Role.LECTURER, Role.ORGANISER]


def test_organiser_can_demote_another_organiser(app, orga_client, create_user):
    other = create_user("zweite@example.org", Role.ORGANISER, name="Zweite Orga")
    assert edit(orga_client, other.id, display_name="Zweite Orga",
                roles=["lecturer"]).status_code == 302
    assert snapshot(app, other.id)["roles"] == [Role.LECTURER]


# --- links -----------------------------------------------------------------------------


def test_resend_invitation(app, orga_client, create_user):
    user = create_user("gast@example.org", password=None)
    response = orga_client.post(f"/admin/people/{user.id}/invite", headers=EN)
    assert response.status_code == 302
    assert urlsplit(response.location).path == f"/admin/people/{user.id}"
    with app.app_context():
        [message] = db.session.scalars(select(OutboxMessage)).all()
        assert message.recipient == "gast@example.org" and message.user_id == user.id
        assert "http://localhost/invitation/" in message.body
    page = orga_client.get(response.location, headers=EN).get_data(as_text=True)
    assert "A new link has been sent to gast@example.org." in page


def test_send_reset_link_to_person_with_password(app, orga_client, participant):
    assert orga_client.post(f"/admin/people/{participant.id}/invite").status_code == 302
    with app.app_context():
        [message] = db.session.scalars(select(OutboxMessage)).all()
        assert "http://localhost/password/reset/" in message.body
        assert "/invitation/" not in message.body
    # the person's password is untouched until the link is used
    assert snapshot(app, participant.id)["password_hash"] is not None


def test_no_link_for_deactivated_person(app, orga_client, create_user):
    user = create_user("weg@example.org", active=False)
    response = orga_client.post(f"/admin/people/{user.id}/invite", headers=EN,
                                follow_redirects=True)
    assert response.status_code == 200
    assert flashes(response)[0][0] == "error"
    assert count(app, OutboxMessage) == 0


# --- outbox ----------------------------------------------------------------------------


def test_outbox_list_and_message(app, orga_client):
    with app.test_request_context():
        first = send_mail("erste@example.org", "Erste Nachricht",
                          "Hallo,\nhttp://localhost/invitation/abc.def\n")
        second = send_mail("zweite@example.org", "Zweite <Nachricht>",
                           "Hallo <script>alert(1)</script> http://localhost/x")
        db.session.commit()
        first_id, second_id = first.id, second.id

    page = orga_client.get("/admin/outbox", headers=EN).get_data(as_text=True)
    assert "Erste Nachricht" in page and "erste@example.org" in page
    assert "Zweite &lt;Nachricht&gt;" in page
    assert page.index("Zweite") < page.index("Erste")  # newest first
    assert "only in the outbox" in page

    filtered = orga_client.get("/admin/outbox?q=ERSTE", headers=EN).get_data(as_text=True)
    assert "Erste Nachricht" in filtered and "Zweite" not in filtered
    for search in ("niemand", "%", "_"):
        empty = orga_client.get("/admin/outbox", query_string={"q": search}, headers=EN)
        assert "No message matches this filter." in empty.get_data(as_text=True)

    message = orga_client.get(f"/admin/outbox/{first_id}", headers=EN)
    assert message.status_code == 200
    text = message.get_data(as_text=True)
    assert "erste@example.org" in text
    assert '<a href="http://localhost/invitation/abc.def"' in text

    escaped = orga_client.get(f"/admin/outbox/{second_id}").get_data(as_text=True)
    assert "<script>alert" not in escaped
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in escaped
    assert '<a href="http://localhost/x"' in escaped


def test_outbox_empty(orga_client):
    page = orga_client.get("/admin/outbox", headers=EN).get_data(as_text=True)
    assert "No messages yet." in page


# --- forged ids ------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "url"), [
    ("GET", "/admin/people/99999"),
    ("POST", "/admin/people/99999"),
    ("POST", "/admin/people/99999/invite"),
    ("GET", "/admin/outbox/99999"),
    ("GET", "/admin/people/abc"),
    ("GET", "/admin/people/-1"),
    ("GET", "/admin/outbox/abc"),
])
def test_forged_ids_are_not_found(app, orga_client, method, url):
    response = orga_client.open(url, method=method, headers=EN,
                                data={"display_name": "X", "roles": ["participant"]})
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
    assert count(app, OutboxMessage) == count(app, AuditEntry) == 0
