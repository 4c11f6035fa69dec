"""Every congress route against every kind of visitor, forged ids, bad input and CSRF.

Visitors, in this order: anonymous, a participant of the course, a participant who does
not belong to it (``outsider``), a lecturer and an organiser. Public congresses are open
to all; internal ones answer like missing ones to who may not see them (anonymous: sign
in, others: 404). Only organisers change congresses. A guard test fails when a route is
missing from the table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from courses.congress_models import AgendaItem, Attendance, Congress, Speaker
from lms.audit import AuditEntry
from lms.auth.models import Role
from lms.datetext import local_datetime
from lms.extensions import db
from tests.courses.conftest import berlin, form_time
from tests.courses.congress_factories import item_details, make_congress
from tests.courses.test_routes_access import check_outcome

ANONYMOUS, PARTICIPANT, OUTSIDER = "anonymous", "participant", "outsider"
LECTURER, ORGANISER = "lecturer", "organiser"
VISITORS = (ANONYMOUS, PARTICIPANT, OUTSIDER, LECTURER, ORGANISER)
SIGNED_IN = frozenset(VISITORS) - {ANONYMOUS}
DAY = "2099-06-10"


def everyone(outcome: str) -> dict[str, str]:
    return dict.fromkeys(VISITORS, outcome)


def members(outcome: str) -> dict[str, str]:
    """Internal congresses: the course's people see them, nobody else does."""
    return {**everyone(outcome), ANONYMOUS: "login", OUTSIDER: "404"}


def organisers(outcome: str) -> dict[str, str]:
    return {ANONYMOUS: "login", PARTICIPANT: "403", OUTSIDER: "403", LECTURER: "403",
            ORGANISER: outcome}


@dataclass(frozen=True)
class Case:
    name: str
    endpoint: str
    method: str
    #: with {public}, {internal}, {item} (of the public one), {internal_item} filled in
    path: str
    expect: dict[str, str]
    data: dict[str, object] = field(default_factory=dict)
    changes: frozenset[str] = frozenset()


CONGRESS_DATA = {"title": "Zweiter Kongress", "subtitle": "", "starts_at": f"{DAY}T10:00",
                 "ends_at": f"{DAY}T17:00", "venue": "Halle", "address": "", "description": "",
                 "public": "y", "capacity": ""}
ITEM_DATA = {"title": "Neuer Vortrag", "kind": "talk", "starts_at": form_time(f"{DAY} 14:00"),
             "ends_at": form_time(f"{DAY} 14:45"), "room": "Saal 2",
             "speakers": "Dr. Eva Roth; Forschung; Universität", "description": ""}
ORG = frozenset({ORGANISER})
TO_PUBLIC = "to:/congresses/{public}"

CASES = [
    Case("list", "congresses.index", "GET", "/congresses/", everyone("200")),
    Case("public page", "congresses.congress", "GET", "/congresses/{public}", everyone("200")),
    Case("internal page", "congresses.congress", "GET", "/congresses/{internal}",
         members("200")),
    Case("public programme", "congresses.programme", "GET", "/congresses/{public}/programme",
         everyone("200")),
    Case("internal programme", "congresses.programme", "GET",
         "/congresses/{internal}/programme", members("200")),
    Case("public feed", "congresses.feed", "GET", "/congresses/{public}.ics", everyone("200")),
    Case("internal feed", "congresses.feed", "GET", "/congresses/{internal}.ics",
         members("200")),
    Case("new congress form", "congresses.new_congress", "GET", "/congresses/new",
         organisers("200")),
    Case("create congress", "congresses.new_congress", "POST", "/congresses/new",
         organisers("to:/congresses/*"), data=CONGRESS_DATA, changes=ORG),
    Case("edit form", "congresses.edit_congress", "GET", "/congresses/{public}/edit",
         organisers("200")),
    Case("edit congress", "congresses.edit_congress", "POST", "/congresses/{public}/edit",
         organisers(TO_PUBLIC), data=CONGRESS_DATA, changes=ORG),
    Case("confirm cancelling", "congresses.cancel_congress", "GET",
         "/congresses/{internal}/cancel", organisers("200")),
    Case("cancel congress", "congresses.cancel_congress", "POST",
         "/congresses/{internal}/cancel", organisers("to:/congresses/{internal}"),
         data={"cancelled": "1"}, changes=ORG),
    Case("new item form", "congresses.new_item", "GET", "/congresses/{public}/items/new",
         organisers("200")),
    Case("add item", "congresses.new_item", "POST", "/congresses/{public}/items/new",
         organisers(TO_PUBLIC), data=ITEM_DATA, changes=ORG),
    Case("edit item form", "congresses.edit_item", "GET",
         "/congresses/{public}/items/{item}/edit", organisers("200")),
    Case("edit item", "congresses.edit_item", "POST", "/congresses/{public}/items/{item}/edit",
         organisers(TO_PUBLIC), data=ITEM_DATA, changes=ORG),
    Case("move form", "congresses.move_item", "GET", "/congresses/{public}/items/{item}/move",
         organisers("200")),
    Case("move item", "congresses.move_item", "POST", "/congresses/{public}/items/{item}/move",
         organisers(TO_PUBLIC), data={"starts_at": form_time(f"{DAY} 11:00")}, changes=ORG),
    Case("reorder item", "congresses.reorder_item", "POST",
         "/congresses/{public}/items/{item}/reorder", organisers(TO_PUBLIC),
         data={"direction": "down"}, changes=ORG),
    Case("cancel item", "congresses.cancel_item", "POST",
         "/congresses/{public}/items/{item}/cancel", organisers(TO_PUBLIC),
         data={"cancelled": "1"}, changes=ORG),
    Case("register", "congresses.register", "POST", "/congresses/{public}/register",
         {**everyone(TO_PUBLIC), ANONYMOUS: "login"}, changes=SIGNED_IN),
    Case("register internal", "congresses.register", "POST",
         "/congresses/{internal}/register", members("to:/congresses/{internal}"),
         changes=SIGNED_IN - {OUTSIDER}),
    # nobody is registered yet: a message, nothing changed
    Case("unregister", "congresses.unregister", "POST", "/congresses/{public}/unregister",
         {**everyone(TO_PUBLIC), ANONYMOUS: "login"}),
    Case("attendance list", "congresses.attendance", "GET", "/congresses/{public}/attendance",
         organisers("200")),
    *[Case(f"attendance export {format}", "congresses.attendance_export", "GET",
           f"/congresses/{{public}}/attendance.{format}", organisers("200"))
      for format in ("csv", "xlsx")],
]


def database_state(app) -> tuple[object, ...]:
    def rows(model, *columns):
        return tuple(db.session.execute(select(*columns).order_by(model.id)).all())

    with app.app_context():
        return (
            rows(Congress, Congress.id, Congress.title, Congress.starts_at, Congress.cancelled,
                 Congress.sequence, Congress.capacity),
            rows(AgendaItem, AgendaItem.id, AgendaItem.title, AgendaItem.starts_at,
                 AgendaItem.ends_at, AgendaItem.position, AgendaItem.cancelled,
                 AgendaItem.sequence),
            rows(Speaker, Speaker.id, Speaker.name),
            rows(Attendance, Attendance.id, Attendance.status),
            rows(AuditEntry, AuditEntry.id),
        )


@pytest.fixture
def world(app, cohorts, create_user, organiser, lecturer, course):
    """A public and an internal congress with agendas; participants in and out of the course."""
    items = (item_details(starts=f"{DAY} 10:00", ends=f"{DAY} 10:30"),
             item_details("Pause", f"{DAY} 10:30", f"{DAY} 11:00", kind="break"))
    public = make_congress(app, course.id, items=items, starts_at=_at("10:00"),
                           ends_at=_at("17:00"))
    internal = make_congress(app, course.id, items=items, public=False, title="Werkstatt",
                             starts_at=_at("10:00"), ends_at=_at("17:00"))
    with app.app_context():
        first = {congress: db.session.scalar(
            select(AgendaItem.id).where(AgendaItem.congress_id == congress)
            .order_by(AgendaItem.starts_at)) for congress in (public, internal)}
    return {
        "values": {"public": public, "internal": internal, "item": first[public],
                   "internal_item": first[internal]},
        "people": {PARTICIPANT: create_user("k2017-teilnehmer@example.org"),
                   OUTSIDER: create_user("aussen@example.org"),
                   LECTURER: lecturer, ORGANISER: organiser},
    }


def _at(clock: str) -> datetime:
    return berlin(f"{DAY} {clock}")


def _client(app, world, client_for, visitor: str):
    return app.test_client() if visitor == ANONYMOUS else client_for(world["people"][visitor])


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_access(app, world, client_for, case: Case):
    """Each visitor in turn, organisers last: only they change congresses, so who came
    before cannot change what the next one gets (registrations are each person's own)."""
    values = world["values"]
    path = case.path.format(**values)
    for visitor in VISITORS:
        client = _client(app, world, client_for, visitor)
        before = database_state(app)
        response = client.open(path, method=case.method, data=case.data,
                               headers={"Accept-Language": "de"})
        try:
            check_outcome(response, case.expect[visitor].format(**values), path)
        except AssertionError as failure:
            raise AssertionError(f"{visitor}: {failure}") from failure
        changed = database_state(app) != before
        assert changed == (visitor in case.changes), f"{visitor}: database change does not " \
                                                     "match the table"


def test_every_congress_route_is_in_the_table(app):
    table = {(case.endpoint, case.method) for case in CASES}
    missing = sorted(
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("congresses.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
        if (rule.endpoint, method) not in table
    )
    assert missing == [], f"add these congress routes to the table: {missing}"


def test_the_navigation_offers_congresses_to_anonymous_visitors(app, world):
    page = app.test_client().get("/congresses/", headers={"Accept-Language": "de"})
    body = page.get_data(as_text=True)
    assert 'href="/congresses/"' in body
    assert 'href="/congresses/{public}"'.format(**world["values"]) in body
    assert "Werkstatt" not in body  # the internal congress is not listed


def test_members_see_internal_congresses_in_the_list(app, world, client_for):
    body = client_for(world["people"][PARTICIPANT]).get("/congresses/").get_data(as_text=True)
    assert "Werkstatt" in body
    outsider = client_for(world["people"][OUTSIDER]).get("/congresses/").get_data(as_text=True)
    assert "Werkstatt" not in outsider


# --- Forged ids ------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path", "data"), [
    ("GET", "/congresses/{public}/items/{internal_item}/edit", {}),
    ("POST", "/congresses/{public}/items/{internal_item}/edit", ITEM_DATA),
    ("POST", "/congresses/{public}/items/{internal_item}/move",
     {"starts_at": form_time(f"{DAY} 12:00")}),
    ("POST", "/congresses/{public}/items/{internal_item}/reorder", {"direction": "down"}),
    ("POST", "/congresses/{public}/items/{internal_item}/cancel", {"cancelled": "1"}),
    ("POST", "/congresses/{public}/items/99999/cancel", {"cancelled": "1"}),
    ("GET", "/congresses/99999", {}),
    ("POST", "/congresses/99999/register", {}),
    ("GET", "/congresses/99999.ics", {}),
])
def test_forged_ids_answer_404_and_change_nothing(app, world, client_for, method, path, data):
    client = client_for(world["people"][ORGANISER])
    before = database_state(app)
    response = client.open(path.format(**world["values"]), method=method, data=data)
    assert response.status_code == 404
    assert database_state(app) == before


def test_anonymous_visitors_cannot_tell_internal_from_missing(app, world):
    client = app.test_client()
    internal = client.get("/congresses/{internal}".format(**world["values"]))
    missing = client.get("/congresses/99999")
    assert internal.status_code == missing.status_code == 302
    assert internal.location.startswith("/login")


# --- Bad input -------------------------------------------------------------------------------


def _german(message: str, **values: object) -> str:
    with force_locale("de"):
        return _(message, **values)


@pytest.mark.parametrize(("changes", "message"), [
    ({"starts_at": form_time("2099-06-11 10:00"), "ends_at": form_time("2099-06-11 11:00")},
     "Agenda items must lie within the congress, from %(start)s to %(end)s."),
    ({"ends_at": form_time(f"{DAY} 13:00")}, "The end must be after the start."),
    ({"speakers": "; nur eine Rolle"}, "Line %(number)d: please write “Name; role; "
                                        "organisation”."),
    ({"kind": "keynote"}, "Please choose one of the listed entries."),
])
def test_bad_agenda_items_get_a_german_message_and_change_nothing(app, world, client_for,
                                                                  changes, message):
    client = client_for(world["people"][ORGANISER])
    before = database_state(app)
    response = client.post("/congresses/{public}/items/new".format(**world["values"]),
                           data={**ITEM_DATA, **changes})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    with app.test_request_context(), force_locale("de"):
        # the host's formatting, whose far-future offsets are its own question
        expected = _german(message, start=local_datetime(_at("10:00")),
                           end=local_datetime(_at("17:00")), number=1)
    assert expected in body
    assert 'class="field field--error"' in body
    assert database_state(app) == before


def test_negative_capacity_gets_a_message_and_changes_nothing(app, world, client_for):
    client = client_for(world["people"][ORGANISER])
    before = database_state(app)
    response = client.post("/congresses/{public}/edit".format(**world["values"]),
                           data={**CONGRESS_DATA, "capacity": "-5"})
    assert response.status_code == 200
    with app.test_request_context():
        expected = _german("Please enter a number from %(min)d to %(max)d.", min=0, max=100_000)
    assert expected in response.get_data(as_text=True)
    assert database_state(app) == before


def test_a_double_click_registers_once(app, world, client_for):
    client = client_for(world["people"][PARTICIPANT])
    path = "/congresses/{public}/register".format(**world["values"])
    client.post(path)
    second = client.post(path, follow_redirects=True)
    with app.test_request_context():
        expected = _german("You are already registered for this congress.")
    assert expected in second.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Attendance).count() == 1


def test_register_then_unregister_through_the_page(app, world, client_for):
    client = client_for(world["people"][PARTICIPANT])
    base = "/congresses/{public}".format(**world["values"])
    client.post(f"{base}/register")
    assert 'id="unregister"' in client.get(base).get_data(as_text=True)
    client.post(f"{base}/unregister")
    assert 'id="register"' in client.get(base).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Attendance.status)).value == "cancelled"


def test_an_organiser_adds_an_item_that_the_public_page_shows(app, world, client_for):
    client = client_for(world["people"][ORGANISER])
    values = world["values"]
    client.post("/congresses/{public}/items/new".format(**values), data=ITEM_DATA)
    page = app.test_client().get("/congresses/{public}".format(**values)).get_data(as_text=True)
    assert "Neuer Vortrag" in page and "Dr. Eva Roth" in page and "Saal 2" in page


def test_cancelled_items_are_struck_through_and_labelled(app, world, client_for):
    values = world["values"]
    client_for(world["people"][ORGANISER]).post(
        "/congresses/{public}/items/{item}/cancel".format(**values), data={"cancelled": "1"})
    page = app.test_client().get("/congresses/{public}".format(**values),
                                 headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert "<del>Eröffnung</del>" in page
    assert '<span class="badge badge--cancelled">Abgesagt</span>' in page


def test_the_printable_programme_has_no_navigation(app, world):
    page = app.test_client().get("/congresses/{public}/programme".format(**world["values"]))
    body = page.get_data(as_text=True)
    assert "Eröffnung" in body and "main-nav" not in body and "<form" not in body
    assert "congress.css" in body


def test_a_lecturer_may_not_edit(app, world, client_for):
    assert Role.LECTURER in world["people"][LECTURER].roles
    response = client_for(world["people"][LECTURER]).get(
        "/congresses/{public}".format(**world["values"]))
    assert "/edit" not in response.get_data(as_text=True)


# --- CSRF ------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", [case for case in CASES if case.method == "POST"],
                         ids=lambda case: case.name)
def test_every_form_needs_the_csrf_token(app, world, client_for, csrf_enabled, case: Case):
    client = client_for(world["people"][ORGANISER])
    before = database_state(app)
    response = client.post(case.path.format(**world["values"]), data=case.data)
    assert response.status_code == 400
    assert database_state(app) == before


def test_cancelling_a_congress_asks_first_and_says_what_happens(app, world, client_for):
    client = client_for(world["people"][ORGANISER])
    public = world["values"]["public"]
    page = client.get(f"/congresses/{public}", headers={"Accept-Language": "de"}
                      ).get_data(as_text=True)
    assert f'<a href="/congresses/{public}/cancel">Kongress absagen</a>' in page
    client.post(f"/congresses/{public}/register")
    before = database_state(app)
    confirm = client.get(f"/congresses/{public}/cancel", headers={"Accept-Language": "de"})
    body = confirm.get_data(as_text=True)
    assert database_state(app) == before
    assert "Kongress „Gesellschaftliche Konflikte effizient bearbeiten“ absagen?" in body
    assert "1 Person hat sich angemeldet" in body
    assert f'action="/congresses/{public}/cancel"' in body
    assert '<input type="hidden" name="cancelled" value="1">' in body
    assert f'href="/congresses/{public}"' in body  # back, changing nothing
    assert client.post(f"/congresses/{public}/cancel", data={"cancelled": "1"}).status_code == 302
    with app.app_context():
        assert db.session.get(Congress, public).cancelled
