"""Capacity under concurrency: organisers accepting at the same moment never overfill a cohort.

The organisers act as separate gunicorn workers would (``tests.concurrency``), on SQLite
and on PostgreSQL: ``lock_cohort`` takes the row lock (SQLite: the write lock) before the
count.
"""

from __future__ import annotations

from sqlalchemy import func, select

from cohorts.applications import change_status
from cohorts.models import Application, ApplicationStatus, Enrollment
from lms.extensions import db
from tests.concurrency import kinds, run_at_once

THREADS = 8
CAPACITY = 3


def _accept_all_at_once(app, application_ids: list[int]) -> list[str]:
    def accept(application_id: int):
        def job() -> None:
            change_status(db.session.get(Application, application_id),
                          ApplicationStatus.ACCEPTED, actor=None)
        return job

    return kinds(run_at_once(app, [accept(ident) for ident in application_ids]))


NAMES = ("Hamm", "Duisburg", "Bielefeld", "Kreis Düren", "Kreis Recklinghausen", "Solingen",
         "Bochum", "Köln")


def test_concurrent_acceptances_fill_exactly_the_capacity(app, create_cohort, municipalities,
                                                          create_application):
    cohort = create_cohort(capacity=CAPACITY)
    ids = [create_application(cohort, municipalities[name]).id for name in NAMES[:THREADS]]

    outcomes = _accept_all_at_once(app, ids)

    assert sorted(outcomes) == ["ok"] * CAPACITY + ["refused"] * (THREADS - CAPACITY)
    with app.app_context():
        accepted = db.session.scalar(select(func.count(Application.id)).where(
            Application.status == ApplicationStatus.ACCEPTED))
        enrolled = db.session.scalar(select(func.count(Enrollment.id)))
    assert accepted == CAPACITY
    assert enrolled == CAPACITY * 2  # two persons per accepted municipality, nobody else


def test_concurrent_acceptances_of_one_application_count_once(app, create_cohort,
                                                              municipalities,
                                                              create_application):
    cohort = create_cohort(capacity=CAPACITY)
    application = create_application(cohort, municipalities["Hamm"])

    outcomes = _accept_all_at_once(app, [application.id] * 4)

    assert sorted(outcomes) == ["ok"] + ["refused"] * 3  # the others: no longer allowed
    with app.app_context():
        assert db.session.scalar(select(func.count(Enrollment.id))) == 2

