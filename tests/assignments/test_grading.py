"""Grading: in review, graded and hidden, released, returned and resubmitted, the grade
history, the concurrency check, the queue with its filters and "next", inline files."""

from __future__ import annotations

import io
import re

from sqlalchemy import func, select, update

from assignments import grading_dashboard
from assignments.models import (
    GradeChange,
    Notification,
    Review,
    ReviewFile,
    SubmissionState,
    VersionFile,
)
from cohorts.models import Enrollment, EnrollmentKind, Municipality
from lms.db import utcnow
from lms.extensions import db
from lms.mail import OutboxMessage
from tests.assignments import grading_support
from tests.assignments.conftest import count, pdf, snapshot, upload
from tests.assignments.grading_support import EN, grading_form, post_grade, review_of, state_of
from tests.assignments.test_submit import send
from tests.querycount import correlated_selects, count_queries

#: fixtures shared with the other grading tests
graded, signed_in = grading_support.graded, grading_support.signed_in


def test_opening_work_changes_nothing_starting_the_review_is_a_post(app, world, graded,
                                                                     signed_in):
    """Opening the page used to put the work in review: a participant's Markdown image of
    the grading URL, opened by a lecturer's browser, locked another team out."""
    submission = graded.submissions["hamm1"]
    lecturer = signed_in(world["lecturer"])
    before = snapshot(app)
    page = lecturer.get(f"/assignments/submissions/{submission}/grade", headers=EN)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Sabines Fall" in html and "fall.pdf" in html and 'id="start-review"' in html
    assert state_of(app, submission) is SubmissionState.SUBMITTED and snapshot(app) == before
    started = lecturer.post(f"/assignments/submissions/{submission}/start-review", headers=EN)
    assert started.status_code == 302
    assert state_of(app, submission) is SubmissionState.IN_REVIEW
    response = send(signed_in(world["hamm1"]), graded.points, "submit", text="noch etwas")
    assert response.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(VersionFile)) == 2


def test_saving_a_grade_without_starting_the_review_grades_the_work(app, world, graded,
                                                                    signed_in):
    submission = graded.submissions["hamm1"]
    response = post_grade(signed_in(world["lecturer"]), submission, points="12")
    assert response.status_code == 302
    assert state_of(app, submission) is SubmissionState.GRADED


def test_a_grade_stays_hidden_until_it_is_released(app, world, graded, signed_in):
    submission = graded.submissions["hamm1"]
    lecturer, owner = signed_in(world["lecturer"]), signed_in(world["hamm1"])
    response = post_grade(lecturer, submission, points="14.5", feedback="**Gut** gemacht")
    assert response.status_code == 302
    assert state_of(app, submission) is SubmissionState.GRADED
    mine = owner.get("/assignments/my-grades", headers=EN).get_data(as_text=True)
    assert "14.5" not in mine and "Gut" not in mine
    work = owner.get(f"/assignments/schedules/{graded.points.id}", headers=EN)
    assert "14.5" not in work.get_data(as_text=True)
    assert count(app, Notification) == 0

    assert lecturer.post(f"/assignments/submissions/{submission}/release").status_code == 302
    mine = owner.get("/assignments/my-grades", headers=EN).get_data(as_text=True)
    assert "14.5 / 20 points" in mine and "<strong>Gut</strong>" in mine
    with app.app_context():
        notification = db.session.scalar(select(Notification))
        assert notification.user_id == world["hamm1"].id
        assert notification.kind == "feedback_released"
        mail = db.session.scalar(select(OutboxMessage).where(
            OutboxMessage.recipient == "hamm1@example.org"))
        assert "Konfliktfall" in mail.subject
    # another participant of the same cohort sees nothing of it
    other = signed_in(world["hamm2"]).get("/assignments/my-grades", headers=EN)
    assert "14.5" not in other.get_data(as_text=True)


def test_returned_work_shows_its_feedback_at_once_and_can_be_handed_in_again(
        app, world, graded, signed_in):
    submission = graded.submissions["hamm-team"]
    lecturer = signed_in(world["lecturer"])
    response = post_grade(lecturer, submission, "return", confirmed="1",
                          feedback="Die Gremien fehlen.")
    assert response.status_code == 302
    assert state_of(app, submission) is SubmissionState.RETURNED
    for member in ("hamm1", "hamm2"):  # both people of the team see it and are told
        mine = signed_in(world[member]).get("/assignments/my-grades", headers=EN)
        assert "Die Gremien fehlen." in mine.get_data(as_text=True)
    with app.app_context():
        told = db.session.scalars(select(Notification.user_id).where(
            Notification.kind == "returned")).all()
        assert sorted(told) == sorted([world["hamm1"].id, world["hamm2"].id])

    hamm1 = signed_in(world["hamm1"])
    assert send(hamm1, graded.team, "submit", text="Mit Gremien").status_code == 302
    assert state_of(app, submission) is SubmissionState.SUBMITTED
    page = lecturer.get(f"/assignments/submissions/{submission}/grade", headers=EN)
    html = page.get_data(as_text=True)
    assert "Mit Gremien" in html and "Earlier versions and feedback" in html
    assert "Die Gremien fehlen." in html  # the earlier feedback beside the earlier version
    assert post_grade(lecturer, submission, passed="yes").status_code == 302
    assert lecturer.post(f"/assignments/submissions/{submission}/release").status_code == 302
    mine = hamm1.get("/assignments/my-grades", headers=EN).get_data(as_text=True)
    assert "passed" in mine and "Die Gremien fehlen." in mine


def test_a_grade_given_after_a_return_waits_for_release(app, world, graded, signed_in):
    submission = graded.submissions["hamm1"]
    lecturer, owner = signed_in(world["lecturer"]), signed_in(world["hamm1"])
    post_grade(lecturer, submission, "return", confirmed="1", feedback="Bitte den Verlauf ergänzen")
    assert "Bitte den Verlauf" in owner.get("/assignments/my-grades").get_data(as_text=True)
    post_grade(lecturer, submission, points="19", feedback="Doch schon vollständig")
    mine = owner.get("/assignments/my-grades", headers=EN).get_data(as_text=True)
    assert "19 / 20" not in mine and "Doch schon" not in mine
    assert review_of(app, submission).released_at is None
    lecturer.post(f"/assignments/submissions/{submission}/release")
    assert "19 / 20 points" in owner.get("/assignments/my-grades",
                                         headers=EN).get_data(as_text=True)


def test_wrong_grades_get_a_clear_message_and_change_nothing(app, world, graded, signed_in):
    lecturer = signed_in(world["lecturer"])
    individual, team = graded.submissions["hamm1"], graded.submissions["hamm-team"]
    grading_form(lecturer, individual)
    grading_form(lecturer, team)
    before = (snapshot(app), count(app, Review), count(app, GradeChange))
    cases = [
        (individual, "grade", {"points": "21"}, "Please give between 0 and 20 points."),
        (individual, "grade", {"points": "-1"}, None),
        (individual, "grade", {}, "Please give between 0 and 20 points."),
        (individual, "grade", {"points": "zwölf"}, None),
        (team, "grade", {}, "Please choose passed or not passed."),
        (team, "return", {"feedback": "  "}, "Please say in the feedback what should be"),
        (individual, "grade", {"points": "5", "stamp": "x"}, None),
        (individual, "grade", {"points": "sNaN"}, "Please enter a number."),
        (individual, "grade", {"points": "5", "version_id": "9" * 23}, None),
    ]
    for submission, action, fields, message in cases:
        response = post_grade(lecturer, submission, action, **fields)
        assert response.status_code == 422, (fields, response.status_code)
        if message:
            assert message in response.get_data(as_text=True)
    assert (snapshot(app), count(app, Review), count(app, GradeChange)) == before


def test_every_change_of_a_grade_is_kept_and_shown_to_staff(app, world, graded, signed_in):
    submission = graded.submissions["hamm2"]
    lecturer, organiser = signed_in(world["lecturer"]), signed_in(world["organiser"])
    post_grade(lecturer, submission, points="10", feedback="Erste Sicht")
    lecturer.post(f"/assignments/submissions/{submission}/release")
    post_grade(organiser, submission, points="12.5", feedback="Nach Rücksprache angehoben")
    post_grade(organiser, submission, points="12.5", feedback="Nach Rücksprache angehoben")
    with app.app_context():
        changes = db.session.scalars(select(GradeChange).order_by(GradeChange.id)).all()
        assert [c.action for c in changes] == ["graded", "released", "graded"]
        assert changes[0].before is None and changes[0].after["points"] == 10
        assert changes[0].changed_by_id == world["lecturer"].id
        assert changes[2].before["points"] == 10 and changes[2].after["points"] == 12.5
        assert changes[2].changed_by_id == world["organiser"].id
        # a change after release is hidden until it is released again
        assert changes[2].after["released"] is False
    html = lecturer.get(f"/assignments/submissions/{submission}/grade",
                        headers=EN).get_data(as_text=True)
    assert "Grade history" in html and "10 / 20 points" in html and "12.5 / 20 points" in html
    assert "Olga Orga" in html
    mine = signed_in(world["hamm2"]).get("/assignments/my-grades", headers=EN)
    assert "10 / 20 points" in mine.get_data(as_text=True)
    assert "12.5" not in mine.get_data(as_text=True)


def test_a_changed_grade_stays_hidden_until_released_again(app, world, graded, signed_in):
    """Before, the owners saw a changed grade at once, while the lecturer was told it stays
    hidden until released."""
    submission = graded.submissions["hamm1"]
    lecturer, owner = signed_in(world["lecturer"]), signed_in(world["hamm1"])
    post_grade(lecturer, submission, points="10", feedback="Erste Sicht",
               files=[upload("erste.pdf")])
    lecturer.post(f"/assignments/submissions/{submission}/release")
    notified = count(app, Notification)
    response = post_grade(lecturer, submission, points="17", feedback="Zweite Sicht",
                          files=[upload("zweite.pdf")])
    assert response.status_code == 302
    assert "It stays hidden until you release it" in lecturer.get(
        response.headers["Location"], headers=EN).get_data(as_text=True)

    def seen_by_owner() -> str:
        return owner.get("/assignments/my-grades", headers=EN).get_data(as_text=True)

    mine = seen_by_owner()
    assert "10 / 20 points" in mine and "Erste Sicht" in mine and "erste.pdf" in mine
    assert "17 / 20" not in mine and "Zweite Sicht" not in mine and "zweite.pdf" not in mine
    with app.app_context():
        files = {f.filename: f.id for f in db.session.scalars(select(ReviewFile))}
    assert owner.get(f"/assignments/feedback-files/{files['erste.pdf']}").status_code == 200
    assert owner.get(f"/assignments/feedback-files/{files['zweite.pdf']}").status_code in {
        403, 404}
    work = owner.get(f"/assignments/schedules/{graded.points.id}",
                     headers=EN).get_data(as_text=True)
    assert "Zweite Sicht" not in work and "17 / 20" not in work
    assert count(app, Notification) == notified  # nothing new to tell yet
    queue = lecturer.get(f"/assignments/schedules/{graded.points.id}/grading",
                         headers=EN).get_data(as_text=True)
    assert "hidden" in queue
    page = lecturer.get(f"/assignments/submissions/{submission}/grade",
                        headers=EN).get_data(as_text=True)
    assert "Until you release this change, the participants see the grade released" in page
    assert 'name="release"' in page

    assert lecturer.post(f"/assignments/submissions/{submission}/release").status_code == 302
    mine = seen_by_owner()
    assert "17 / 20 points" in mine and "Zweite Sicht" in mine and "zweite.pdf" in mine
    assert "Erste Sicht" not in mine
    assert count(app, Notification) > notified
    with app.app_context():
        changes = db.session.scalars(select(GradeChange).order_by(GradeChange.id)).all()
        assert [c.action for c in changes] == ["graded", "released", "graded", "released"]
        assert changes[2].before["points"] == 10 and changes[2].after["points"] == 17
        assert changes[2].after["released"] is False and changes[3].after["released"] is True


def test_the_second_of_two_lecturers_grading_at_once_is_told_and_loses_nothing(
        app, world, graded, signed_in):
    submission = graded.submissions["hamm1"]
    lecturer, organiser = signed_in(world["lecturer"]), signed_in(world["organiser"])
    first_form = grading_form(lecturer, submission)
    second_form = grading_form(organiser, submission)
    assert post_grade(lecturer, submission, form=first_form, points="15").status_code == 302
    response = post_grade(organiser, submission, form=second_form, points="9",
                          feedback="Meine Sicht")
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Someone else changed this review while you were grading" in html
    assert "Meine Sicht" in html  # the input is still in the form
    # both versions side by side, as the module editor shows a conflict
    conflict = html[html.index('id="grade-conflict"'):html.index('id="review-form"')]
    mine, saved = conflict.split('id="saved-grade"')
    assert "Your grade and feedback (not saved)" in mine and "9 / 20 points" in mine
    assert "Meine Sicht" in mine
    assert "15 / 20 points" in saved and "Doris Dozentin" in saved
    assert review_of(app, submission).points == 15
    assert count(app, GradeChange) == 1


def test_grading_a_version_that_is_no_longer_the_newest_is_refused(app, world, graded,
                                                                  signed_in):
    submission = graded.submissions["hamm1"]
    lecturer = signed_in(world["lecturer"])
    post_grade(lecturer, submission, "return", confirmed="1", feedback="Bitte überarbeiten")
    stale = grading_form(lecturer, submission)
    send(signed_in(world["hamm1"]), graded.points, "submit", text="Zweite Fassung")
    response = post_grade(lecturer, submission, form=stale, points="20")
    assert response.status_code == 409
    assert "A new version was handed in while you were grading" in response.get_data(
        as_text=True)
    assert review_of(app, submission) is None  # the new version has no review yet


def test_preview_renders_the_feedback_and_saves_nothing(app, world, graded, signed_in):
    response = post_grade(signed_in(world["lecturer"]), graded.submissions["hamm1"],
                          "preview", feedback="# Titel\n\n<script>alert(1)</script>*kursiv*")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<em>kursiv</em>" in html and "<script>alert" not in html
    assert count(app, Review) == 0


def test_feedback_files_are_stored_and_shown_to_the_owner_only_once_released(
        app, world, graded, signed_in):
    submission = graded.submissions["hamm1"]
    lecturer, owner = signed_in(world["lecturer"]), signed_in(world["hamm1"])
    response = post_grade(lecturer, submission, points="18",
                          files=[(io.BytesIO(pdf("Anmerkungen")), "korrektur.pdf")])
    assert response.status_code == 302
    with app.app_context():
        file_id = db.session.scalar(select(ReviewFile.id))
    url = f"/assignments/feedback-files/{file_id}"
    assert lecturer.get(url).status_code == 200
    assert owner.get(url).status_code == 404
    lecturer.post(f"/assignments/submissions/{submission}/release")
    download = owner.get(url)
    assert download.status_code == 200 and download.data.startswith(b"%PDF-")
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert signed_in(world["hamm2"]).get(url).status_code == 404
    assert signed_in(world["other_lecturer"]).get(url).status_code == 404


def test_a_forbidden_feedback_file_is_refused_and_nothing_is_stored(app, world, graded,
                                                                   signed_in):
    submission = graded.submissions["hamm1"]
    response = post_grade(signed_in(world["lecturer"]), submission, points="18",
                          files=[(io.BytesIO(b"MZ\x90\x00"), "virus.exe")])
    assert response.status_code == 422
    assert count(app, Review) == 0 and count(app, ReviewFile) == 0


def test_images_and_pdf_show_inline_everything_else_is_an_attachment(app, world, graded,
                                                                    signed_in):
    with app.app_context():
        files = {f.filename: f.id for f in db.session.scalars(select(VersionFile))}
    lecturer = signed_in(world["lecturer"])
    shown = lecturer.get(f"/assignments/files/{files['fall.pdf']}/inline")
    assert shown.status_code == 200 and shown.data.startswith(b"%PDF-")
    assert shown.headers["Content-Type"] == "application/pdf"
    assert shown.headers["Content-Disposition"].startswith("inline;")
    assert shown.headers["X-Content-Type-Options"] == "nosniff"
    text = lecturer.get(f"/assignments/files/{files['notiz.txt']}/inline")
    assert text.headers["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in text.headers["Content-Security-Policy"]
    page = lecturer.get(f"/assignments/submissions/{graded.submissions['hamm1']}/grade")
    assert f'src="/assignments/files/{files["fall.pdf"]}/inline"' in page.get_data(as_text=True)


def test_release_all_releases_every_hidden_grade_of_the_schedule(app, world, graded,
                                                                signed_in):
    lecturer = signed_in(world["lecturer"])
    for key, points in (("hamm1", "15"), ("hamm2", "8")):
        post_grade(lecturer, graded.submissions[key], points=points)
    post_grade(lecturer, graded.submissions["hamm-team"], passed="no")
    queue = lecturer.get(f"/assignments/schedules/{graded.points.id}/grading", headers=EN)
    assert "2 grades are still hidden from the participants." in queue.get_data(as_text=True)
    response = lecturer.post(f"/assignments/schedules/{graded.points.id}/release",
                             data={"confirmed": "1"})
    assert response.status_code == 302
    with app.app_context():
        released = db.session.scalars(select(Review).order_by(Review.id)).all()
        assert [r.released_at is not None for r in released] == [True, True, False]
        assert db.session.scalar(select(func.count()).select_from(Notification)) == 2
    again = lecturer.post(f"/assignments/schedules/{graded.points.id}/release",
                          data={"confirmed": "1"})
    assert again.status_code == 302 and count(app, Notification) == 2


def test_the_queue_filters_and_next_keeps_them(app, world, graded, signed_in):
    lecturer = signed_in(world["lecturer"])
    base = f"/assignments/schedules/{graded.points.id}/grading"

    def names(query: str = "") -> list[str]:
        html = lecturer.get(base + query, headers=EN).get_data(as_text=True)
        return [name for name in ("Sabine Hoffmann", "Tobias Brandt", "Nadine Kaya")
                if name in html]

    assert names() == ["Sabine Hoffmann", "Tobias Brandt", "Nadine Kaya"]
    assert names("?status=late") == ["Nadine Kaya"]
    assert names(f"?municipality={world.hamm.id}") == ["Sabine Hoffmann", "Tobias Brandt"]
    post_grade(lecturer, graded.submissions["hamm2"], "return", confirmed="1",
               feedback="Bitte ergänzen")
    assert names("?status=returned") == ["Tobias Brandt"]
    assert names("?status=ungraded") == ["Sabine Hoffmann", "Nadine Kaya"]
    assert names("?status=nonsense") == ["Sabine Hoffmann", "Tobias Brandt", "Nadine Kaya"]

    # "Save and next" within the "not yet graded" filter: from Nadine (first by name)...
    query = "?status=ungraded"
    response = post_grade(lecturer, graded.submissions["duisburg"], "grade_next",
                          query=query, points="11")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"/assignments/submissions/{graded.submissions['hamm1']}/grade?status=ungraded")
    # ...to Sabine, the last one: then back to the queue, filters kept
    response = post_grade(lecturer, graded.submissions["hamm1"], "grade_next", query=query,
                          points="12")
    assert response.headers["Location"].endswith(f"{base}?status=ungraded")
    assert names("?status=ungraded") == []


def test_the_queue_pages_when_it_is_long(app, world, graded, signed_in, monkeypatch):
    monkeypatch.setattr("assignments.grading.PER_PAGE", 2)
    lecturer = signed_in(world["lecturer"])
    base = f"/assignments/schedules/{graded.points.id}/grading"
    first = lecturer.get(base, headers=EN).get_data(as_text=True)
    second = lecturer.get(base + "?page=2", headers=EN).get_data(as_text=True)
    assert "Page 1 of 2" in first and "Nadine Kaya" in first and "Tobias Brandt" not in first
    assert "Tobias Brandt" in second and "Nadine Kaya" not in second
    assert lecturer.get(base + "?page=99").status_code == 200


def test_the_queue_knows_people_by_their_municipality_in_the_cohort(app, world, graded,
                                                                     signed_in):
    """A person who left the cohort stays with the municipality they were last enrolled
    for; one enrolled anew is with the new one. The queue asks that of a join, not of a
    subquery run again for each row."""
    lecturer = signed_in(world["lecturer"])
    base = f"/assignments/schedules/{graded.points.id}/grading"

    def names(municipality: Municipality) -> list[str]:
        html = lecturer.get(f"{base}?municipality={municipality.id}",
                            headers=EN).get_data(as_text=True)
        return [name for name in ("Sabine Hoffmann", "Tobias Brandt", "Nadine Kaya")
                if name in html]

    with app.app_context():
        db.session.execute(update(Enrollment).where(Enrollment.user_id == world["hamm2"].id)
                           .values(ended_at=utcnow()))
        db.session.commit()
    assert names(world.hamm) == ["Sabine Hoffmann", "Tobias Brandt"]
    assert names(world.duisburg) == ["Nadine Kaya"]
    with app.app_context():
        db.session.add(Enrollment(cohort_id=world.cohort.id, user_id=world["hamm2"].id,
                                  kind=EnrollmentKind.MUNICIPALITY,
                                  municipality_id=world.duisburg.id))
        db.session.commit()
    assert names(world.hamm) == ["Sabine Hoffmann"]
    assert names(world.duisburg) == ["Tobias Brandt", "Nadine Kaya"]
    for query in ("", f"?municipality={world.hamm.id}", "?status=late"):
        with count_queries(app) as log:
            assert lecturer.get(base + query).status_code == 200
        assert correlated_selects(app, log) == [], query


def test_a_team_members_upload_is_still_their_own(app, world, graded, signed_in):
    """Grading never touches the owners' files: the version keeps its checksums."""
    with app.app_context():
        before = sorted((f.filename, f.sha256) for f in db.session.scalars(select(VersionFile)))
    post_grade(signed_in(world["lecturer"]), graded.submissions["hamm1"], points="20",
               files=[upload("korrektur.pdf")])
    with app.app_context():
        after = sorted((f.filename, f.sha256) for f in db.session.scalars(select(VersionFile)))
    assert before == after


def test_an_image_is_shown_inline_in_the_grading_view(app, world, create_assignment,
                                                     create_schedule, signed_in):
    schedule = create_schedule(create_assignment(world.module, "Foto der Pinnwand",
                                                 allowed_extensions="png"), world.cohort)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    send(signed_in(world["duisburg"]), schedule, "submit", files=[upload("pinnwand.png", png)])
    with app.app_context():
        file = db.session.scalar(select(VersionFile))
        submission_id = file.version.submission_id
    lecturer = signed_in(world["lecturer"])
    shown = lecturer.get(f"/assignments/files/{file.id}/inline")
    assert shown.headers["Content-Type"] == "image/png"
    assert shown.headers["Content-Disposition"].startswith("inline;")
    assert "sandbox" in shown.headers["Content-Security-Policy"]
    page = lecturer.get(f"/assignments/submissions/{submission_id}/grade").get_data(
        as_text=True)
    assert f'<img class="inline-file" src="/assignments/files/{file.id}/inline"' in page


def test_odd_queue_filters_are_ignored(app, world, graded, signed_in):
    lecturer = signed_in(world["lecturer"])
    submission = graded.submissions["hamm1"]
    for municipality in ("%C2%B2", "9" * 23, "-1", "abc"):
        for path in (f"/assignments/schedules/{graded.points.id}/grading",
                     f"/assignments/submissions/{submission}/grade"):
            page = lecturer.get(f"{path}?municipality={municipality}")
            assert page.status_code == 200, (path, municipality)


def test_the_lecturers_panel_lists_the_first_waiting_work_and_counts_the_rest(
        app, world, graded, signed_in, monkeypatch):
    monkeypatch.setattr(grading_dashboard, "PANEL_ROWS", 1)
    page = signed_in(world["lecturer"]).get("/", headers=EN).get_data(as_text=True)
    panel = page[page.index("No work is waiting") if "No work is waiting" in page
                 else page.index("Grading"):]
    titles = re.findall(r'status=ungraded">([^<]+)</a>', panel)
    assert len(titles) == 1
    assert "and 1 more assignment with work waiting" in panel
