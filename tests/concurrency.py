"""Jobs released at the same moment, as separate gunicorn workers would run them.

Each job runs in its own thread with its own request context, session and database
connection, and commits for real. Every test that uses these helpers runs on SQLite and
on PostgreSQL: SQLite has one writer at a time, and a job that read before it waited for
the write lock would otherwise decide on stale rows or be refused by the database.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from flask import Flask
from flask.testing import FlaskClient

from lms.errors import DomainError
from lms.extensions import db

Job = Callable[[], object]


def run_at_once(app: Flask, jobs: Sequence[Job]) -> list[str]:
    """Each job's outcome, in the order they finished.

    A job's return value (as text, "ok" for None) is its outcome; a ``DomainError`` gives
    "refused: <message>", any other exception "error: <repr>". Messages come in English,
    the language the tests read them in.
    """
    barrier = threading.Barrier(len(jobs))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(job: Job) -> None:
        with app.test_request_context(headers={"Accept-Language": "en"}):
            try:
                barrier.wait(timeout=10)
                result = job()
                db.session.commit()
                outcome = "ok" if result is None else str(result)
            except DomainError as exc:
                db.session.rollback()
                outcome = f"refused: {exc.message}"
            except Exception as exc:  # reported by the callers' assertions
                db.session.rollback()
                outcome = f"error: {exc!r}"
            finally:
                db.session.remove()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def kinds(outcomes: Sequence[str]) -> list[str]:
    """The outcomes without their messages ("refused: ..." -> "refused"), sorted."""
    return sorted(outcome.split(":", 1)[0] for outcome in outcomes)


def clone(app: Flask, client: FlaskClient) -> FlaskClient:
    """A further client signed in as ``client`` is (sign-ins are rate limited), so that
    each thread sends its request with a client of its own."""
    session = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert session is not None, "the client is not signed in"
    other = app.test_client()
    other.set_cookie(session.key, session.value)
    return other


def statuses(outcomes: Sequence[str]) -> list[int]:
    """The status codes of jobs that returned a response's status (see ``run_at_once``)."""
    return sorted(int(outcome) if outcome.isdigit() else 0 for outcome in outcomes)
