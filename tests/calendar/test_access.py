"""Every calendar route for every role, the anonymous visitor and wrong tokens included."""

from __future__ import annotations

import pytest

from lms.auth.models import Role
from tests.calendar.conftest import berlin
from tests.calendar.test_feeds import token_of

PAGE = "/calendar/"
COHORT_FEED = "/calendar/cohorts/1.ics"
EXPORT = "/calendar/export.ics"
EXPORT_PAGE = "/calendar/export"
PUBLIC = "/calendar/public.ics"
RENEW = "/calendar/feed/renew"

#: route -> expected status per role; "login" means a redirect to the sign-in page
MATRIX = {
    ("GET", PAGE): {"anonymous": "login", "participant": 200, "lecturer": 200,
                    "organiser": 200},
    ("GET", COHORT_FEED): {"anonymous": "login", "participant": 200, "lecturer": 200,
                           "organiser": 200},
    ("GET", EXPORT): {"anonymous": "login", "participant": 403, "lecturer": 403,
                      "organiser": 200},
    ("GET", EXPORT_PAGE): {"anonymous": "login", "participant": 403, "lecturer": 403,
                           "organiser": 200},
    ("GET", PUBLIC): {"anonymous": 200, "participant": 200, "lecturer": 200, "organiser": 200},
    ("POST", RENEW): {"anonymous": "login", "participant": 302, "lecturer": 302,
                      "organiser": 302},
    # a personal feed is reached by its token alone (``test_personal_feed_is_reached...``)
    ("GET", "/calendar/feed/not-a-token.ics"): {"anonymous": 404, "participant": 404,
                                                "lecturer": 404, "organiser": 404},
    ("GET", RENEW): {"anonymous": 405, "participant": 405, "lecturer": 405, "organiser": 405},
}
ROLES = {"participant": Role.PARTICIPANT, "lecturer": Role.LECTURER,
         "organiser": Role.ORGANISER}


@pytest.fixture
def cohort_one(add_event, create_user):
    add_event("s1", berlin(2017, 10, 5, 10), berlin(2017, 10, 5, 12), cohort_id=1)


@pytest.mark.parametrize("who", ["anonymous", *ROLES])
@pytest.mark.parametrize("method, path", list(MATRIX))
def test_route_by_role(calendar_app, cal_client, sign_in, create_user, cohort_one, method,
                       path, who):
    from tests.calendar import plugin

    if who != "anonymous":
        user = create_user(f"{who}@example.org", ROLES[who])
        plugin.MEMBERS[user.email] = {1}
        sign_in(user)
    response = cal_client.open(path, method=method)
    expected = MATRIX[(method, path)][who]
    if expected == "login":
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("who", ["anonymous", *ROLES])
def test_personal_feed_is_reached_by_token_only(calendar_app, cal_client, sign_in,
                                                create_user, cohort_one, who):
    """Signed in or not, the token decides; without the right one, 404."""
    owner = create_user("owner@example.org", Role.PARTICIPANT)
    good = f"/calendar/feed/{token_of(calendar_app, owner)}.ics"
    if who != "anonymous":
        sign_in(create_user(f"{who}@example.org", ROLES[who]))
    assert cal_client.get(good).status_code == 200
    assert cal_client.get(good.replace(".ics", "x.ics")).status_code == 404
    assert cal_client.get(f"/calendar/feed/{owner.id}.ics").status_code == 404
