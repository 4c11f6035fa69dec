"""Extensions: later dates for one person or one municipality, with a reason.

For individual work an extension goes to a person of the cohort or to a municipality
(then it covers its people); team work is owned by municipalities, so only they get one.
Revoking keeps the row, so it stays clear who had which dates when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from assignments.deadlines import Verdict, owner_deadlines, verdict
from assignments.models import AssignmentKind, AssignmentSchedule, Extension, Submission
from cohorts.models import Enrollment, EnrollmentKind
from lms import audit
from lms.auth.models import User
from lms.dates import berlin_day, berlin_day_end, check_date
from lms.datetext import local_datetime
from lms.db import utcnow
from lms.errors import DomainError
from lms.extensions import db

REASON_MAX = 1000
#: the time suggested for the revision of work returned after its cut-off
REVISION_TIME = timedelta(days=14)


@dataclass(frozen=True)
class ExtensionRequest:
    #: "user:<id>" or "municipality:<id>", as the form offers them
    owner: str
    due_at: datetime | None
    cut_off_at: datetime | None
    reason: str


def _candidates(schedule: AssignmentSchedule) -> list[tuple[str, str, bool]]:
    """(form value, name, is a municipality) for everyone who can get an extension."""
    enrollments = db.session.scalars(
        select(Enrollment).where(Enrollment.cohort_id == schedule.cohort_id,
                                 Enrollment.ended_at.is_(None))).all()
    municipalities = {e.municipality.id: e.municipality.name for e in enrollments
                      if e.kind is EnrollmentKind.MUNICIPALITY and e.municipality is not None}
    candidates = [(f"municipality:{ident}", name, True)
                  for ident, name in sorted(municipalities.items(), key=lambda item: item[1])]
    if schedule.assignment.kind is AssignmentKind.INDIVIDUAL:
        candidates += sorted(((f"user:{e.user.id}", e.user.display_name, False)
                              for e in enrollments), key=lambda candidate: candidate[1])
    return candidates


def owner_choices(schedule: AssignmentSchedule) -> list[tuple[str, str]]:
    """Who in the schedule's cohort can get an extension, as (value, label)."""
    return [(value, _("Municipality: %(name)s", name=name) if is_municipality else name)
            for value, name, is_municipality in _candidates(schedule)]


def _owner(schedule: AssignmentSchedule, value: str) -> tuple[int | None, int | None]:
    if value not in {candidate[0] for candidate in _candidates(schedule)}:
        raise DomainError(_("Please choose a person or municipality of this cohort."),
                          field="owner")
    kind, _sep, ident = value.partition(":")
    return (int(ident), None) if kind == "user" else (None, int(ident))


def grant_extension(schedule: AssignmentSchedule, request: ExtensionRequest, *,
                    actor: User) -> Extension:
    """Give later dates; replaces (revokes) the owner's current extension, if any."""
    user_id, municipality_id = _owner(schedule, request.owner)
    if request.due_at is None:
        raise DomainError(_("Please give the new due date."), field="due_at")
    check_date(request.due_at, "due_at")
    check_date(request.cut_off_at, "cut_off_at")
    if request.due_at <= schedule.due_at:
        raise DomainError(_("An extension must end after the cohort's due date."),
                          field="due_at")
    cut_off_at = request.cut_off_at or max(request.due_at, schedule.cut_off_at)
    if cut_off_at < request.due_at:
        raise DomainError(_("The cut-off cannot be before the due date."), field="cut_off_at")
    reason = (request.reason or "").strip()
    if not reason:
        raise DomainError(_("Please give a reason."), field="reason")
    if len(reason) > REASON_MAX:
        raise DomainError(_("The reason is too long."), field="reason")
    for current in schedule.extensions:
        if current.revoked_at is None and (current.user_id, current.municipality_id) \
                == (user_id, municipality_id):
            revoke_extension(current, actor=actor)
    extension = Extension(schedule=schedule, user_id=user_id, municipality_id=municipality_id,
                          due_at=request.due_at, cut_off_at=cut_off_at, reason=reason,
                          granted_by=actor)
    db.session.add(extension)
    schedule.sequence += 1
    db.session.flush()
    audit.record("extension.granted", extension, actor=actor,
                 after={"due_at": extension.due_at.isoformat(),
                        "cut_off_at": extension.cut_off_at.isoformat(), "reason": reason})
    return extension


def revoke_extension(extension: Extension, *, actor: User) -> None:
    if extension.revoked_at is not None:
        raise DomainError(_("This extension has already been revoked."))
    extension.revoked_at = utcnow()
    extension.revoked_by_id = actor.id
    extension.schedule.sequence += 1
    db.session.flush()
    audit.record("extension.revoked", extension, actor=actor,
                 before={"due_at": extension.due_at.isoformat(),
                         "cut_off_at": extension.cut_off_at.isoformat()})


def suggested_revision_due(submission: Submission,
                           now: datetime | None = None) -> datetime | None:
    """The date a return of ``submission`` gives for its revision unless the lecturer sets
    another: none while its owners can still hand in, else the end of the day
    ``REVISION_TIME`` from now."""
    now = now or utcnow()
    if verdict(owner_deadlines(submission), now) is not Verdict.CLOSED:
        return None
    return berlin_day_end(berlin_day(now + REVISION_TIME))


def check_revision_date(submission: Submission, due_at: datetime | None,
                        now: datetime) -> None:
    """Whether returned work can be answered with these dates; raises ``DomainError`` if not.

    After the owners' cut-off a return needs the date by which the revision is due; that
    date lies ahead, and after the date they can hand in until anyway.
    """
    deadlines = owner_deadlines(submission)
    if due_at is None:
        if verdict(deadlines, now) is Verdict.CLOSED:
            raise DomainError(_("The cut-off has passed: please give the date by which the "
                                "revision is due."), field="revision_due_at")
        return
    check_date(due_at, "revision_due_at")
    if due_at <= now:
        raise DomainError(_("The revision cannot be due in the past."),
                          field="revision_due_at")
    if due_at <= deadlines.due_at:
        raise DomainError(_("The work can be handed in until %(due)s anyway. Please choose a "
                            "later date or leave the field empty.",
                            due=local_datetime(deadlines.due_at)),
                          field="revision_due_at")


def grant_revision_time(submission: Submission, due_at: datetime | None, *, actor: User,
                        now: datetime | None = None) -> Extension | None:
    """Give the owners of returned work until ``due_at`` to hand in its revision: an
    extension for them (None: no date given, their dates stay)."""
    check_revision_date(submission, due_at, now or utcnow())
    if due_at is None:
        return None
    owner = (f"municipality:{submission.municipality_id}" if submission.municipality_id
             else f"user:{submission.user_id}")
    cut_off_at = max(due_at, owner_deadlines(submission).cut_off_at)
    return grant_extension(submission.schedule,
                           ExtensionRequest(owner, due_at, cut_off_at,
                                            _("Returned for revision")), actor=actor)
