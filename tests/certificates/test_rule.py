"""THE certificate rule at its edges: attendance (the minimum exactly, just below it, excused
absences under both course settings, cancelled, unrecorded and upcoming sessions), module
work (newest version's released grade decides; nothing unreleased counts), team work,
mediators, and the implementation step."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from assignments.certificates.models import CertificateRule
from assignments.certificates.rule import sessions_short, standing_of, standings
from assignments.certificates.settings import RuleInput, save_rule
from assignments.models import AssignmentKind, AssignmentSchedule, ReviewOutcome, Submission
from assignments.reviews import ReviewInput, release, save_review, stamp
from assignments.steps.models import StepKind
from assignments.submitting import hand_in, new_token
from cohorts.attendance import AttendanceRate
from cohorts.attendance_models import AttendanceStatus
from cohorts.models import Cohort
from courses.models import Course
from lms.audit import AuditEntry
from lms.auth.models import User
from lms.errors import DomainError
from lms.extensions import db
from tests.assignments.steps.factories import accept_recommendations
from tests.certificates.conftest import (
    add_sessions,
    enrolled_since_start,
    module_work,
    record,
    set_rule,
)
from tests.concurrency import run_at_once

P, E, A = AttendanceStatus.PRESENT, AttendanceStatus.EXCUSED, AttendanceStatus.ABSENT
PAST = (-150, -120, -90, -60, -30)


@pytest.fixture
def world(app, steps_world):
    with app.app_context():
        enrolled_since_start(steps_world)
    return steps_world


def verdicts(app, world) -> dict[str, str]:
    """Each person's summary, by the world's name for them; a person's own standing (which
    reads their work only) says the same as the whole cohort's."""
    with app.test_request_context():
        cohort = db.session.get(Cohort, world.cohort.id)
        found = standings(cohort)
        names = {user.id: name for name, user in world.people.items()}
        for standing in found:
            own = standing_of(cohort, standing.user)
            assert own is not None and own.summary() == standing.summary(), names[standing.user.id]
            assert own.attendance == standing.attendance
        return {names[s.user.id]: s.summary() for s in found}


def attend(app, world, module, rows: list[dict[str, AttendanceStatus]], *,
           cancelled=()) -> list[int]:
    """Five past sessions; rows[i] names who was not present at session i."""
    with app.app_context():
        ids = add_sessions(world, module.id, PAST, cancelled=cancelled)
        for session_id, statuses in zip(ids, rows, strict=False):
            record(world, session_id, statuses)
        return ids


def test_exactly_the_minimum_is_met(app, world, module):
    attend(app, world, module, [{"hamm1": A}, {}, {}, {}, {"hamm2": A}])
    with app.app_context():
        set_rule(world, percent=80)
    assert verdicts(app, world) == dict.fromkeys(("hamm1", "hamm2", "duisburg", "mediator"),
                                                 "erfüllt")


def test_just_below_the_minimum_lacks_one_session():
    """19 of 24 is 79.1 percent: one more attended session would reach 80."""
    rate = AttendanceRate(present=19, excused=0, absent=5, unrecorded=0, excused_count=False)
    assert (sessions_short(rate, 80), sessions_short(rate, 79)) == (1, 0)
    exact = AttendanceRate(present=4, excused=0, absent=1, unrecorded=0, excused_count=False)
    assert sessions_short(exact, 80) == 0 and sessions_short(exact, 81) == 1


def test_below_the_minimum_in_words(app, world, module):
    attend(app, world, module, [{"hamm1": A}, {"hamm1": A}, {}, {}, {}])
    assert verdicts(app, world)["hamm1"] == "fehlt: 1 Präsenztermin"


@pytest.mark.parametrize(("excused_count", "verdict"),
                         [(True, "erfüllt"), (False, "fehlt: 1 Präsenztermin")])
def test_an_excused_absence_counts_as_the_course_says(app, world, module, excused_count,
                                                      verdict):
    with app.app_context():
        db.session.get(Course, world.cohort.course_id).excused_counts_as_attended = \
            excused_count
        db.session.commit()
    attend(app, world, module, [{"hamm1": E}, {"hamm1": A}, {}, {}, {}])
    assert verdicts(app, world)["hamm1"] == verdict


def test_a_cancelled_session_does_not_count(app, world, module):
    # absent at the cancelled one: it is left out, so 4 of 4
    attend(app, world, module, [{"hamm1": A}, {}, {}, {}, {}], cancelled=(PAST[0],))
    assert verdicts(app, world)["hamm1"] == "erfüllt"


def test_an_unrecorded_held_session_is_reported_and_blocks(app, world, module):
    attend(app, world, module, [{}, {}, {}, {}])  # the fifth list is never saved
    assert verdicts(app, world)["hamm1"] == \
        "fehlt: Anwesenheit von 1 Präsenztermin nicht erfasst"


def test_an_upcoming_session_is_reported_and_blocks(app, world, module):
    attend(app, world, module, [{}, {}, {}, {}, {}])
    with app.app_context():
        add_sessions(world, module.id, [20, 40])
    assert verdicts(app, world)["duisburg"] == "fehlt: 2 Präsenztermine stehen noch aus"


def _hand_in(world, schedule, person: str) -> int:
    version, _new = hand_in(schedule, db.session.get(User, world[person].id), text="Antwort",
                            uploads=[], token=new_token())
    db.session.commit()
    return version.submission_id


def _grade(world, submission_id: int, *, passed: bool | None, released: bool) -> None:
    """Grade the newest version passed or failed (None: return it for revision)."""
    lecturer = db.session.get(User, world["lecturer"].id)
    outcome = ReviewOutcome.RETURNED if passed is None else ReviewOutcome.GRADED
    submission = db.session.get(Submission, submission_id)
    save_review(submission,
                ReviewInput(outcome, passed=passed, feedback="Bitte ergänzen."),
                actor=lecturer, seen=stamp(submission), version_id=submission.latest_version.id)
    if released and passed is not None:
        release(submission, actor=lecturer)
    db.session.commit()


@pytest.fixture
def work(app, world, module, create_assignment, create_schedule):
    """The rule asks only for "Modularbeit 5", an individual pass/fail assignment."""
    schedule = module_work(app, create_assignment, create_schedule, world, module)
    with app.app_context():
        set_rule(world, required=[schedule.assignment_id])
    return schedule


def _schedule(schedule):
    return db.session.get(AssignmentSchedule, schedule.id)


def test_module_work_failed_then_passed_by_the_newest_released_version(app, world, work):
    assert verdicts(app, world)["hamm1"] == "fehlt: Modularbeit 5"
    with app.test_request_context():
        submission = _hand_in(world, _schedule(work), "hamm1")
        _grade(world, submission, passed=None, released=True)  # returned for revision
    assert verdicts(app, world)["hamm1"] == "fehlt: Modularbeit 5"
    with app.test_request_context():
        submission = _hand_in(world, _schedule(work), "hamm1")  # version 2
        _grade(world, submission, passed=True, released=False)
    # graded passed but not released: it does not count, and the words tell nothing of it
    assert verdicts(app, world)["hamm1"] == "fehlt: Modularbeit 5"
    with app.test_request_context():
        release(db.session.get(Submission, submission),
                actor=db.session.get(User, world["lecturer"].id))
        db.session.commit()
    found = verdicts(app, world)
    assert found["hamm1"] == "erfüllt" and found["hamm2"] == "fehlt: Modularbeit 5"


def test_a_released_fail_changed_to_a_pass_counts_once_released_again(app, world, work):
    with app.test_request_context():
        submission = _hand_in(world, _schedule(work), "duisburg")
        _grade(world, submission, passed=False, released=True)
        lecturer = db.session.get(User, world["lecturer"].id)
        submission_id = submission
        submission = db.session.get(Submission, submission_id)
        save_review(submission, ReviewInput(ReviewOutcome.GRADED, passed=True, feedback="Gut."),
                    actor=lecturer, seen=stamp(submission),
                    version_id=submission.latest_version.id)
        db.session.commit()
    assert verdicts(app, world)["duisburg"] == "fehlt: Modularbeit 5"
    with app.test_request_context():
        release(db.session.get(Submission, submission_id),
                actor=db.session.get(User, world["lecturer"].id))
        db.session.commit()
    assert verdicts(app, world)["duisburg"] == "erfüllt"


def test_team_work_counts_for_each_of_the_municipalitys_people_not_for_mediators(
        app, world, module, create_assignment, create_schedule):
    team = module_work(app, create_assignment, create_schedule, world, module,
                       "Teamarbeit 2", kind=AssignmentKind.TEAM)
    with app.app_context():
        set_rule(world, required=[team.assignment_id])
    with app.test_request_context():
        _grade(world, _hand_in(world, _schedule(team), "hamm2"), passed=True, released=True)
    assert verdicts(app, world) == {"hamm1": "erfüllt", "hamm2": "erfüllt",
                                    "duisburg": "fehlt: Teamarbeit 2", "mediator": "erfüllt"}


def test_mediators_are_judged_on_their_individual_work(app, world, work):
    assert verdicts(app, world)["mediator"] == "fehlt: Modularbeit 5"
    with app.test_request_context():
        _grade(world, _hand_in(world, _schedule(work), "mediator"), passed=True, released=True)
    assert verdicts(app, world)["mediator"] == "erfüllt"


def test_the_required_step_reached_or_not_and_never_asked_of_mediators(app, world):
    with app.app_context():
        set_rule(world, step=StepKind.RECOMMENDATIONS)
    lacking = "fehlt: Schritt „Empfehlungen“"
    assert verdicts(app, world) == {"hamm1": lacking, "hamm2": lacking, "duisburg": lacking,
                                    "mediator": "erfüllt"}
    accept_recommendations(app, world)
    assert verdicts(app, world) == {"hamm1": "erfüllt", "hamm2": "erfüllt",
                                    "duisburg": lacking, "mediator": "erfüllt"}


def test_everything_missing_is_said_most_pressing_first(app, world, work):
    with app.app_context():
        set_rule(world, step=StepKind.RECOMMENDATIONS, required=[work.assignment_id])
    with app.test_request_context():
        found = {s.user.id: s for s in standings(db.session.get(Cohort, world.cohort.id))}
        hamm1 = found[world["hamm1"].id]
        assert not hamm1.eligible
        assert hamm1.missing() == ["Modularbeit 5", "Schritt „Empfehlungen“"]


def test_saving_the_rule_is_audited_and_checked(app, world, work):
    with app.test_request_context():
        set_rule(world, percent=75, required=[])
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "certificate_rule.updated").order_by(AuditEntry.id)).all()[-1]
        assert entry.before["min_attendance_percent"] == 80
        assert entry.after == {"min_attendance_percent": 75, "required_step": None,
                               "required_assignments": []}
        count = len(db.session.scalars(select(AuditEntry)).all())
        set_rule(world, percent=75, required=[])  # the same again: nothing to record
        assert len(db.session.scalars(select(AuditEntry)).all()) == count
        with pytest.raises(DomainError):
            set_rule(world, percent=101)


def test_two_organisers_saving_the_rule_at_once_leave_one_rule(app, world):
    def save():
        return save_rule(db.session.get(Course, world.cohort.course_id),
                         RuleInput(70, StepKind.ANALYSIS, frozenset()),
                         actor=db.session.get(User, world["organiser"].id))

    outcomes = run_at_once(app, [save, save])
    assert sorted(outcomes) == ["False", "True"], outcomes  # the second found the first's
    with app.app_context():
        rules = db.session.scalars(select(CertificateRule)).all()
        assert [(r.min_attendance_percent, r.required_step) for r in rules] == [
            (70, StepKind.ANALYSIS)]
        assert len(db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "certificate_rule.updated")).all()) == 1
