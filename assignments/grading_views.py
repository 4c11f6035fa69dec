"""Staff pages for grading: the queue of a schedule, the grading view, release, files."""

from __future__ import annotations

from collections.abc import Sequence

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.orm import selectinload

from assignments import grading, reviews
from assignments.access import team_members
from assignments.deadlines import owner_deadlines
from assignments.extensions import suggested_revision_due
from assignments.forms import chosen_files
from assignments.grading_files import INLINE_TYPES, inline_response
from assignments.grading_forms import ACTIONS, QueueFilterForm, ReviewForm
from assignments.models import (
    AssignmentSchedule,
    Review,
    ReviewFile,
    Submission,
    SubmissionVersion,
    VersionFile,
)
from assignments.reviews import ReviewInput
from courses.access import STAFF
from lms.auth.access import load, roles_required
from lms.downloads import stored_file_response
from lms.errors import DomainError
from lms.markdown import render_markdown
from lms.uploads import PendingUpload, pending_uploads
from lms.web import page_number, reject


def _for_grading(submission_id: int) -> Submission:
    """A handed-in submission the current person may grade: 404 for drafts (the owners'
    alone), 403 for staff who do not teach its cohort."""
    # the grading view shows every version with its files, review and feedback files
    return load(Submission, submission_id, "grade", options=[
        selectinload(Submission.versions).options(
            selectinload(SubmissionVersion.files),
            selectinload(SubmissionVersion.review).selectinload(Review.files))])


@roles_required(*STAFF)
def grading_queue(schedule_id: int):
    schedule = load(AssignmentSchedule, schedule_id, "manage")
    filters = QueueFilterForm(schedule)
    page = grading.queue(schedule, filters.chosen, page=page_number())
    return render_template("assignments/grading/queue.html", schedule=schedule,
                           assignment=schedule.assignment, page=page, filters=filters,
                           releasable=reviews.releasable_count(schedule),
                           grade_text=reviews.grade_text)


def _grading_page(submission: Submission, filters: QueueFilterForm, form: ReviewForm | None = None,
                  preview: str | None = None, status: int = 200,
                  conflict: ReviewInput | None = None, pending: Sequence[PendingUpload] = ()):
    """The grading view; ``conflict`` is the refused input of a stale form, shown beside
    the saved grade; ``pending`` the files chosen on an earlier page of the same form."""
    version = submission.latest_version
    review = version.review
    if form is None:
        form = ReviewForm(formdata=None)
        if review is not None:
            form.points.data = review.points
            form.passed.data = {True: "yes", False: "no"}.get(review.passed)
            form.feedback.data = review.feedback
        form.revision_due_at.data = suggested_revision_due(submission)
    form.stamp.data = reviews.stamp(submission)
    form.version_id.data = str(version.id)
    schedule = submission.schedule
    following = grading.neighbour(schedule, filters.chosen, submission)
    return render_template(
        "assignments/grading/grade.html", submission=submission, schedule=schedule,
        assignment=schedule.assignment, version=version, review=review,
        earlier=list(reversed(submission.versions[:-1])), form=form, preview=preview,
        filters=filters, following=following, history=reviews.grade_history(submission),
        describe=reviews.describe, grade_text=reviews.grade_text, pass_mark=reviews.pass_mark,
        inline_types=INLINE_TYPES, conflict=conflict, pending=pending,
        feedback_files=reviews.MAX_FEEDBACK_FILES), status


@roles_required(*STAFF)
def grade(submission_id: int):
    """The grading view. Opening it changes nothing (GET never does): starting the
    review is its own button, or follows from saving one."""
    submission = _for_grading(submission_id)
    return _grading_page(submission, QueueFilterForm(submission.schedule))


@roles_required(*STAFF)
def start_review(submission_id: int):
    submission = _for_grading(submission_id)
    if reviews.start_review(submission):
        flash(_("The work is in review now: its owners cannot hand in another version "
                "until you return it."), "success")
    return redirect(url_for(".grade", submission_id=submission.id,
                            **QueueFilterForm(submission.schedule).args()))


@roles_required(*STAFF)
def save_grade(submission_id: int):
    submission = _for_grading(submission_id)
    filters = QueueFilterForm(submission.schedule)
    form = ReviewForm()
    action = request.form.get("action", "grade")
    if action not in ACTIONS:
        abort(400)
    kept = pending_uploads(request.form.getlist("pending"), owner_id=current_user.id)
    if not form.validate_on_submit():
        return _grading_page(submission, filters, form, status=422, pending=kept)
    if action == "preview":
        return _preview(submission, filters, form, kept)
    mine = form.review_input(action)
    if action.startswith("return") and "confirmed" not in request.form:
        return _confirm_return(submission, filters, form, kept, action)
    try:
        reviews.save_review(submission, mine, actor=current_user,
                            seen=form.stamp.data, version_id=int(form.version_id.data),
                            uploads=chosen_files(form.files), kept=kept)
    except DomainError as exc:
        return _refused(submission, filters, form, exc, kept)
    flash(_("The work has been returned for revision. Its owners can read your feedback now.")
          if action.startswith("return")
          else _("The grade has been saved. It stays hidden until you release it."), "success")
    if action.endswith("_next"):
        following = grading.neighbour(submission.schedule, filters.chosen, submission)
        if following is not None:
            return redirect(url_for(".grade", submission_id=following.id, **filters.args()))
        flash(_("That was the last one in the queue."), "info")
        return redirect(url_for(".grading_queue", schedule_id=submission.schedule_id,
                                **filters.args()))
    return redirect(url_for(".grade", submission_id=submission.id, **filters.args()))


def _refused(submission: Submission, filters: QueueFilterForm, form: ReviewForm,
             error: DomainError, kept: Sequence[PendingUpload]):
    """The grading view again with the reason; a stale form shows both grades side by side."""
    reject(form, error)
    if isinstance(error, reviews.GradeConflict):
        return _grading_page(submission, filters, form, status=409,
                             conflict=form.review_input(request.form["action"]), pending=kept)
    return _grading_page(submission, filters, form, status=409 if error.field is None else 422,
                         pending=kept)


def _confirm_return(submission: Submission, filters: QueueFilterForm, form: ReviewForm,
                    kept: list[PendingUpload], action: str):
    """Returning cannot be taken back (its owners read the feedback at once), so it is
    confirmed on a page that says what will happen; nothing is saved before, and the
    chosen files are kept for the confirmation."""
    mine = form.review_input(action)
    try:
        reviews.check_review(submission, mine, seen=form.stamp.data,
                             version_id=int(form.version_id.data))
        kept = kept + reviews.keep_feedback_files(submission, chosen_files(form.files), kept,
                                                  actor=current_user)
    except DomainError as exc:
        return _refused(submission, filters, form, exc, kept)
    return render_template(
        "assignments/grading/confirm_return.html", submission=submission,
        schedule=submission.schedule, assignment=submission.schedule.assignment,
        version=submission.latest_version, form=form, filters=filters, action=action,
        pending=kept, revision_due_at=mine.revision_due_at,
        deadlines=owner_deadlines(submission), owners=team_members(submission))


def _preview(submission: Submission, filters: QueueFilterForm, form: ReviewForm,
             kept: list[PendingUpload]):
    """The feedback rendered, nothing of the review saved; the chosen files are kept
    (pending) and shown as attached, so that saving afterwards does not lose them."""
    preview = render_markdown(form.feedback.data or "")
    try:
        kept = kept + reviews.keep_feedback_files(submission, chosen_files(form.files), kept,
                                                  actor=current_user)
    except DomainError as exc:
        reject(form, exc)
        return _grading_page(submission, filters, form, preview=preview, status=422,
                             pending=kept)
    return _grading_page(submission, filters, form, preview=preview, pending=kept)


@roles_required(*STAFF)
def release_grade(submission_id: int):
    submission = _for_grading(submission_id)
    if reviews.release(submission, actor=current_user):
        flash(_("The grade and feedback are now visible to the participants."), "success")
    else:
        flash(_("There is no hidden grade to release."), "info")
    return redirect(url_for(".grade", submission_id=submission.id,
                            **QueueFilterForm(submission.schedule).args()))


@roles_required(*STAFF)
def release_schedule(schedule_id: int):
    schedule = load(AssignmentSchedule, schedule_id, "manage")
    if "confirmed" not in request.form:  # a release cannot be taken back: say what happens
        return render_template("assignments/grading/confirm_release.html", schedule=schedule,
                               assignment=schedule.assignment,
                               releasable=reviews.releasable(schedule))
    count = reviews.release_all(schedule, actor=current_user)
    flash(ngettext("%(num)d grade has been released.", "%(num)d grades have been released.",
                   count) if count
          else _("There is no hidden grade to release."), "success" if count else "info")
    return redirect(url_for(".grading_queue", schedule_id=schedule.id))


@roles_required(*STAFF)
def version_file_inline(file_id: int):
    """A handed-in file shown in the browser where that is safe (images, PDF)."""
    return inline_response(load(VersionFile, file_id, "download"))


@roles_required()
def review_file(file_id: int):
    file = load(ReviewFile, file_id, "download")
    return stored_file_response(file.sha256, file.filename, file.content_type)
