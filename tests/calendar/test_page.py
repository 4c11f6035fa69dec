"""The calendar page: month grid, list, filters, subscription, and bad input."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from lms.auth.models import Role
from lms.i18n import BERLIN
from tests.calendar import plugin
from tests.calendar.conftest import berlin
from tests.querycount import count_queries


@pytest.fixture
def english(sign_in, cal_client):
    cal_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return sign_in


@pytest.fixture
def dates(add_event):
    plugin.NAMES.update({1: "Kohorte 2017"})
    return [
        add_event("dst", berlin(2017, 10, 28, 23), berlin(2017, 10, 29, 4), cohort_id=1,
                  title="Über die Zeitumstellung"),
        add_event("summer", berlin(2017, 10, 5, 10), berlin(2017, 10, 5, 16), cohort_id=2,
                  title="Sitzung im Oktober", location="Hamm, Rathaus"),
        add_event("congress", date(2017, 12, 7), date(2017, 12, 8), kind="congress",
                  title="Erster Kongress", url="https://lms.example.org/congress/1"),
        add_event("cancelled", berlin(2017, 10, 12, 9), berlin(2017, 10, 12, 12),
                  cancelled=True, title="Abgesagt"),
        add_event("meeting", berlin(2017, 10, 19, 18), berlin(2017, 10, 19, 20),
                  kind="council", title="Ratssitzung Hamm"),
    ]


def page(client, **args) -> str:
    response = client.get("/calendar/", query_string=args)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def cell(html: str, day: str) -> str:
    """The grid cell of ``day`` (ISO date)."""
    match = re.search(rf'<td[^>]*>\s*<time[^>]*datetime="{day}".*?</td>', html, re.S)
    assert match, day
    return match[0]


def test_month_grid_shows_times_in_berlin(english, organiser, dates):
    html = page(english(organiser), month="2017-10")
    assert "<caption>October 2017</caption>" in html
    assert re.search(r'<th scope="col"><abbr title="Monday">Mon</abbr></th>', html)
    october_5 = cell(html, "2017-10-05")
    assert "10:00" in october_5 and "Sitzung im Oktober" in october_5
    # the night across the change: on both days it touches, starting at 23:00 local time
    assert "23:00" in cell(html, "2017-10-28")
    assert "Über die Zeitumstellung" in cell(html, "2017-10-29")
    assert "cancelled" in cell(html, "2017-10-12")
    # the grid starts on Monday 25 September and pads with the neighbouring months
    assert 'datetime="2017-09-25"' in html and 'datetime="2017-11-05"' in html
    assert 'rel="prev"' in html and "month=2017-09" in html and "month=2017-11" in html


def test_today_is_marked(english, participant):
    today = datetime.now(BERLIN).date()
    html = page(english(participant))
    assert html.count('aria-current="date"') == 1
    assert 'aria-current="date"' in cell(html, today.isoformat())


def test_list_view_groups_from_the_chosen_month_on(english, organiser, dates):
    html = page(english(organiser), view="list", month="2017-11")
    assert "Erster Kongress" in html and "Sitzung im Oktober" not in html
    assert '<a href="https://lms.example.org/congress/1">Erster Kongress</a>' in html
    assert "Thursday, 7 Dec 2017, all day" in html
    html = page(english(organiser), view="list", month="2017-10")
    assert "28 Oct 2017, 23:00 \u2013 29 Oct 2017, 04:00" in html
    assert html.index("Sitzung im Oktober") < html.index("Erster Kongress")


def test_filter_by_kind_offers_known_and_present_kinds(english, organiser, dates):
    client = english(organiser)
    html = page(client, month="2017-10")
    for label in ("Sessions", "Deadlines", "Congresses", "Committee meetings", "council"):
        assert f">{label}</label>" in html
    html = page(client, month="2017-10", kinds="council")
    assert "Ratssitzung Hamm" in html and "Sitzung im Oktober" not in html


def test_kind_boxes_show_what_is_shown(english, organiser, dates):
    client = english(organiser)
    unfiltered = page(client, month="2017-10")
    kind_boxes = re.findall(r'<input[^>]*name="kinds"[^>]*>', unfiltered)
    assert len(kind_boxes) >= 5 and all("checked" in box for box in kind_boxes)
    one_kind = re.findall(r'<input[^>]*name="kinds"[^>]*>',
                          page(client, month="2017-10", kinds="council"))
    assert [box for box in one_kind if "checked" in box] == [
        box for box in one_kind if 'value="council"' in box]
    everything = page(client, month="2017-10", kinds=["session", "deadline", "congress",
                                                      "committee", "council"])
    assert "Ratssitzung Hamm" in everything and "Sitzung im Oktober" in everything


def test_organisers_filter_by_cohort_named_by_the_plugin(english, organiser, dates):
    client = english(organiser)
    html = page(client, month="2017-10")
    assert '<option value="1">Kohorte 2017</option>' in html
    assert '<option value="2">Cohort 2</option>' in html  # no name offered for it
    html = page(client, month="2017-10", cohort="1")
    assert "Über die Zeitumstellung" in html and "Sitzung im Oktober" not in html


def test_participants_see_their_own_and_no_cohort_filter(english, create_user, dates):
    member = create_user("m@example.org", Role.PARTICIPANT)
    plugin.MEMBERS[member.email] = {1}
    html = page(english(member), month="2017-10", cohort="2")  # ignored for them
    assert 'name="cohort"' not in html
    assert "Über die Zeitumstellung" in html and "Sitzung im Oktober" not in html
    assert "Export for organisers" not in html


def test_subscription_block(english, participant, dates):
    html = page(english(participant))
    feed = re.search(r'id="feed-url" value="(http://localhost/calendar/feed/[^"]+\.ics)"', html)
    assert feed
    assert f'href="webcal://{feed[1].removeprefix("http://")}"' in html
    assert f'href="{feed[1]}?download=1" download' in html
    for client_name in ("Outlook", "Google Calendar", "Apple Calendar", "Thunderbird"):
        assert f"<dt>{client_name}</dt>" in html
    assert 'action="/calendar/feed/renew"' in html


def test_organiser_sees_export_and_cohort_feeds(english, organiser, dates):
    html = english(organiser).get("/calendar/export").get_data(as_text=True)
    assert 'action="/calendar/export.ics"' in html
    assert 'href="/calendar/cohorts/1.ics?download=1"' in html
    assert 'href="/calendar/public.ics"' in html


def test_the_organisers_month_does_not_grow_with_every_cohort(calendar_app, english,
                                                             organiser, dates, add_event):
    """The month's filter offers the cohorts with dates in it (and the one chosen), not
    every cohort: its size and queries stay the same as far cohorts are added. The
    export, which may pick any cohort, has a page of its own."""
    client = english(organiser)

    def grow(first: int, count: int) -> None:
        for number in range(first, first + count):
            plugin.NAMES[100 + number] = f"Kohorte {100 + number}"
            day = date(2019 + number // 12, number % 12 + 1, 10)
            add_event(f"far{number}", day, day, kind="cohort", cohort_id=100 + number)

    def measured() -> tuple[int, int]:
        with count_queries(calendar_app) as log:
            html = page(client, month="2017-10")
        return len(html), log.count

    grow(0, 5)
    page(client, month="2017-10")  # the first page after signing in says so
    small = measured()
    grow(5, 45)
    assert measured() == small
    html = page(client, month="2017-10")
    assert '<option value="1">Kohorte 2017</option>' in html and "Kohorte 101" not in html
    chosen = page(client, month="2017-10", cohort="149")
    assert '<option selected value="149">Kohorte 149</option>' in chosen
    assert 'href="/calendar/export"' in html
    export = client.get("/calendar/export").get_data(as_text=True)
    assert 'action="/calendar/export.ics"' in export
    assert '<option value="149">Kohorte 149</option>' in export
    assert 'href="/calendar/cohorts/149.ics?download=1"' in export


def test_a_forged_cohort_is_refused_in_german(sign_in, organiser, dates):
    """Neither the month's filter nor the export takes a cohort that is not offered."""
    client = sign_in(organiser)
    refused = "Bitte wählen Sie einen der aufgeführten Einträge aus."
    response = client.get("/calendar/", query_string={"month": "2017-10", "cohort": "77"})
    assert response.status_code == 400 and refused in response.get_data(as_text=True)
    response = client.get("/calendar/export.ics", query_string={"export-cohort": "77"})
    assert response.status_code == 302
    assert refused in client.get("/calendar/export").get_data(as_text=True)


def test_empty_month_points_to_the_nearest_dates(english, organiser, dates):
    html = page(english(organiser), month="2017-11")
    assert "No dates in November 2017." in html
    assert "Earlier dates: October 2017" in html and "Later dates: December 2017" in html


def test_empty_calendar(english, participant):
    html = page(english(participant), view="list")
    assert "There are no dates for you yet." in html
    html = page(english(participant), view="list", kinds="congress")
    assert "No dates match these filters." in html


@pytest.mark.parametrize("args", [{"month": "2017-13"}, {"month": "17-10"},
                                  {"month": "abcd-ef"}, {"month": "0000-01"},
                                  {"view": "year"}])
def test_bad_month_or_view_is_404(sign_in, organiser, args):
    assert sign_in(organiser).get("/calendar/", query_string=args).status_code == 404


@pytest.mark.parametrize("args, message", [
    ({"kinds": "nonsense"}, "Please choose an entry from the list."),
    ({"cohort": "77"}, "Please choose one of the listed entries."),
    ({"cohort": "eins"}, "Please choose one of the listed entries."),
])
def test_bad_filters_are_named_and_ignored(english, organiser, dates, args, message):
    response = english(organiser).get("/calendar/", query_string={"month": "2017-10", **args})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    assert "Sitzung im Oktober" in html  # shown unfiltered


def test_a_day_in_the_grid_uses_local_days(add_event, english, organiser):
    """A 00:30 Berlin session lies on its Berlin day, though it is the day before in UTC."""
    add_event("early", berlin(2018, 3, 1, 0, 30), berlin(2018, 3, 1, 1, 30), title="Früh")
    html = page(english(organiser), month="2018-03")
    assert "Früh" in cell(html, "2018-03-01")
    assert "Früh" not in cell(html, "2018-02-28")
    assert berlin(2018, 3, 1, 0, 30).date() == date(2018, 2, 28)
