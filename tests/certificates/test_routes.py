"""Every route of the rule, the eligibility board and the own progress, for every role;
refused POSTs change nothing; the board's queries do not grow with the cohort."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from assignments.certificates.models import CertificateRule
from assignments.models import Assignment
from cohorts.attendance_models import AttendanceStatus
from lms.audit import AuditEntry
from lms.extensions import db
from tests.certificates.conftest import add_sessions, enrolled_since_start, record
from tests.certificates.routes import ROLES, RULE_CASES, RULE_FORM
from tests.querycount import count_queries
from tests.workbooks import XLSX_TYPE, by_header, read_sheet


def _ids(world) -> dict[str, int]:
    return {"cohort": world.cohort.id, "course": world.cohort.course_id}


def _client(app, client_for, world, role):
    return app.test_client() if role == "anonymous" else client_for(world[role])


def _state(app) -> tuple:
    with app.app_context():
        return (db.session.scalars(select(CertificateRule.min_attendance_percent)).all(),
                len(db.session.scalars(select(AuditEntry.id)).all()))


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_each_role_as_the_table_says(app, steps_world, client_for, role):
    client = _client(app, client_for, steps_world, role)
    wrong = []
    for (method, path), answers in RULE_CASES.items():
        url = path.format(**_ids(steps_world))
        before = _state(app)
        response = client.open(url, method=method, data=RULE_FORM if method == "POST" else None)
        if response.status_code != answers[role]:
            wrong.append(f"{method} {url}: {response.status_code}, expected {answers[role]}")
        if response.status_code == 302 and role == "anonymous":
            assert "/login" in response.headers["Location"]
        if method == "POST" and answers[role] != 302 and _state(app) != before:
            wrong.append(f"{method} {url} as {role} changed something")
    assert wrong == []


def test_the_board_says_who_meets_the_rule_and_filters(app, steps_world, client_for):
    with app.app_context():
        enrolled_since_start(steps_world)
    client = client_for(steps_world["lecturer"])
    base = f"/certificates/eligibility/cohorts/{steps_world.cohort.id}"
    page = client.get(base).get_data(as_text=True)
    assert "4 von 4 Personen erfüllen die Zertifikatsregel." in page
    for name in ("Sabine Hoffmann", "Tobias Brandt", "Nadine Kaya", "Bernd Koch"):
        assert name in page
    client_for(steps_world["organiser"]).post(
        f"/certificates/rules/courses/{steps_world.cohort.course_id}", data=RULE_FORM)
    page = client.get(f"{base}?show=eligible").get_data(as_text=True)
    assert "Bernd Koch" in page and "Sabine Hoffmann" not in page  # mediators: no step
    page = client.get(f"{base}?show=pending").get_data(as_text=True)
    assert "Sabine Hoffmann" in page and "fehlt: Schritt „Empfehlungen“" in page
    assert "Bernd Koch" not in page
    csv = client.get(f"{base}/eligibility.csv?show=pending").data.decode("utf-8-sig")
    assert "Sabine Hoffmann" in csv and "Bernd Koch" not in csv


def test_the_rule_form_saves_checks_and_shows_the_excused_rule(app, steps_world, client_for,
                                                               module, create_assignment):
    work = create_assignment(module, "Modularbeit 5")  # counts, as a new assignment does
    organiser = client_for(steps_world["organiser"])
    url = f"/certificates/rules/courses/{steps_world.cohort.course_id}"
    page = organiser.get(url).get_data(as_text=True)
    assert "Entschuldigtes Fehlen zählt in diesem Lehrgang als Abwesenheit." in page
    assert f'href="/course/{steps_world.cohort.course_id}/edit"' in page
    before = _state(app)
    for bad in ({"min_attendance_percent": "101"}, {"min_attendance_percent": ""},
                {"min_attendance_percent": "80", "required_step": "flying"},
                {"min_attendance_percent": "80", "required_assignments": "999999"}):
        response = organiser.post(url, data=bad)
        assert response.status_code == 200, bad
        assert 'class="error"' in response.get_data(as_text=True), bad
    assert _state(app) == before
    assert re.search(rf'value="{work.id}"[^>]* checked|checked[^>]* value="{work.id}"', page)
    response = organiser.post(url, data=RULE_FORM, follow_redirects=True)  # no box ticked
    assert "Die Zertifikatsregel wurde gespeichert." in response.get_data(as_text=True)
    with app.app_context():
        rule = db.session.scalar(select(CertificateRule))
        assert (rule.min_attendance_percent, rule.required_step.value) == (75, "recommendations")
        assert not db.session.get(Assignment, work.id).counts_for_certificate
    organiser.post(url, data={**RULE_FORM, "required_assignments": str(work.id)})
    with app.app_context():
        assert db.session.get(Assignment, work.id).counts_for_certificate


def test_the_board_queries_do_not_grow_with_the_people(app, steps_world, client_for, enroll,
                                                       create_user, create_municipality):
    client = client_for(steps_world["organiser"])
    url = f"/certificates/eligibility/cohorts/{steps_world.cohort.id}"

    def queries() -> int:
        with count_queries(app) as log:
            assert client.get(url).status_code == 200
        return log.count

    small = queries()
    place = create_municipality("Essen", "05113000")
    for number in range(6):
        enroll(create_user(f"more{number}@example.org", name=f"Person {number}"),
               steps_world.cohort, place if number % 2 else None)
    assert queries() == small


def test_the_rule_form_needs_its_csrf_token(app, steps_world, client_for):
    organiser = client_for(steps_world["organiser"])  # signed in before CSRF is on
    url = f"/certificates/rules/courses/{steps_world.cohort.course_id}"
    before = _state(app)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert organiser.post(url, data=RULE_FORM).status_code == 400
        assert _state(app) == before
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                          organiser.get(url).get_data(as_text=True)).group(1)
        assert organiser.post(url, data={**RULE_FORM, "csrf_token": token}).status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert _state(app) != before


def test_the_board_workbook_keeps_numbers_and_codes(app, steps_world, client_for, module):
    with app.app_context():
        enrolled_since_start(steps_world)
        held = add_sessions(steps_world, module.id, [-20, -10])
        for session_id in held:
            record(steps_world, session_id, {"duisburg": AttendanceStatus.ABSENT})
    response = client_for(steps_world["organiser"]).get(
        f"/certificates/eligibility/cohorts/{steps_world.cohort.id}/eligibility.xlsx")
    assert response.mimetype == XLSX_TYPE
    rows = {row["Name"].value: row for row in by_header(read_sheet(response.data))}
    kaya, sabine = rows["Nadine Kaya"], rows["Sabine Hoffmann"]
    assert kaya["AGS"].value == "05112000" and kaya["AGS"].data_type == "s"
    assert (kaya["Zertifikat"].value, kaya["Anwesenheitsquote (%)"].value) == (
        "fehlt: 2 Präsenztermine", 0)
    assert sabine["Anwesenheitsquote (%)"].value == 100
    assert sabine["Anwesenheitsquote (%)"].data_type == "n"
