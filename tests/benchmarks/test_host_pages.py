"""Host pages: queries per page stay flat as data grows; throughput against bare Flask.

Run ``make bench`` to print the throughput figures; the query counts are part of every
``make test``.
"""

from __future__ import annotations

from flask import Flask, render_template_string

from lms.auth.models import Role
from lms.extensions import db
from lms.mail import send_mail
from tests.benchmarks.conftest import requests_per_second, throughput
from tests.querycount import count_queries

PAGES = ["/", "/admin/people", "/admin/people?role=lecturer", "/admin/outbox", "/account"]


def _grow(app, create_user, people: int, first: int = 0) -> None:
    for number in range(first, first + people):
        create_user(f"bulk{number}@example.org", Role.PARTICIPANT, Role.LECTURER)
    with app.app_context():
        for number in range(first, first + people):
            send_mail(f"bulk{number}@example.org", "Betreff", "Text")
        db.session.commit()


def _queries_per_page(app, client) -> dict[str, int]:
    counts = {}
    for page in PAGES:
        with count_queries(app) as log:
            assert client.get(page).status_code == 200, page
        counts[page] = log.count
    return counts


def test_queries_per_page_stay_flat_as_people_grow(app, client, login, organiser, create_user):
    login(organiser)
    _grow(app, create_user, 3)
    small = _queries_per_page(app, client)
    _grow(app, create_user, 60, first=3)
    large = _queries_per_page(app, client)
    assert large == small
    assert max(small.values()) <= 10, small  # the dashboard: a query per plugin panel


BARE_TEMPLATE = """<!doctype html><html lang="de"><head><title>Personen</title></head><body>
<nav><ul>{% for label in nav %}<li><a href="#">{{ label }}</a></li>{% endfor %}</ul></nav>
<main><h1>Personen</h1><table><thead><tr><th>Name</th><th>E-Mail</th><th>Rollen</th>
<th>Status</th></tr></thead><tbody>{% for p in people %}<tr><td><a href="/p/{{ p.id }}">
{{ p.name }}</a></td><td>{{ p.email }}</td><td>{{ p.roles|join(", ") }}</td><td>aktiv</td>
</tr>{% endfor %}</tbody></table></main></body></html>"""


@throughput
def test_people_page_throughput_against_bare_flask(app, client, login, organiser, create_user):
    """The people list (25 rows) against a bare Flask page rendering the same 25 rows.

    The bare page has no database, sign-in, translation or CSRF; the ratio shows what
    those cost per request on this machine.
    """
    login(organiser)
    _grow(app, create_user, 40)
    lms_rate = requests_per_second(lambda: client.get("/admin/people"))

    people = [{"id": n, "name": f"Person {n}", "email": f"bulk{n}@example.org",
               "roles": ["Dozent/in", "Teilnehmer/in"]} for n in range(25)]
    bare = Flask("bare")

    @bare.route("/")
    def bare_people():
        return render_template_string(BARE_TEMPLATE, people=people,
                                      nav=["Übersicht", "Personen", "Postausgang"])

    bare_client = bare.test_client()
    bare_rate = requests_per_second(lambda: bare_client.get("/"))
    print(f"\n/admin/people (25 rows): {lms_rate:.0f} req/s; bare Flask page with the same "
          f"rows: {bare_rate:.0f} req/s; ratio {lms_rate / bare_rate:.2f}")
    assert lms_rate > 0
