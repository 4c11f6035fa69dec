"""Jobs released at the same moment, as separate gunicorn workers would run them.

Each job runs in its own thread with its own request context, session and database
connection, and commits for real. Only PostgreSQL shows the interesting cases: SQLite
serialises whole transactions anyway.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from flask import Flask

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
