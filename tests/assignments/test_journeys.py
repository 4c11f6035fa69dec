"""No dead ends and no lost input when handing in and grading (issue 16): feedback on the
work page, returns that can be answered, previews that keep files, confirmations."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

from sqlalchemy import select

from assignments.models import (
    AssignmentSchedule,
    DraftFile,
    Extension,
    Notification,
    Review,
    ReviewFile,
    Submission,
    SubmissionState,
    VersionFile,
)
from lms.dates import BERLIN, INPUT_FORMAT
from lms.db import utcnow
from lms.extensions import db
from lms.uploads import PendingUpload
from tests.assignments import grading_support
from tests.assignments.conftest import count, pdf, snapshot, upload
from tests.assignments.grading_support import EN, post_grade, state_of
from tests.assignments.test_submit import only, send, token_of

#: fixtures shared with the other grading tests
graded, signed_in = grading_support.graded, grading_support.signed_in


def only_where(app, model, **values):
    with app.app_context():
        row = db.session.scalars(select(model).filter_by(**values)).one()
        db.session.expunge(row)
        return row


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


def test_preview_of_the_work_keeps_the_chosen_files_in_the_draft(
        app, world, create_assignment, create_schedule, signed_in):
    """Preview used to drop the files: people handed in without their attachment."""
    schedule = create_schedule(create_assignment(world.module), world.cohort)
    owner = signed_in(world["hamm1"])
    response = send(owner, schedule, "preview", text="Noch **nicht** gespeichert",
                    files=[upload("anhang.pdf")])
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<strong>nicht</strong>" in html and "anhang.pdf" in html
    assert count(app, DraftFile) == 1
    with app.app_context():
        assert db.session.scalar(select(Submission.draft_text)) == ""  # the text: not saved
    # removing a file from the previewed page keeps the typed text
    file_id = only(app, DraftFile).id
    response = owner.post(f"/assignments/schedules/{schedule.id}", headers=EN,
                          content_type="multipart/form-data",
                          data={"text": "Noch nicht gespeichert", "remove_file": str(file_id),
                                "token": token_of(owner, schedule)})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Noch nicht gespeichert" in html
    assert count(app, DraftFile) == 0 and f"draft-files/{file_id}" not in html
    # then handing in takes what the draft holds
    send(owner, schedule, "preview", text="x", files=[upload("anhang.pdf")])
    assert send(owner, schedule, "submit", text="Fertig").status_code == 302
    assert count(app, VersionFile) == 1


def test_a_file_of_someone_else_s_draft_cannot_be_removed_through_the_form(
        app, world, create_assignment, create_schedule, signed_in):
    schedule = create_schedule(create_assignment(world.module), world.cohort)
    send(signed_in(world["hamm1"]), schedule, "preview", files=[upload("anhang.pdf")])
    other = signed_in(world["hamm2"])
    response = other.post(f"/assignments/schedules/{schedule.id}", headers=EN,
                          content_type="multipart/form-data",
                          data={"text": "x", "remove_file": str(only(app, DraftFile).id),
                                "token": token_of(other, schedule)})
    assert response.status_code == 404 and count(app, DraftFile) == 1
    response = other.post(f"/assignments/schedules/{schedule.id}", headers=EN,
                          content_type="multipart/form-data",
                          data={"text": "x", "remove_file": "²",
                                "token": token_of(other, schedule)})
    assert response.status_code == 404 and count(app, DraftFile) == 1


HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)">')
PENDING = re.compile(r'name="pending" value="(\d+)"')


def pending_of(html: str) -> list[str]:
    """The ids of the files a page shows as attached, not saved yet."""
    return PENDING.findall(html)


def test_preview_of_feedback_keeps_the_chosen_files_until_the_grade_is_saved(
        app, world, graded, signed_in):
    submission = graded.submissions["hamm1"]
    lecturer = signed_in(world["lecturer"])
    response = post_grade(lecturer, submission, "preview", feedback="Siehe **Anmerkungen**",
                          files=[upload("anmerkungen.pdf"), upload("liste.txt", b"Liste")])
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<strong>Anmerkungen</strong>" in html
    assert "anmerkungen.pdf" in html and "liste.txt" in html
    assert count(app, ReviewFile) == 0 and count(app, PendingUpload) == 2
    # one is left out by unticking it
    dropped = str(only_where(app, PendingUpload, filename="liste.txt").id)
    kept = [ident for ident in pending_of(html) if ident != dropped]
    response = post_grade(lecturer, submission, "preview", feedback="Siehe Anmerkungen",
                          pending=kept)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Siehe Anmerkungen" in html
    assert "liste.txt" not in html and pending_of(html) == kept
    assert count(app, Review) == 0
    response = post_grade(lecturer, submission, points="12", feedback="Siehe Anmerkungen",
                          pending=pending_of(html))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalars(select(ReviewFile.filename)).all() == ["anmerkungen.pdf"]
    assert count(app, PendingUpload) == 1  # the one left out, never attached


def test_someone_else_s_pending_file_is_never_attached(app, world, graded, signed_in):
    submission = graded.submissions["hamm1"]
    html = post_grade(signed_in(world["lecturer"]), submission, "preview",
                      files=[upload("anmerkungen.pdf")]).get_data(as_text=True)
    response = post_grade(signed_in(world["organiser"]), submission, points="3",
                          pending=pending_of(html))
    assert response.status_code == 302
    assert count(app, ReviewFile) == 0 and count(app, PendingUpload) == 1


def close_schedule(app, schedule) -> None:
    """The schedule's due date and cut-off lie in the past now."""
    with app.app_context():
        row = db.session.get(AssignmentSchedule, schedule.id)
        row.due_at, row.cut_off_at = utcnow() - timedelta(days=2), utcnow() - timedelta(hours=1)
        db.session.commit()


def berlin_input(moment) -> str:
    return moment.astimezone(BERLIN).strftime(INPUT_FORMAT)


def test_a_return_after_the_cut_off_needs_the_date_the_revision_is_due(
        app, world, graded, signed_in):
    """It used to tell the owners to hand in again while their work page refused it."""
    submission = graded.submissions["hamm1"]
    close_schedule(app, graded.points)
    lecturer = signed_in(world["lecturer"])
    before = snapshot(app)
    for due, message in [
            ("", "The cut-off has passed: please give the date by which the revision is due."),
            (berlin_input(utcnow() - timedelta(hours=2)),
             "The revision cannot be due in the past.")]:
        response = post_grade(lecturer, submission, "return", feedback="Bitte überarbeiten",
                              revision_due_at=due, confirmed="1")
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
        assert snapshot(app) == before


def test_returning_work_is_confirmed_and_gives_time_until_the_date_set(
        app, world, graded, signed_in):
    submission = graded.submissions["hamm1"]
    close_schedule(app, graded.points)
    lecturer, owner = signed_in(world["lecturer"]), signed_in(world["hamm1"])
    due = (utcnow() + timedelta(days=14)).replace(second=0, microsecond=0)
    before = snapshot(app)
    response = post_grade(lecturer, submission, "return", feedback="Bitte überarbeiten",
                          revision_due_at=berlin_input(due), files=[upload("hinweise.pdf")])
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="confirm-return"' in html
    assert "can hand in a new version until" in html and "hinweise.pdf" in html
    assert state_of(app, submission) is SubmissionState.SUBMITTED
    assert snapshot(app) == before and count(app, PendingUpload) == 1  # the file, kept
    confirm = {name: unescape(value) for name, value in HIDDEN.findall(html)}
    assert confirm["feedback"] == "Bitte überarbeiten" and confirm["confirmed"] == "1"
    confirm |= {"pending": pending_of(html), "action": "return"}
    response = lecturer.post(f"/assignments/submissions/{submission}/grade", data=confirm,
                             content_type="multipart/form-data", headers=EN)
    assert response.status_code == 302
    assert state_of(app, submission) is SubmissionState.RETURNED
    with app.app_context():
        extension = db.session.scalar(select(Extension))
        assert extension.user_id == world["hamm1"].id and extension.due_at == due
        assert db.session.scalars(select(ReviewFile.filename)).all() == ["hinweise.pdf"]
    html = work_page(owner, graded.points)
    assert "Please hand in your revision by" in html and 'id="work-form"' in html
    assert send(owner, graded.points, "submit", text="Überarbeitet").status_code == 302
    # a second click of the confirmation returns nothing twice
    response = lecturer.post(f"/assignments/submissions/{submission}/grade", data=confirm,
                             content_type="multipart/form-data", headers=EN)
    assert response.status_code == 409
    assert state_of(app, submission) is SubmissionState.SUBMITTED


def test_releasing_all_grades_is_confirmed_on_a_page_that_says_what_happens(
        app, world, graded, signed_in):
    lecturer = signed_in(world["lecturer"])
    for key, points in (("hamm1", "15"), ("hamm2", "8")):
        post_grade(lecturer, graded.submissions[key], points=points)
    url = f"/assignments/schedules/{graded.points.id}/release"
    queue = lecturer.get(f"/assignments/schedules/{graded.points.id}/grading", headers=EN)
    assert f'action="{url}"' in queue.get_data(as_text=True)
    before = snapshot(app), count(app, Notification)
    page = lecturer.post(url, headers=EN)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "2 grades and their feedback become visible" in html
    assert 'name="confirmed" value="1"' in html
    assert (snapshot(app), count(app, Notification)) == before
    assert all(review.released_at is None for review in reviews_of(app))
    assert lecturer.post(url, data={"confirmed": "1"}).status_code == 302
    assert all(review.released_at is not None for review in reviews_of(app))
    again = lecturer.post(url, data={"confirmed": "1"}, headers=EN)  # a second click
    assert again.status_code == 302 and count(app, Notification) == 2


def reviews_of(app) -> list[Review]:
    with app.app_context():
        found = db.session.scalars(select(Review)).all()
        db.session.expunge_all()
        return found


def test_the_suggested_revision_date_is_the_end_of_a_day(app, world, graded, signed_in):
    """Not the minute the lecturer happened to open the form, two weeks on."""
    submission = graded.submissions["hamm1"]
    close_schedule(app, graded.points)
    page = signed_in(world["lecturer"]).get(f"/assignments/submissions/{submission}/grade",
                                            headers=EN).get_data(as_text=True)
    suggested = re.search(r'name="revision_due_at"[^>]*value="([^"]+)"', page).group(1)
    day = (utcnow() + timedelta(days=14)).astimezone(BERLIN).date()
    assert suggested == f"{day.isoformat()}T23:59"
