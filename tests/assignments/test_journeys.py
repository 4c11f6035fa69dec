"""No dead ends and no lost input when handing in and grading (issue 16): feedback on the
work page, returns that can be answered, previews that keep files, confirmations."""

from __future__ import annotations

from tests.assignments import grading_support
from tests.assignments.conftest import pdf, snapshot, upload
from tests.assignments.grading_support import EN, post_grade

#: fixtures shared with the other grading tests
graded, signed_in = grading_support.graded, grading_support.signed_in


def work_page(client, schedule) -> str:
    page = client.get(f"/assignments/schedules/{schedule.id}", headers=EN)
    assert page.status_code == 200
    return page.get_data(as_text=True)


def test_released_feedback_and_its_files_show_on_the_work_page_unreleased_never(
        app, world, graded, signed_in):
    submission = graded.submissions["hamm1"]
    lecturer, owner = signed_in(world["lecturer"]), signed_in(world["hamm1"])
    post_grade(lecturer, submission, points="15", feedback="Erste **Rückmeldung**",
               files=[upload("anmerkungen.pdf")])
    html = work_page(owner, graded.points)
    assert "Erste" not in html and "anmerkungen.pdf" not in html and "15 / 20" not in html
    lecturer.post(f"/assignments/submissions/{submission}/release")
    post_grade(lecturer, submission, points="9", feedback="Geänderte Fassung")
    html = work_page(owner, graded.points)
    assert "<strong>Rückmeldung</strong>" in html and "anmerkungen.pdf" in html
    assert "15 / 20 points" in html
    assert "Geänderte" not in html and "9 / 20" not in html  # changed, not released again
    assert html.index("Rückmeldung") < html.index('id="draft"')  # above the form
    # another person of the cohort sees nothing of it on their own page
    assert "Rückmeldung" not in work_page(signed_in(world["hamm2"]), graded.points)


def test_a_feedback_file_above_the_host_limit_keeps_the_typed_feedback(
        app, world, graded, signed_in, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_UPLOAD_MB", 1)
    submission = graded.submissions["hamm1"]
    lecturer = signed_in(world["lecturer"])
    page = lecturer.get(f"/assignments/submissions/{submission}/grade", headers=EN)
    assert "Up to 5 files, each at most 1 MB" in page.get_data(as_text=True)
    before = snapshot(app)
    response = post_grade(lecturer, submission, points="12", feedback="Lange Rückmeldung",
                          files=[upload("gross.pdf", pdf() + b"0" * (1024 * 1024))])
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Lange Rückmeldung" in html and "“gross.pdf” is larger than 1 MB" in html
    assert snapshot(app) == before


def test_the_work_form_names_its_limit_and_types_before_anything_is_sent(
        world, create_assignment, create_schedule, signed_in):
    schedule = create_schedule(create_assignment(world.module, max_file_mb=7, max_files=2),
                               world.cohort)
    html = work_page(signed_in(world["hamm1"]), schedule)
    assert "Up to 2 files, each at most 7 MB: pdf, docx, txt." in html
