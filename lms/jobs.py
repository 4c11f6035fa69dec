"""Work that may wait, done after the request's transaction has committed.

``defer(func, *args)`` remembers a call on the database session; when that session's
transaction commits, the call is handed to the app's runner, and when it rolls back the
call is forgotten. So a request never waits for the work, and work never happens for
something that was not saved. The call must be a module-level function (RQ imports it by
name) that finds everything it needs in the database; it runs inside an app context.

Runners (``LMS_JOB_RUNNER``; the default follows from the other settings):

``rq``
    With ``LMS_QUEUE_URL`` set: the call is a job on that Redis queue, run by
    ``flask --app wsgi lms worker`` (RQ's scheduler included, for calls due later).
``thread``
    The default without Redis: a daemon thread in each web process runs the calls, so no
    second process is needed. It also runs the registered sweeps every few minutes, which
    pick up what a restarted process left behind.
``inline``
    The testing default: the call runs right after the commit, in the committing thread,
    so tests see its effect when the request returns. Calls due later (``run_at``) are not
    kept; a sweep (``flask lms deliver-outbox``, ``deliver_pending()``) runs them.
"""

from __future__ import annotations

import atexit
import heapq
import itertools
import os
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from lms.extensions import db

Job = tuple[Callable[..., Any], tuple[Any, ...]]
RUNNERS = ("rq", "thread", "inline")
#: the RQ queue all jobs of the LMS go to
QUEUE_NAME = "lms"
#: seconds between two runs of the sweeps in the thread runner
SWEEP_SECONDS = 300
_DEFERRED = "lms_deferred_jobs"
_SWEEPS: list[Callable[[], object]] = []


def defer(func: Callable[..., Any], *args: Any, session: Session | None = None) -> None:
    """Run ``func(*args)`` once the current transaction has committed; never if it rolls back.

    Inside a SAVEPOINT the call is forgotten if that savepoint rolls back.
    """
    session = session if session is not None else db.session()
    savepoint = session.get_nested_transaction()
    session.info.setdefault(_DEFERRED, []).append((savepoint, func, args))


def run_at(when: datetime, func: Callable[..., Any], *args: Any) -> None:
    """Run ``func(*args)`` at ``when`` (not tied to a transaction); used for retries."""
    runner_for(current_app).submit([(func, args)], when=when)


def register_sweep(func: Callable[[], object]) -> None:
    """Have the thread runner and ``lms worker`` call ``func()`` now and then, for recovery."""
    if func not in _SWEEPS:
        _SWEEPS.append(func)


def run_sweeps() -> None:
    for sweep in _SWEEPS:
        sweep()


@event.listens_for(Session, "after_commit")
def _hand_over(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a SAVEPOINT was released; the transaction goes on
    deferred = session.info.pop(_DEFERRED, None)
    if deferred:
        runner_for(current_app).submit([(func, args) for _, func, args in deferred])


@event.listens_for(Session, "after_soft_rollback")
def _forget_savepoint(session: Session, previous: SessionTransaction) -> None:
    deferred = session.info.get(_DEFERRED)
    if previous.nested and deferred:
        deferred[:] = [job for job in deferred if not _within(job[0], previous)]


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: SessionTransaction) -> None:
    """A root transaction that ended without ``after_commit`` taking the jobs rolled back."""
    if transaction.parent is None:
        session.info.pop(_DEFERRED, None)


def _within(transaction: SessionTransaction | None, savepoint: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is savepoint:
            return True
        transaction = transaction.parent
    return False


def runner_name(config: dict[str, Any]) -> str:
    if config.get("JOB_RUNNER"):
        return config["JOB_RUNNER"]
    if config.get("QUEUE_URL"):
        return "rq"
    return "inline" if config.get("TESTING") else "thread"


def runner_for(app: Flask) -> InlineRunner | ThreadRunner | RQRunner:
    return app.extensions["lms_jobs"]


def init_app(app: Flask) -> None:
    name = runner_name(app.config)
    if name not in RUNNERS:
        raise RuntimeError(f"LMS_JOB_RUNNER must be one of {', '.join(RUNNERS)}, not {name!r}.")
    if name == "rq" and not app.config.get("QUEUE_URL"):
        raise RuntimeError("LMS_JOB_RUNNER=rq needs LMS_QUEUE_URL, e.g. redis://127.0.0.1:6379/0.")
    runner = {"rq": RQRunner, "thread": ThreadRunner, "inline": InlineRunner}[name](app)
    app.extensions["lms_jobs"] = runner
    if isinstance(runner, ThreadRunner):
        # so that each web process sweeps, even one that never commits a job itself
        app.before_request(runner.start)


def _run(app: Flask, func: Callable[..., Any], args: tuple[Any, ...]) -> None:
    """One call in a fresh app context (so a fresh session); a failure is logged, not raised."""
    with app.app_context():
        try:
            func(*args)
        except Exception:
            app.logger.exception("job %s%r failed", func.__qualname__, args)


class InlineRunner:
    """Runs each job right after the commit, in the committing thread."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def submit(self, jobs: list[Job], when: datetime | None = None) -> None:
        if when is not None:
            return  # left to a sweep; see the module's docstring
        for func, args in jobs:
            _run(self.app, func, args)


class ThreadRunner:
    """A daemon thread per process that runs jobs as they come and when they are due.

    Started on the first request or job of a process (so a forked gunicorn worker starts
    its own); at interpreter exit it finishes the jobs already due, so a command such as
    ``lms create-user`` still delivers its mail before the process ends.
    """

    def __init__(self, app: Flask, sweep_seconds: float = SWEEP_SECONDS) -> None:
        self.app = app
        self.sweep_seconds = sweep_seconds
        self._heap: list[tuple[float, int, Callable[..., Any], tuple[Any, ...]]] = []
        self._order = itertools.count()
        self._condition = threading.Condition()
        self._thread: threading.Thread | None = None
        self._pid: int | None = None
        self._busy = False
        self._stopping = False

    def start(self) -> None:
        with self._condition:
            if self._thread is not None and self._pid == os.getpid() and not self._stopping:
                return
            self._heap, self._busy, self._stopping = [], False, False
            self._pid = os.getpid()
            self._thread = threading.Thread(target=self._loop, name="lms-jobs", daemon=True)
            self._thread.start()
            atexit.register(self.stop)

    def submit(self, jobs: list[Job], when: datetime | None = None) -> None:
        self.start()
        due = when.timestamp() if when is not None else time.time()
        with self._condition:
            for func, args in jobs:
                heapq.heappush(self._heap, (due, next(self._order), func, args))
            self._condition.notify_all()

    def wait_idle(self, timeout: float = 10) -> bool:
        """Wait until no job is running or due; True if that happened within ``timeout``."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while self._busy or (self._heap and self._heap[0][0] <= time.time()):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._condition.wait(remaining)
        return True

    def stop(self, timeout: float = 30) -> None:
        """Finish the jobs that are due, then end the thread (waits at most ``timeout``)."""
        with self._condition:
            thread, self._stopping = self._thread, True
            self._condition.notify_all()
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
        atexit.unregister(self.stop)

    def _next(self, next_sweep: float) -> Job | bool | None:
        """The next due job, None when the sweeps are due, False when the thread should end."""
        with self._condition:
            self._busy = False
            self._condition.notify_all()
            while True:
                now = time.time()
                if self._heap and self._heap[0][0] <= now:
                    _, _, func, args = heapq.heappop(self._heap)
                    self._busy = True
                    return func, args
                if self._stopping:
                    return False
                if now >= next_sweep:
                    self._busy = True
                    return None
                wake = min(self._heap[0][0], next_sweep) if self._heap else next_sweep
                self._condition.wait(wake - now)

    def _loop(self) -> None:
        next_sweep = time.time() + self.sweep_seconds
        while (job := self._next(next_sweep)) is not False:
            if job is None:
                next_sweep = time.time() + self.sweep_seconds
                _run(self.app, run_sweeps, ())
            else:
                _run(self.app, *job)


class RQRunner:
    """Hands jobs to the RQ queue on ``LMS_QUEUE_URL``, for ``flask lms worker``."""

    def __init__(self, app: Flask) -> None:
        from redis import Redis
        from rq import Queue

        self.app = app
        self.queue = Queue(QUEUE_NAME, connection=Redis.from_url(app.config["QUEUE_URL"]))

    def submit(self, jobs: list[Job], when: datetime | None = None) -> None:
        for func, args in jobs:
            try:
                if when is None:
                    self.queue.enqueue(func, *args)
                else:
                    self.queue.enqueue_at(when, func, *args)
            except Exception:
                # The work is in the database; the worker's start-up sweep or
                # `lms deliver-outbox` picks it up once Redis is back.
                self.app.logger.exception("could not queue %s%r", func.__qualname__, args)

    def work(self, *, burst: bool = False) -> None:
        """Run jobs until stopped (or, with ``burst``, until the queue is empty)."""
        from rq import SimpleWorker

        # SimpleWorker runs each job in this process, inside the command's app context,
        # rather than in a forked child that would share the database connections.
        worker = SimpleWorker([self.queue], connection=self.queue.connection)
        worker.work(burst=burst, with_scheduler=True)
