"""The assignment plugin's part of ``flask lms seed-scale`` (``lms.scale``): every
assignment of the course scheduled for each scale cohort around its module's session,
the work of its people (individual) and municipalities (team) handed in over several
versions until the asked number of versions is reached, and most newest versions graded
and released."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select, update

from assignments.models import (
    Assignment,
    AssignmentKind,
    AssignmentSchedule,
    Review,
    ReviewOutcome,
    Submission,
    SubmissionState,
    SubmissionVersion,
)
from cohorts.models import Enrollment
from cohorts.scale import MODULE_WEEKS, scale_cohorts
from courses.models import Module
from lms.extensions import db
from lms.scale import ScaleSizes, at, chunks, insert_rows

#: of every so many submissions, one still waits for its grade
WAITING_EVERY = 10


def seed_scale(sizes: ScaleSizes) -> None:
    cohorts = [c for c in scale_cohorts() if not _scheduled(c.id)]
    if not cohorts:
        return
    assignments = db.session.scalars(
        select(Assignment).join(Module).where(Module.course_id == cohorts[0].course_id)
        .order_by(Module.position, Assignment.position)).all()
    schedules = []
    for cohort in cohorts:
        for assignment in assignments:
            session_day = cohort.starts_on + timedelta(
                weeks=MODULE_WEEKS * (assignment.module.position - 1))
            schedules.append((cohort.id, assignment, session_day))
    schedule_ids = insert_rows(AssignmentSchedule, ({
        "assignment_id": assignment.id, "cohort_id": cohort_id,
        "opens_at": at(day - timedelta(days=14), 10), "due_at": at(day + timedelta(days=21), 10),
        "cut_off_at": at(day + timedelta(days=28), 10),
    } for cohort_id, assignment, day in schedules))
    owners = _owners([c.id for c in cohorts])
    submissions = [(schedule_id, owner, day)
                   for schedule_id, (cohort_id, assignment, day) in zip(schedule_ids, schedules,
                                                                        strict=True)
                   for owner in owners.get((cohort_id, assignment.kind), [])]
    if not submissions:
        return
    per_submission, extra = divmod(sizes.versions, len(submissions))
    counts = [per_submission + (number < extra) for number in range(len(submissions))]
    submission_ids = insert_rows(Submission, ({
        "schedule_id": schedule_id, **owner, "version_count": count,
        "state": (SubmissionState.DRAFT if not count else SubmissionState.SUBMITTED
                  if number % WAITING_EVERY == 0 else SubmissionState.GRADED),
        "released_at": None if number % WAITING_EVERY == 0 else at(day + timedelta(days=35), 10),
    } for number, ((schedule_id, owner, day), count) in enumerate(zip(submissions, counts,
                                                                      strict=True))))
    _versions_and_reviews(submission_ids, submissions, counts)


def _versions_and_reviews(submission_ids: list[int], submissions: list, counts: list[int]
                          ) -> None:
    """Each submission's versions, its newest one stored on it and graded (but for the
    waiting ones), in chunks of submissions so that memory stays small."""
    for chunk in chunks(range(len(submission_ids)), 2000):
        rows = []
        for index in chunk:
            _schedule, owner, day = submissions[index]
            for number in range(1, counts[index] + 1):
                rows.append({"submission_id": submission_ids[index], "number": number,
                             "text": f"Fassung {number}", "submitted_by_id":
                             owner.get("user_id"),
                             "submitted_at": at(day + timedelta(days=number), 10)})
        version_ids = insert_rows(SubmissionVersion, rows)
        newest: dict[int, int] = {}
        for row, version_id in zip(rows, version_ids, strict=True):
            newest[row["submission_id"]] = version_id
        db.session.execute(update(Submission), [{"id": submission, "latest_version_id": version}
                                                for submission, version in newest.items()])
        graded = [index for index in chunk if counts[index] and index % WAITING_EVERY]
        insert_rows(Review, (_review(newest[submission_ids[index]], submissions[index][2])
                             for index in graded))


def _review(version_id: int, session_day: date) -> dict:
    released = at(session_day + timedelta(days=35), 10)
    return {"version_id": version_id, "outcome": ReviewOutcome.GRADED, "passed": True,
            "points": 15, "feedback": "Gut gelöst.", "released_at": released,
            "shown_at": released, "shown_outcome": ReviewOutcome.GRADED, "shown_points": 15,
            "shown_passed": True, "shown_feedback": "Gut gelöst."}


def _owners(cohort_ids: list[int]) -> dict[tuple[int, AssignmentKind], list[dict]]:
    """For each cohort and kind of work, who hands it in: its people, or its municipalities."""
    owners: dict[tuple[int, AssignmentKind], list[dict]] = {}
    seen_teams: set[tuple[int, int]] = set()
    for cohort_id, user_id, municipality_id in db.session.execute(
            select(Enrollment.cohort_id, Enrollment.user_id, Enrollment.municipality_id)
            .where(Enrollment.cohort_id.in_(cohort_ids), Enrollment.ended_at.is_(None))
            .order_by(Enrollment.id)):
        owners.setdefault((cohort_id, AssignmentKind.INDIVIDUAL), []).append(
            {"user_id": user_id})
        owners.setdefault((cohort_id, AssignmentKind.TEAM), [])
        if municipality_id is not None and (cohort_id, municipality_id) not in seen_teams:
            seen_teams.add((cohort_id, municipality_id))
            owners[(cohort_id, AssignmentKind.TEAM)].append({"municipality_id": municipality_id})
    return owners


def _scheduled(cohort_id: int) -> bool:
    return db.session.scalar(select(AssignmentSchedule.id)
                             .where(AssignmentSchedule.cohort_id == cohort_id).limit(1)) is not None

