"""Handing in work: the draft, its files, and submitting it as an immutable version.

A submission row exists per owner and schedule from the first save on. Everything that
changes it runs under a row lock on it (``lock_submission``), so two team members
saving or submitting at the same moment take turns: both versions are kept, with
numbers 1 and 2. A second click of the same form (same ``token``) finds the version the
first click made instead of adding another.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import BinaryIO

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from assignments.access import owner_of, team_members
from assignments.deadlines import Owner, owner_deadlines, refusal
from assignments.models import (
    OPEN_STATES,
    AssignmentKind,
    AssignmentSchedule,
    DraftFile,
    Submission,
    SubmissionState,
    SubmissionVersion,
    VersionFile,
)
from lms.auth.models import User
from lms.db import lock_row, utcnow
from lms.errors import DomainError
from lms.extensions import db
from lms.i18n import DEFAULT_LANGUAGE
from lms.links import site_url
from lms.mail import send_mail
from lms.uploads import check_upload, stored_uploads

TEXT_MAX = 200_000


def new_token() -> str:
    """A fresh token for a work form (the double-click guard)."""
    return secrets.token_hex(16)


def find_submission(schedule: AssignmentSchedule, owner: Owner) -> Submission | None:
    statement = select(Submission).where(Submission.schedule_id == schedule.id)
    if schedule.assignment.kind is AssignmentKind.TEAM:
        statement = statement.where(Submission.municipality_id == owner.municipality_id)
    else:
        statement = statement.where(Submission.user_id == owner.user_id)
    return db.session.scalar(statement)


def lock_submission(submission_id: int) -> Submission:
    """The submission row, read fresh and locked until the transaction ends
    (``lms.db.lock_row``)."""
    submission = lock_row(Submission, submission_id)
    if submission is None:
        raise DomainError(_("This work no longer exists."))
    return submission


def submission_for(schedule: AssignmentSchedule, user: User) -> Submission:
    """``user``'s submission for ``schedule``, created on first use, locked.

    Creating it takes the schedule's row lock first and looks again, so two team members
    starting at the same moment find one submission rather than colliding.
    """
    owner = owner_of(user, schedule)
    if owner is None:
        raise DomainError(_("You cannot hand in work for this assignment."))
    submission = find_submission(schedule, owner)
    if submission is None:
        lock_row(AssignmentSchedule, schedule.id)
        submission = find_submission(schedule, owner)
    if submission is None:
        is_team = schedule.assignment.kind is AssignmentKind.TEAM
        submission = Submission(schedule_id=schedule.id,
                                user_id=None if is_team else owner.user_id,
                                municipality_id=owner.municipality_id if is_team else None)
        db.session.add(submission)
        db.session.flush()
    return lock_submission(submission.id)


def _check_open(submission: Submission) -> None:
    if submission.state not in OPEN_STATES:
        raise DomainError(_("Your work is being reviewed or has been graded. A new version "
                            "can be handed in when it is returned for revision."))


def save_draft(submission: Submission, text: str | None,
               uploads: Iterable[tuple[str, BinaryIO]], *, actor: User) -> list[DraftFile]:
    """Keep the answer text and attach the uploaded files (the submission must be locked)."""
    _check_open(submission)
    assignment = submission.schedule.assignment
    text = (text or "").replace("\r\n", "\n")
    if len(text) > TEXT_MAX:
        raise DomainError(_("The answer is too long."), field="text")
    if assignment.text_allowed:
        submission.draft_text = text
    return attach_files(submission, uploads, actor=actor)


def attach_files(submission: Submission, uploads: Iterable[tuple[str, BinaryIO]], *,
                 actor: User) -> list[DraftFile]:
    """Attach uploaded files to the draft (the submission must be locked).

    A preview attaches them too: a page sent back without the files people chose would
    have them hand in without their attachment.
    """
    _check_open(submission)
    assignment = submission.schedule.assignment
    uploads = [(name, stream) for name, stream in uploads if name]
    if len(submission.draft_files) + len(uploads) > assignment.max_files:
        raise DomainError(_("At most %(count)d files can be handed in here. Please remove "
                            "one first.", count=assignment.max_files), field="files")
    checked = [check_upload(name, stream, assignment.work_rules) for name, stream in uploads]
    added = []
    with stored_uploads() as store:
        for upload in checked:
            stored = store.put(upload, assignment.work_rules)
            added.append(DraftFile(filename=upload.filename, content_type=upload.content_type,
                                   size=stored.size, sha256=stored.sha256,
                                   uploaded_by_id=actor.id))
        submission.draft_files.extend(added)
        submission.draft_saved_at = utcnow()
        submission.draft_saved_by_id = actor.id
        db.session.flush()
    return added


def remove_draft_file(file: DraftFile) -> None:
    """Take a file off the draft. It was never handed in; its stored bytes stay."""
    submission = lock_submission(file.submission_id)
    _check_open(submission)
    db.session.delete(file)
    db.session.flush()


def version_for_token(submission: Submission, token: str) -> SubmissionVersion | None:
    """The version a form with ``token`` already handed in, if any."""
    return db.session.scalar(select(SubmissionVersion).where(
        SubmissionVersion.submission_id == submission.id,
        SubmissionVersion.submit_token == token))


def hand_in(schedule: AssignmentSchedule, user: User, *, text: str | None,
            uploads: Iterable[tuple[str, BinaryIO]], token: str,
            now: datetime | None = None) -> tuple[SubmissionVersion, bool]:
    """Save what the form sent into the draft and submit it, in one locked step.

    Returns the version and whether it is new: a repeated click of the same form changes
    nothing and returns the version its first click made.
    """
    submission = submission_for(schedule, user)
    earlier = version_for_token(submission, token)
    if earlier is not None:
        return earlier, False
    save_draft(submission, text, uploads, actor=user)
    return submit(submission, actor=user, token=token, now=now), True


def submit(submission: Submission, *, actor: User, token: str | None,
           now: datetime | None = None) -> SubmissionVersion:
    """Hand in the draft as a new version and send the receipts (the row must be locked)."""
    version = record_version(submission, actor=actor, token=token, now=now)
    send_receipts(version)
    return version


def record_version(submission: Submission, *, actor: User, token: str | None,
                   now: datetime | None = None) -> SubmissionVersion:
    """The draft as a new immutable version: text, files, time; no mail."""
    _check_open(submission)
    now = now or utcnow()
    problem = refusal(owner_deadlines(submission), now)
    if problem is not None:
        raise problem
    assignment = submission.schedule.assignment
    text = submission.draft_text if assignment.text_allowed else ""
    if assignment.text_required and not text.strip():
        raise DomainError(_("This assignment asks for a written answer. Please write it "
                            "before you hand in."), field="text")
    if not text.strip() and not submission.draft_files:
        raise DomainError(_("There is nothing to hand in yet: please write an answer or "
                            "attach a file."), field="text")
    files = [VersionFile(position=index, filename=file.filename,
                         content_type=file.content_type, size=file.size, sha256=file.sha256)
             for index, file in enumerate(submission.draft_files, start=1)]
    submission.version_count += 1
    version = SubmissionVersion(number=submission.version_count, text=text,
                                submitted_by_id=actor.id, submitted_at=now,
                                submit_token=token, files=files)
    submission.versions.append(version)
    submission.newest_version = version
    submission.draft_files = []
    submission.state = SubmissionState.SUBMITTED
    db.session.flush()
    return version


def send_receipts(version: SubmissionVersion) -> None:
    """The receipt by mail to every owner (the outbox keeps it when there is no SMTP)."""
    link = site_url("assignments.version", version_id=version.id)
    for person in team_members(version.submission):
        with force_locale(person.language or DEFAULT_LANGUAGE):
            subject = _("Receipt: %(title)s, version %(number)d",
                        title=version.submission.schedule.assignment.title,
                        number=version.number)
            body = render_template("assignments/mail/receipt.txt", version=version,
                                   person=person, link=link)
        send_mail(person.email, subject, body, user_id=person.id)


def participant_state(submission: Submission | None) -> SubmissionState | None:
    """The state as its owners may see it: a grade not yet released looks "in review"."""
    if submission is None:
        return None
    if submission.state is SubmissionState.GRADED and submission.released_at is None:
        return SubmissionState.IN_REVIEW
    return submission.state
