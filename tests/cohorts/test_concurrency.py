"""Capacity under concurrency: organisers accepting at the same moment never overfill a cohort.

Each thread has its own app context, session and database connection and commits for
real, as separate gunicorn workers would. Only PostgreSQL can show it: SQLite serialises
whole transactions anyway.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from cohorts.applications import change_status
from cohorts.models import Application, ApplicationStatus, Enrollment
from lms.errors import DomainError
from lms.extensions import db

THREADS = 8
CAPACITY = 3
NAMES = ("Hamm", "Duisburg", "Bielefeld", "Kreis Düren", "Kreis Recklinghausen", "Solingen",
         "Bochum", "Köln")


def _accept_all_at_once(app, application_ids: list[int]) -> list[str]:
    barrier = threading.Barrier(len(application_ids))
    outcomes: list[str] = []
    lock = threading.Lock()

    def accept(application_id: int) -> None:
        with app.test_request_context():
            try:
                application = db.session.get(Application, application_id)
                barrier.wait(timeout=10)
                change_status(application, ApplicationStatus.ACCEPTED, actor=None)
                db.session.commit()
                outcome = "accepted"
            except DomainError:
                db.session.rollback()
                outcome = "refused"
            except Exception as exc:  # pragma: no cover - reported by the assertion below
                db.session.rollback()
                outcome = f"error: {exc!r}"
            finally:
                db.session.remove()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=accept, args=(ident,)) for ident in application_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.postgres_only
def test_concurrent_acceptances_fill_exactly_the_capacity(app, create_cohort, municipalities,
                                                          create_application):
    cohort = create_cohort(capacity=CAPACITY)
    ids = [create_application(cohort, municipalities[name]).id for name in NAMES[:THREADS]]

    outcomes = _accept_all_at_once(app, ids)

    assert sorted(outcomes) == ["accepted"] * CAPACITY + ["refused"] * (THREADS - CAPACITY)
    with app.app_context():
        accepted = db.session.scalar(select(func.count(Application.id)).where(
            Application.status == ApplicationStatus.ACCEPTED))
        enrolled = db.session.scalar(select(func.count(Enrollment.id)))
    assert accepted == CAPACITY
    assert enrolled == CAPACITY * 2  # two persons per accepted municipality, nobody else


@pytest.mark.postgres_only
def test_concurrent_acceptances_of_one_application_count_once(app, create_cohort,
                                                              municipalities,
                                                              create_application):
    cohort = create_cohort(capacity=CAPACITY)
    application = create_application(cohort, municipalities["Hamm"])

    outcomes = _accept_all_at_once(app, [application.id] * 4)

    assert sorted(outcomes) == ["accepted"] + ["refused"] * 3  # the others: no longer allowed
    with app.app_context():
        assert db.session.scalar(select(func.count(Enrollment.id))) == 2


def test_on_sqlite_the_write_lock_comes_before_the_count(app, database_url, create_cohort,
                                                         municipalities, create_application):
    """SQLite has no row locks: ``lock_cohort`` must make the transaction its one writer
    before it counts, or threads count from an old snapshot and overfill the cohort."""
    if not database_url.startswith("sqlite"):
        pytest.skip("the PostgreSQL tests above cover row locks")
    cohort = create_cohort(capacity=CAPACITY)
    ids = [create_application(cohort, municipalities[name]).id for name in NAMES[:THREADS]]

    outcomes = _accept_all_at_once(app, ids)

    assert sorted(outcomes) == ["accepted"] * CAPACITY + ["refused"] * (THREADS - CAPACITY)
