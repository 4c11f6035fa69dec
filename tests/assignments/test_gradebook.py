"""The gradebook: people and municipalities by assignments, totals, the certificate rule's
verdict (the certificates plugin's column), both exports (CSV and XLSX) read back, and what
participants see of their own grades."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from assignments.extensions import ExtensionRequest, grant_extension
from assignments.gradebook import build_gradebook
from assignments.models import AssignmentSchedule, GradingScheme, Submission
from cohorts.models import Cohort, Enrollment
from lms.auth.models import User
from lms.csvfile import read_csv
from lms.db import utcnow
from lms.extensions import db
from tests.assignments import grading_support
from tests.assignments.grading_support import EN, post_grade
from tests.workbooks import XLSX_TYPE, by_header, read_sheet, sheet_rows

#: fixtures shared with the other grading tests
graded, signed_in = grading_support.graded, grading_support.signed_in


def _grade_all(world, graded, signed_in):
    lecturer = signed_in(world["lecturer"])
    post_grade(lecturer, graded.submissions["hamm1"], points="16", feedback="Gut")
    post_grade(lecturer, graded.submissions["hamm2"], points="8", feedback="Zu knapp")
    post_grade(lecturer, graded.submissions["hamm-team"], passed="yes")
    lecturer.post(f"/assignments/schedules/{graded.points.id}/release", data={"confirmed": "1"})
    lecturer.post(f"/assignments/schedules/{graded.team.id}/release", data={"confirmed": "1"})
    return lecturer


def test_the_gradebook_shows_grades_totals_late_marks_and_the_certificate(
        app, world, graded, signed_in, create_assignment, create_schedule):
    extra = create_schedule(create_assignment(world.module, "Freiwillige Reflexion",
                                              grading=GradingScheme.FEEDBACK_ONLY,
                                              max_points=None, counts_for_certificate=False),
                            world.cohort)
    assert extra.id
    lecturer = _grade_all(world, graded, signed_in)
    html = lecturer.get(f"/assignments/cohorts/{world.cohort.id}/gradebook",
                        headers=EN).get_data(as_text=True)
    for text in ("Konfliktfall", "Akteurslandkarte", "Freiwillige Reflexion",
                 "Sabine Hoffmann", "16 / 20 points", "8 / 20 points", "Nadine Kaya",
                 "submitted (late)", "Bernd Koch", "n/a", "Municipalities (team work)",
                 "not for the certificate", "hidden"):
        assert text in html, text
    # the certificate rule's verdict: Sabine only, 16 of 20 and her team's work passed
    assert html.count("<td>met</td>") == 1
    assert "<td>missing: Konfliktfall</td>" in html  # Tobias: 8 of 20; Bernd: nothing
    for format in ("xlsx", "csv"):  # both exports linked
        assert f'href="/assignments/cohorts/{world.cohort.id}/gradebook.{format}"' in html


def test_points_pass_from_half_the_maximum(app, world, graded, signed_in):
    """Points pass from half the maximum; returned work does not pass."""
    lecturer = signed_in(world["lecturer"])
    post_grade(lecturer, graded.submissions["hamm1"], points="10")       # exactly half
    post_grade(lecturer, graded.submissions["hamm2"], points="9.99")
    post_grade(lecturer, graded.submissions["hamm-team"], passed="yes")
    with app.test_request_context():
        book = build_gradebook(db.session.get(Cohort, world.cohort.id))
        rows = {row.label: row for row in book.people}
        assert rows["Sabine Hoffmann"].passed_count == 2
        assert rows["Tobias Brandt"].passed_count == 1  # the team's work only
        assert rows["Tobias Brandt"].points == 9.99
        assert rows["Nadine Kaya"].passed_count == 0  # her work is not graded yet
        assert rows["Bernd Koch"].passed_count == 0  # nothing handed in
        teams = {row.label: row for row in book.municipalities}
        assert teams["Hamm"].passed_count == 1 and teams["Duisburg"].passed_count == 0
    # a returned piece of work is not passed
    post_grade(lecturer, graded.submissions["hamm-team"], "return", confirmed="1",
               feedback="Nachbessern")
    with app.test_request_context():
        book = build_gradebook(db.session.get(Cohort, world.cohort.id))
        assert {row.label: row for row in book.people}["Sabine Hoffmann"].passed_count == 1


def test_the_csv_export_reads_back_with_every_value(app, world, graded, signed_in):
    lecturer = _grade_all(world, graded, signed_in)
    response = lecturer.get(f"/assignments/cohorts/{world.cohort.id}/gradebook.csv",
                            headers=EN)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.data.startswith(b"\xef\xbb\xbf")
    header, rows = read_csv(response.data)
    assert header == ["Name", "Email", "Municipality", "AGS", "Konfliktfall",
                      "Akteurslandkarte", "Points", "Passed", "Certificate"]
    by_name = {row[0]: row for row in rows}
    assert by_name["Sabine Hoffmann"] == ["Sabine Hoffmann", "hamm1@example.org", "Hamm",
                                          "05915000", "16 / 20 points", "passed", "16", "2",
                                          "met"]
    assert by_name["Tobias Brandt"][4:] == ["8 / 20 points", "passed", "8", "1",
                                            "missing: Konfliktfall"]
    # work not handed in is an empty cell, not "-" (which Excel showed as '-)
    assert by_name["Nadine Kaya"][3:6] == ["05112000", "submitted (late)", ""]
    assert by_name["Bernd Koch"][2:] == ["", "", "", "", "0", "0", "missing: Konfliktfall"]
    line = next(line for line in response.data.decode("utf-8-sig").splitlines()
                if line.startswith('"Bernd Koch"'))
    assert line.endswith(';;;;;0;0;"missing: Konfliktfall"')
    assert "'-" not in response.data.decode("utf-8-sig")


def test_the_xlsx_export_keeps_codes_numbers_and_empty_cells(app, world, graded, signed_in):
    with app.app_context():
        db.session.get(User, world["duisburg"].id).display_name = "=Kaya & Ünal"
        db.session.commit()
    lecturer = _grade_all(world, graded, signed_in)
    response = lecturer.get(f"/assignments/cohorts/{world.cohort.id}/gradebook.xlsx",
                            headers=EN)
    assert response.status_code == 200
    assert response.mimetype == XLSX_TYPE
    assert response.headers["Content-Disposition"].startswith(
        f'attachment; filename="gradebook-{world.cohort.id}.xlsx"')
    assert response.headers["Cache-Control"] == "private, no-store"
    sheet = read_sheet(response.data)
    assert sheet.title == "Gradebook"
    assert sheet_rows(sheet)[0] == ("Name", "Email", "Municipality", "AGS", "Konfliktfall",
                                    "Akteurslandkarte", "Points", "Passed", "Certificate")
    rows = {row["Name"].value: row for row in by_header(sheet)}
    sabine = rows["Sabine Hoffmann"]
    assert [cell.value for cell in sabine.values()] == [
        "Sabine Hoffmann", "hamm1@example.org", "Hamm", "05915000", "16 / 20 points",
        "passed", 16, 2, "met"]
    assert sabine["AGS"].data_type == "s" and sabine["Points"].data_type == "n"
    assert sabine["Passed"].data_type == "n"
    kaya = rows["=Kaya & Ünal"]
    assert kaya["Name"].data_type == "s"  # a string, not a formula
    assert (kaya["AGS"].value, kaya["Akteurslandkarte"].value) == ("05112000", None)
    assert [cell.value for cell in rows["Bernd Koch"].values()][2:] == [
        None, None, None, None, 0, 0, "missing: Konfliktfall"]


def test_the_csv_neutralises_formulas_in_names(app, world, graded, signed_in):
    with app.app_context():
        db.session.get(User, world["duisburg"].id).display_name = "=HYPERLINK(\"x\")"
        db.session.commit()
    lecturer = signed_in(world["lecturer"])
    data = lecturer.get(f"/assignments/cohorts/{world.cohort.id}/gradebook.csv").data
    assert b"'=HYPERLINK" in data
    _, rows = read_csv(data)
    assert '=HYPERLINK("x")' in [row[0] for row in rows]


def test_my_grades_shows_released_team_work_to_every_member_only(app, world, graded,
                                                                 signed_in):
    lecturer = signed_in(world["lecturer"])
    post_grade(lecturer, graded.submissions["hamm-team"], passed="no",
               feedback="Die Karte ist unvollständig.")
    for member in ("hamm1", "hamm2"):
        page = signed_in(world[member]).get("/assignments/my-grades", headers=EN)
        assert "Die Karte ist unvollständig." not in page.get_data(as_text=True)
    lecturer.post(f"/assignments/submissions/{graded.submissions['hamm-team']}/release")
    for member in ("hamm1", "hamm2"):
        html = signed_in(world[member]).get("/assignments/my-grades",
                                            headers=EN).get_data(as_text=True)
        assert "Die Karte ist unvollständig." in html and "not passed" in html
        assert "team work of Hamm" in html
    for stranger in ("duisburg", "mediator", "outsider"):
        html = signed_in(world[stranger]).get("/assignments/my-grades",
                                              headers=EN).get_data(as_text=True)
        assert "Die Karte ist unvollständig." not in html
        assert "No grades or feedback have been released to you yet." in html


def test_an_ended_enrolment_keeps_own_grades_but_not_the_teams(app, world, graded,
                                                               signed_in):
    lecturer = _grade_all(world, graded, signed_in)
    lecturer.post(f"/assignments/submissions/{graded.submissions['hamm-team']}/release")
    with app.app_context():
        enrollment = db.session.scalar(select(Enrollment).where(
            Enrollment.user_id == world["hamm1"].id))
        enrollment.ended_at = utcnow()
        db.session.commit()
        assert db.session.scalar(select(Submission.id).where(
            Submission.user_id == world["hamm1"].id))
    html = signed_in(world["hamm1"]).get("/assignments/my-grades",
                                         headers=EN).get_data(as_text=True)
    assert "16 / 20 points" in html and "team work of Hamm" not in html


def test_an_extension_granted_after_hand_in_clears_the_late_mark_everywhere(
        app, world, graded, signed_in):
    """Lateness is the one deadline rule asked now, not a mark frozen at hand-in."""
    lecturer = signed_in(world["lecturer"])
    cohort, submission_id = world.cohort.id, graded.submissions["duisburg"]
    queue = f"/assignments/schedules/{graded.points.id}/grading"

    def shown() -> dict[str, bool]:
        with app.test_request_context():
            book = build_gradebook(db.session.get(Cohort, cohort))
            nadine = next(row for row in book.people if row.label == "Nadine Kaya")
            version = db.session.get(Submission, submission_id).latest_version
            cell_late, version_late = nadine.cells[0].late, version.late
        page = lecturer.get(f"/assignments/cohorts/{cohort}/gradebook",
                            headers=EN).get_data(as_text=True)
        export = lecturer.get(f"/assignments/cohorts/{cohort}/gradebook.csv",
                              headers=EN).get_data(as_text=True)
        late_queue = lecturer.get(queue + "?status=late", headers=EN).get_data(as_text=True)
        return {"cell": cell_late, "version": version_late,
                "page": "submitted (late)" in page, "export": "(late)" in export,
                "queue": "Nadine Kaya" in late_queue}

    assert shown() == dict.fromkeys(("cell", "version", "page", "export", "queue"), True)
    with app.test_request_context():
        schedule = db.session.get(AssignmentSchedule, graded.points.id)
        grant_extension(schedule, ExtensionRequest(
            owner=f"user:{world['duisburg'].id}", due_at=schedule.due_at + timedelta(days=2),
            cut_off_at=None, reason="Krankheit"), actor=db.session.get(User, world["lecturer"].id))
        db.session.commit()
    assert shown() == dict.fromkeys(("cell", "version", "page", "export", "queue"), False)
