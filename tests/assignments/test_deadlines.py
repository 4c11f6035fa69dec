"""The one deadline rule: a schedule's dates, extensions applied, and the verdict."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from assignments.deadlines import Owner, Verdict, effective_deadlines, refusal, verdict
from assignments.models import AssignmentSchedule, Extension

OPENS = datetime(2017, 6, 1, 8, 0, tzinfo=UTC)
DUE = datetime(2017, 6, 30, 21, 59, tzinfo=UTC)
CUT_OFF = datetime(2017, 7, 7, 21, 59, tzinfo=UTC)
HOUR = timedelta(hours=1)


def schedule(*extensions: Extension) -> AssignmentSchedule:
    return AssignmentSchedule(opens_at=OPENS, due_at=DUE, cut_off_at=CUT_OFF,
                              extensions=list(extensions))


def extension(days: int, *, user_id: int | None = None, municipality_id: int | None = None,
              revoked: bool = False, cut_off_days: int | None = None) -> Extension:
    return Extension(user_id=user_id, municipality_id=municipality_id,
                     due_at=DUE + timedelta(days=days),
                     cut_off_at=DUE + timedelta(days=cut_off_days or days),
                     revoked_at=OPENS if revoked else None, reason="Krankheit")


@pytest.mark.parametrize(("at", "expected"), [
    (OPENS - HOUR, Verdict.NOT_OPEN),
    (OPENS, Verdict.ON_TIME),
    (DUE, Verdict.ON_TIME),
    (DUE + timedelta(seconds=1), Verdict.LATE),
    (CUT_OFF, Verdict.LATE),
    (CUT_OFF + timedelta(seconds=1), Verdict.CLOSED),
])
def test_verdict_at_the_edges(at, expected):
    assert verdict(effective_deadlines(schedule()), at) is expected


def test_without_owner_or_extension_the_cohort_dates_apply():
    deadlines = effective_deadlines(schedule(extension(5, user_id=1)))
    assert (deadlines.due_at, deadlines.cut_off_at, deadlines.extended) == (DUE, CUT_OFF, False)


def test_a_person_s_extension_applies_to_that_person_only():
    plan = schedule(extension(10, user_id=1, cut_off_days=14))
    mine = effective_deadlines(plan, Owner(user_id=1))
    assert mine.due_at == DUE + timedelta(days=10)
    assert mine.cut_off_at == DUE + timedelta(days=14)
    assert mine.extended
    assert effective_deadlines(plan, Owner(user_id=2)).due_at == DUE
    assert verdict(mine, DUE + timedelta(days=9)) is Verdict.ON_TIME
    assert verdict(effective_deadlines(plan, Owner(user_id=2)),
                   DUE + timedelta(days=9)) is Verdict.CLOSED


def test_a_municipality_s_extension_covers_its_people_and_the_later_date_wins():
    plan = schedule(extension(3, user_id=1), extension(8, municipality_id=7))
    assert effective_deadlines(plan, Owner(user_id=1, municipality_id=7)).due_at \
        == DUE + timedelta(days=8)
    assert effective_deadlines(plan, Owner(municipality_id=7)).due_at == DUE + timedelta(days=8)
    assert effective_deadlines(plan, Owner(user_id=1, municipality_id=9)).due_at \
        == DUE + timedelta(days=3)


def test_revoked_extensions_do_not_count():
    plan = schedule(extension(10, user_id=1, revoked=True))
    assert effective_deadlines(plan, Owner(user_id=1)).due_at == DUE


def test_an_extension_never_moves_the_cut_off_earlier():
    # an extension of the due date alone keeps the cohort's later cut-off
    plan = schedule(extension(2, municipality_id=7, cut_off_days=2))
    deadlines = effective_deadlines(plan, Owner(municipality_id=7))
    assert deadlines.due_at == DUE + timedelta(days=2)
    assert deadlines.cut_off_at == CUT_OFF


def test_refusal_says_why_and_until_when(app):
    deadlines = effective_deadlines(schedule())
    with app.test_request_context(headers={"Accept-Language": "de"}):
        assert refusal(deadlines, DUE) is None
        assert refusal(deadlines, DUE + HOUR) is None
        closed = refusal(deadlines, CUT_OFF + HOUR).message
        early = refusal(deadlines, OPENS - HOUR).message
    assert "07.07.2017, 23:59 Uhr" in closed
    assert "01.06.2017, 10:00 Uhr" in early
