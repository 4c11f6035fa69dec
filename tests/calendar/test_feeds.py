"""The feeds over HTTP: who gets what, tokens, renewal, validators and 304."""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient

from lms.auth.models import Role, User
from lms.calendar.tokens import feed_token
from lms.extensions import db
from tests.calendar import plugin
from tests.calendar.conftest import berlin, parse_feed
from tests.far_dates import FAR_DAYS, GERMAN_MESSAGE


@pytest.fixture
def programme(add_event):
    """Two cohorts' sessions, a session for all, a public deadline, a cancelled session."""
    plugin.NAMES.update({1: "Kohorte 2017", 2: "Kohorte 2018"})
    return {
        "own": add_event("s1", berlin(2017, 10, 28, 23), berlin(2017, 10, 29, 4), cohort_id=1,
                         title="Sitzung Kohorte 1"),
        "other": add_event("s2", berlin(2018, 6, 7, 10), berlin(2018, 6, 7, 16), cohort_id=2,
                           title="Sitzung Kohorte 2"),
        "all": add_event("s3", berlin(2017, 12, 7, 10), berlin(2017, 12, 7, 17),
                         title="Kongress für alle", kind="congress"),
        "cancelled": add_event("s4", berlin(2018, 1, 18, 9), berlin(2018, 1, 18, 17),
                               cohort_id=1, cancelled=True, sequence=2,
                               title="Abgesagte Sitzung"),
        "deadline": add_event("d1", date(2018, 2, 28), date(2018, 3, 1), kind="deadline",
                              cohort_id=2, public=True, title="Bewerbungsschluss 2018"),
    }


@pytest.fixture
def member(create_user) -> User:
    user = create_user("member@example.org", Role.PARTICIPANT, name="Mia Mitglied")
    plugin.MEMBERS[user.email] = {1}
    return user


def token_of(app: Flask, user: User) -> str:
    with app.test_request_context():
        return feed_token(db.session.get(User, user.id))


def feed_path(app: Flask, user: User) -> str:
    return f"/calendar/feed/{token_of(app, user)}.ics"


def uids(body: bytes) -> set[str]:
    return set(parse_feed(body).by_vobject)


def test_personal_feed_holds_what_its_owner_may_see(calendar_app, cal_client, member,
                                                     programme):
    response = cal_client.get(feed_path(calendar_app, member))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'inline; filename="lehrgang-kalender.ics"'
    feed = parse_feed(response.data)
    expected = {programme[k].uid for k in ("own", "all", "cancelled", "deadline")}
    assert set(feed.by_icalendar) == set(feed.by_vobject) == expected
    assert programme["other"].uid not in response.get_data(as_text=True)
    assert feed.by_vobject[programme["cancelled"].uid].status == "CANCELLED"
    parsed = feed.by_vobject[programme["own"].uid]
    assert (parsed.start, parsed.end) == (programme["own"].start, programme["own"].end)


def test_personal_feed_of_staff_holds_every_cohort(calendar_app, cal_client, lecturer,
                                                   programme):
    response = cal_client.get(feed_path(calendar_app, lecturer))
    assert uids(response.data) == {event.uid for event in programme.values()}


def test_personal_feed_is_in_the_owners_language(calendar_app, cal_client, create_user,
                                                 programme):
    english = create_user("en@example.org", Role.PARTICIPANT, name="Eve English",
                          language="en")
    body = cal_client.get(feed_path(calendar_app, english),
                          headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert "X-WR-CALNAME:Course dates of Eve English\r\n" in body


def test_download_link_gives_an_attachment(calendar_app, cal_client, member, programme):
    response = cal_client.get(feed_path(calendar_app, member) + "?download=1")
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="lehrgang-kalender.ics"'
    assert uids(response.data)


@pytest.mark.parametrize("token", ["nonsense", "1-abc", "99999-" + "A" * 43, "-", "x-y"])
def test_a_wrong_token_answers_404_and_reveals_nothing(calendar_app, cal_client, member,
                                                       programme, token):
    response = cal_client.get(f"/calendar/feed/{token}.ics")
    assert response.status_code == 404
    assert "BEGIN:VCALENDAR" not in response.get_data(as_text=True)
    assert member.display_name not in response.get_data(as_text=True)


def test_a_token_with_another_persons_id_is_wrong(calendar_app, cal_client, member, lecturer,
                                                  programme):
    _, signature = token_of(calendar_app, member).split("-", 1)
    assert cal_client.get(f"/calendar/feed/{lecturer.id}-{signature}.ics").status_code == 404


def test_renewing_cuts_off_the_old_address(calendar_app, cal_client, sign_in, member,
                                           programme):
    old = feed_path(calendar_app, member)
    assert cal_client.get(old).status_code == 200
    sign_in(member)
    response = cal_client.post("/calendar/feed/renew")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/calendar/#subscribe")
    new = feed_path(calendar_app, member)
    assert new != old
    page = cal_client.get("/calendar/").get_data(as_text=True)
    assert new in page and old not in page
    cal_client.post("/logout")
    assert cal_client.get(old).status_code == 404
    assert cal_client.get(new).status_code == 200
    # and again: the second renewal cuts off the first new address too
    sign_in(member)
    cal_client.post("/calendar/feed/renew")
    assert cal_client.get(new).status_code == 404


def test_a_deactivated_persons_feed_answers_404(calendar_app, cal_client, member, programme):
    path = feed_path(calendar_app, member)
    with calendar_app.app_context():
        db.session.get(User, member.id).active = False
        db.session.commit()
    assert cal_client.get(path).status_code == 404


def test_renewal_needs_the_csrf_token(calendar_app, cal_client, sign_in, member, programme,
                                      csrf_enabled):
    calendar_app.config["WTF_CSRF_ENABLED"] = True
    try:
        old = feed_path(calendar_app, member)
        sign_in_with_csrf(cal_client, member)
        assert cal_client.post("/calendar/feed/renew").status_code == 400
        assert feed_path(calendar_app, member) == old
        page = cal_client.get("/calendar/").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
        assert cal_client.post("/calendar/feed/renew",
                               data={"csrf_token": token}).status_code == 302
        assert feed_path(calendar_app, member) != old
    finally:
        calendar_app.config["WTF_CSRF_ENABLED"] = False


def sign_in_with_csrf(client: FlaskClient, user: User) -> None:
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)[1]
    response = client.post("/login", data={"email": user.email, "csrf_token": token,
                                           "password": "ein-sicheres-passwort"})
    assert response.status_code == 302


def test_304_with_if_none_match(calendar_app, cal_client, member, programme):
    path = feed_path(calendar_app, member)
    first = cal_client.get(path)
    etag = first.headers["ETag"]
    assert etag.startswith('W/"')
    assert first.headers["Cache-Control"] in {"private, no-cache", "no-cache, private"}
    again = cal_client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag


def test_304_with_if_modified_since(calendar_app, cal_client, member, programme):
    path = feed_path(calendar_app, member)
    last_modified = cal_client.get(path).headers["Last-Modified"]
    assert last_modified == "Fri, 01 Sep 2017 08:30:00 GMT"
    again = cal_client.get(path, headers={"If-Modified-Since": last_modified})
    assert again.status_code == 304
    earlier = cal_client.get(path, headers={"If-Modified-Since": "Thu, 31 Aug 2017 08:30:00 GMT"})
    assert earlier.status_code == 200


def test_a_change_answers_200_with_a_new_etag(calendar_app, cal_client, member, programme,
                                              add_event):
    path = feed_path(calendar_app, member)
    etag = cal_client.get(path).headers["ETag"]
    add_event("s5", berlin(2018, 3, 1, 10), berlin(2018, 3, 1, 12), cohort_id=1)
    changed = cal_client.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    assert "s5@lehrgang" in uids(changed.data)


def test_an_event_leaving_the_feed_changes_the_etag(calendar_app, cal_client, member,
                                                    programme):
    path = feed_path(calendar_app, member)
    etag = cal_client.get(path).headers["ETag"]
    plugin.MEMBERS[member.email] = set()
    assert cal_client.get(path, headers={"If-None-Match": etag}).status_code == 200


def test_cohort_feed_for_staff(calendar_app, sign_in, organiser, programme):
    client = sign_in(organiser)
    response = client.get("/calendar/cohorts/2.ics")
    assert response.status_code == 200
    assert uids(response.data) == {programme[k].uid for k in ("other", "all", "deadline")}
    calendar_name = parse_feed(response.data).calendar["X-WR-CALNAME"]
    assert str(calendar_name) == "Lehrgangstermine: Kohorte 2018"
    download = client.get("/calendar/cohorts/2.ics?download=1")
    assert download.headers["Content-Disposition"] == \
        'attachment; filename="lehrgang-kohorte-2.ics"'


def test_cohort_feed_for_a_member_and_for_others(calendar_app, sign_in, member, programme):
    client = sign_in(member)
    own = client.get("/calendar/cohorts/1.ics")
    assert uids(own.data) == {programme[k].uid for k in ("own", "all", "cancelled")}
    # the other cohort's only visible item is its public deadline: nothing private leaks
    other = client.get("/calendar/cohorts/2.ics")
    assert uids(other.data) == {programme[k].uid for k in ("all", "deadline")}


def test_cohort_feed_of_an_unseen_or_unknown_cohort_is_404(calendar_app, sign_in, member,
                                                           organiser, programme):
    plugin.EVENTS[:] = [entry for entry in plugin.EVENTS if not entry.public]
    assert sign_in(member).get("/calendar/cohorts/2.ics").status_code == 404
    assert sign_in(organiser).get("/calendar/cohorts/77.ics").status_code == 404


def test_public_feed_needs_no_login_and_holds_public_items_only(calendar_app, cal_client,
                                                                programme):
    response = cal_client.get("/calendar/public.ics")
    assert response.status_code == 200
    assert uids(response.data) == {programme["deadline"].uid}


def test_export_of_everything(calendar_app, sign_in, organiser, programme):
    response = sign_in(organiser).get("/calendar/export.ics")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="lehrgang-export.ics"'
    assert uids(response.data) == {event.uid for event in programme.values()}


def test_export_of_a_part(calendar_app, sign_in, organiser, programme):
    client = sign_in(organiser)
    by_kind = client.get("/calendar/export.ics?export-kinds=congress&export-kinds=deadline")
    assert uids(by_kind.data) == {programme["all"].uid, programme["deadline"].uid}
    by_cohort = client.get("/calendar/export.ics?export-cohort=1")
    assert uids(by_cohort.data) == {programme[k].uid for k in ("own", "all", "cancelled")}
    by_days = client.get("/calendar/export.ics?export-first_day=2017-10-29"
                         "&export-last_day=2017-12-07")
    assert uids(by_days.data) == {programme["own"].uid, programme["all"].uid}


@pytest.mark.parametrize("query, message", [
    ("export-cohort=77", "Please choose one of the listed entries."),
    ("export-kinds=nonsense", "Please choose an entry from the list."),
    ("export-first_day=2018-13-45", "Please enter a date."),
    ("export-first_day=2018-03-01&export-last_day=2018-02-01",
     "The last day cannot be before the first."),
])
def test_export_with_bad_filters_says_what_is_wrong(calendar_app, sign_in, organiser,
                                                    programme, query, message):
    client = sign_in(organiser)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.get(f"/calendar/export.ics?{query}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/calendar/export")
    page = client.get("/calendar/export").get_data(as_text=True)
    assert message in page


@pytest.mark.parametrize("day", FAR_DAYS)
@pytest.mark.parametrize("field", ["first_day", "last_day"])
def test_export_of_far_days_is_refused_in_german(calendar_app, sign_in, organiser, programme,
                                                 field, day):
    client = sign_in(organiser)
    response = client.get(f"/calendar/export.ics?export-{field}={day}")
    assert response.status_code == 302
    assert GERMAN_MESSAGE in client.get("/calendar/export").get_data(as_text=True)
