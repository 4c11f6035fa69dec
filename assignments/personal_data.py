"""The personal data the module-work plugin keeps: its declaration for the record of
processing, a person's part of their export (Art. 15 GDPR) and of their erasure (Art. 17)."""

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, delete, or_, select, update

from assignments.models import (
    Assignment,
    AssignmentSchedule,
    DraftFile,
    Extension,
    GradeChange,
    Notification,
    Review,
    ReviewFile,
    Submission,
    SubmissionVersion,
    VersionFile,
)
from cohorts.models import Enrollment
from lms.auth.models import User
from lms.erasure import Erasure
from lms.extensions import db
from lms.personal_export import file_path
from lms.plugins import ExportedFile, PersonalData, PersonalSection
from lms.processing import KEPT_WITH_RECORDS

PERSONAL_DATA = (
    PersonalData(
        _l("Module work"), _l("Participants and lecturers"),
        _l("Drafts, handed-in versions with their files and times, extensions with their "
           "reasons, notifications; who set each assignment"),
        _l("Handing in, following deadlines, proving what was handed in when"),
        KEPT_WITH_RECORDS,
        ("assignments", "assignment_submissions", "assignment_versions",
         "assignment_draft_files", "assignment_version_files", "assignment_extensions",
         "assignment_notifications")),
    PersonalData(
        _l("Grades and feedback"), _l("Participants and lecturers"),
        _l("Points or pass/fail, feedback and its files, who graded, every change of a grade"),
        _l("Assessment for the certificate, and tracing every change of a grade"),
        KEPT_WITH_RECORDS,
        ("assignment_reviews", "assignment_review_files", "assignment_grade_changes")),
)


def export_personal_data(user: User) -> PersonalSection:
    """A person's own work and their municipality's team work (the team's record, not
    who else is in the team), the grades and feedback released on it, their extensions
    and notifications, and what they graded (when, not whose)."""
    files: list[ExportedFile] = []
    submissions = [_submission(submission, user, files)
                   for submission in db.session.scalars(_submissions_of(user))]
    extensions = db.session.scalars(select(Extension).where(Extension.user_id == user.id)
                                    .order_by(Extension.granted_at, Extension.id))
    notifications = db.session.scalars(select(Notification).where(
        Notification.user_id == user.id).order_by(Notification.created_at, Notification.id))
    reviews = db.session.scalars(select(Review).where(Review.reviewer_id == user.id)
                                 .order_by(Review.created_at, Review.id))
    return PersonalSection({
        "submissions": submissions,
        "extensions": [{"assignment": extension.schedule.assignment.title,
                        "due_at": extension.due_at, "cut_off_at": extension.cut_off_at,
                        "reason": extension.reason, "granted_at": extension.granted_at,
                        "revoked_at": extension.revoked_at} for extension in extensions],
        "notifications": [{"kind": note.kind, "params": note.params, "link": note.link,
                           "created_at": note.created_at, "read_at": note.read_at}
                          for note in notifications],
        "reviews_written": [{"assignment": review.version.submission.schedule.assignment.title,
                             "created_at": review.created_at,
                             "updated_at": review.updated_at} for review in reviews],
    }, tuple(files))


def _submissions_of(user: User) -> Select[tuple[Submission]]:
    """The person's own submissions and those of the teams they were enrolled for."""
    team = (select(Submission.id)
            .join(AssignmentSchedule, AssignmentSchedule.id == Submission.schedule_id)
            .join(Enrollment, (Enrollment.cohort_id == AssignmentSchedule.cohort_id)
                  & (Enrollment.municipality_id == Submission.municipality_id))
            .where(Enrollment.user_id == user.id))
    return select(Submission).where(
        or_(Submission.user_id == user.id, Submission.id.in_(team))).order_by(Submission.id)


def _submission(submission: Submission, user: User, files: list[ExportedFile]) -> dict[str, Any]:
    folder = f"abgabe-{submission.id}"
    draft_files = [_file(files, row, folder, "entwurf") for row in submission.draft_files]
    return {
        "assignment": submission.schedule.assignment.title,
        "cohort": submission.schedule.cohort.name,
        "team": submission.municipality.name if submission.municipality else None,
        "state": submission.state,
        "draft": {"text": submission.draft_text, "saved_at": submission.draft_saved_at,
                  "files": draft_files},
        "versions": [_version(version, user, files, folder) for version in submission.versions],
    }


def _version(version: SubmissionVersion, user: User, files: list[ExportedFile],
             folder: str) -> dict[str, Any]:
    name = f"fassung-{version.number}"
    review = version.review
    released = review is not None and review.shown_at is not None
    return {
        "number": version.number, "submitted_at": version.submitted_at,
        "submitted_by_you": version.submitted_by_id == user.id, "text": version.text,
        "files": [_file(files, row, folder, name) for row in version.files],
        "review": {
            "released_at": review.shown_at, "outcome": review.shown_outcome,
            "points": review.shown_points, "passed": review.shown_passed,
            "feedback": review.shown_feedback,
            "files": [_file(files, row, folder, name, "feedback")
                      for row in review.files if row.shown_at is not None],
        } if released else None,
    }


def _file(files: list[ExportedFile], row: DraftFile | VersionFile | ReviewFile,
          *folders: str) -> dict[str, Any]:
    """The row's file in the export, added to ``files``; its entry in the document."""
    exported = ExportedFile(file_path("assignments", *folders, f"{row.id}-{row.filename}"),
                            row.sha256)
    files.append(exported)
    return {"name": row.filename, "size": row.size, "file": exported.path}


def erase_personal_data(erasure: Erasure) -> None:
    """Handed-in versions, grades and extensions stay with the pseudonymised account (the
    team's with the team); the person's own drafts and their files, and their
    notifications, go; texts and grade histories that mention the person are scrubbed."""
    user_id = erasure.user.id
    own = select(Submission.id).where(Submission.user_id == user_id)
    drafts = db.session.scalars(select(DraftFile).where(DraftFile.submission_id.in_(own)))
    files = [row.sha256 for row in drafts]
    db.session.execute(delete(DraftFile).where(DraftFile.submission_id.in_(own)))
    db.session.execute(update(Submission).where(Submission.user_id == user_id)
                       .values(draft_text="", draft_saved_at=None))
    db.session.execute(delete(Notification).where(Notification.user_id == user_id))
    erasure.forget_files(files)
    erasure.scrub(Submission.draft_text, SubmissionVersion.text, Review.feedback,
                  Review.shown_feedback, Extension.reason, Assignment.instructions,
                  GradeChange.before, GradeChange.after, Notification.params)
