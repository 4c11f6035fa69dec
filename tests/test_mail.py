"""Outgoing mail: kept in the outbox, delivered by SMTP only after the transaction commits.

How delivery is made deterministic here: the testing default of ``LMS_JOB_RUNNER`` is
``inline``, so a message is delivered right after its transaction commits and a test sees
the outcome when the request returns. Retries that would be due later are run by calling
``deliver_pending(now=...)`` with the time they are due. Tests about what the request
itself does (no SMTP inside it, no waiting for a hanging server) use the background thread
runner (``thread_runner``) or RQ on Redis (``rq_runner``), as production does.
"""

from __future__ import annotations

import os
import smtplib
import socket
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from email.message import EmailMessage

import pytest
from markupsafe import escape
from sqlalchemy import func, select, text, update

from lms import create_app
from lms.auth.models import User
from lms.db import utcnow
from lms.extensions import db
from lms.jobs import InlineRunner, RQRunner, ThreadRunner
from lms.mail import Delivery, OutboxMessage, deliver_message, deliver_pending, send_mail
from tests.fake_smtp import FakeSMTP, smtp_fixture  # noqa: F401

EN = {"Accept-Language": "en"}
QUEUE_URL = os.environ.get("LMS_TEST_QUEUE_URL", "redis://127.0.0.1:6379/14")
NEW_PERSON = {"email": "neu@example.org", "display_name": "Nina Neu", "roles": ["participant"],
              "language": "", "active": "y", "send_invitation": "y"}


@pytest.fixture
def thread_runner(app, monkeypatch) -> Iterator[ThreadRunner]:
    """The production default without Redis: jobs run in a background thread."""
    runner = ThreadRunner(app)
    monkeypatch.setitem(app.extensions, "lms_jobs", runner)
    yield runner
    runner.stop()


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def rq_runner(app, monkeypatch) -> Iterator[RQRunner]:
    """Jobs go to RQ on a test database of the local Redis, emptied before and after."""
    if not _redis_reachable() and not os.environ.get("CI"):
        pytest.skip("no Redis at 127.0.0.1:6379")
    monkeypatch.setitem(app.config, "QUEUE_URL", QUEUE_URL)
    runner = RQRunner(app)
    runner.queue.connection.flushdb()
    monkeypatch.setitem(app.extensions, "lms_jobs", runner)
    yield runner
    runner.queue.connection.flushdb()


def outbox(app) -> list[OutboxMessage]:
    with app.app_context():
        messages = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        db.session.expunge_all()
        return list(messages)


def due_messages(app, count: int) -> list[int]:
    """Messages due for delivery that no job has been started for (left by a crash, say)."""
    server = app.config["MAIL_SERVER"]
    with app.test_request_context():
        app.config["MAIL_SERVER"] = None  # kept only: no delivery after this commit
        try:
            messages = [send_mail(f"person{n}@example.org", f"Nachricht {n}", "Text")
                        for n in range(count)]
            db.session.commit()
        finally:
            app.config["MAIL_SERVER"] = server
        db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow()))
        db.session.commit()
        return [message.id for message in messages]


# --- delivery after commit -----------------------------------------------------------------


def test_send_mail_delivers_and_records(app, smtp):
    with app.test_request_context():
        stored = send_mail("jürgen.müller@example.org", "Grüße aus Düsseldorf",
                           "Hallo Jürgen,\n\nschöne Grüße.\n")
        db.session.commit()
        message_id = stored.id

    [connection] = smtp.connections
    assert (connection.host, connection.port, connection.timeout) == ("smtp.example.org", 2525, 10)
    assert connection.tls is True
    assert connection.credentials == ("lms", "geheim")
    assert connection.closed
    [email] = connection.sent
    assert email["From"] == "lehrgang@example.org"
    assert email["To"] == "jürgen.müller@example.org"
    assert email["Subject"] == "Grüße aus Düsseldorf"
    assert email.get_content() == "Hallo Jürgen,\n\nschöne Grüße.\n"

    [row] = outbox(app)
    assert row.id == message_id
    assert row.sent_at is not None and row.error is None
    assert (row.attempts, row.next_attempt_at, row.claimed_until) == (1, None, None)
    assert row.recipient == "jürgen.müller@example.org"


def test_nothing_is_sent_before_the_commit_and_nothing_after_a_rollback(app, smtp):
    with app.test_request_context():
        send_mail("a@example.org", "Betreff", "Text")
        db.session.flush()
        assert smtp.opened_by == []  # written, not sent
        db.session.rollback()
        db.session.commit()  # a later commit of the same session hands nothing over
    assert smtp.opened_by == []
    assert outbox(app) == []

    with app.test_request_context():
        with db.session.begin_nested():
            send_mail("b@example.org", "Betreff", "Text")
        assert smtp.opened_by == []  # releasing a SAVEPOINT is no commit
        savepoint = db.session.begin_nested()
        send_mail("c@example.org", "Betreff", "Text")
        db.session.flush()
        savepoint.rollback()
        db.session.commit()
    assert [email["To"] for email in smtp.messages()] == ["b@example.org"]
    assert [row.recipient for row in outbox(app)] == ["b@example.org"]


def test_plain_smtp_without_tls_and_login(app, smtp):
    app.config.update(MAIL_USE_TLS=False, MAIL_USERNAME=None)
    with app.test_request_context():
        send_mail("a@example.org", "Betreff", "Text")
        db.session.commit()
    [connection] = smtp.connections
    assert connection.tls is False and connection.credentials is None
    assert len(connection.sent) == 1
    assert outbox(app)[0].sent_at is not None


def test_without_mail_server_messages_stay_in_the_outbox(app, smtp):
    app.config["MAIL_SERVER"] = None
    with app.test_request_context():
        send_mail("a@example.org", "Betreff", "Text")
        db.session.commit()
        assert deliver_pending(now=utcnow() + timedelta(days=1)) == 0
    assert smtp.opened_by == []
    [row] = outbox(app)
    assert row.sent_at is None and row.error is None and row.next_attempt_at is None
    assert row.delivery is Delivery.KEPT


def test_invitation_is_delivered(app, client, login, organiser, smtp):
    login(organiser)
    response = client.post("/admin/people/new", data={**NEW_PERSON, "language": "en"})
    assert response.status_code == 302
    [email] = smtp.messages()
    assert email["To"] == "neu@example.org"
    assert "http://localhost/invitation/" in email.get_content()
    [row] = outbox(app)
    assert row.sent_at is not None and row.error is None
    assert email.get_content().rstrip("\n") == row.body.rstrip("\n")
    page = client.get("/admin/outbox", headers=EN).get_data(as_text=True)
    assert ">sent<" in page


# --- failures: kept, visible, retried ---------------------------------------------------------


@pytest.mark.parametrize("failure", [
    smtplib.SMTPRecipientsRefused({"neu@example.org": (550, b"no such user")}),
    smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
    smtplib.SMTPAuthenticationError(535, b"authentication failed"),
])
def test_failed_delivery_keeps_the_message(app, client, login, organiser, smtp, failure):
    smtp.failure = failure
    login(organiser)
    response = client.post("/admin/people/new", data=NEW_PERSON)
    assert response.status_code == 302
    with app.app_context():
        assert User.by_email("neu@example.org") is not None  # the request still succeeded
    [row] = outbox(app)
    assert row.sent_at is None
    assert row.error and row.error == str(failure)
    assert row.attempts == 1 and row.delivery is Delivery.RETRYING
    assert "/invitation/" in row.body  # the organiser can still pass the link on
    assert smtp.messages() == []

    page = client.get("/admin/outbox", headers=EN).get_data(as_text=True)
    assert ">failed, will be retried<" in page
    assert f"1 attempt: {escape(str(failure))}<" in page
    detail = client.get(f"/admin/outbox/{row.id}", headers=EN).get_data(as_text=True)
    assert "Attempts</dt><dd>1<" in detail and "Next attempt" in detail
    assert "Send now" in detail


@pytest.mark.parametrize("failure", [ConnectionRefusedError(111, "Connection refused"),
                                     TimeoutError("timed out")])
def test_smtp_down_loses_nothing_and_is_retried_with_backoff(app, client, login, organiser,
                                                             smtp, failure):
    smtp.failure, smtp.fail_on_connect = failure, True
    login(organiser)
    before = utcnow()
    assert client.post("/admin/people/new", data=NEW_PERSON).status_code == 302
    [first] = outbox(app)
    assert first.sent_at is None and str(failure) in first.error and first.attempts == 1
    assert timedelta(seconds=60) <= first.next_attempt_at - before <= timedelta(seconds=65)

    with app.app_context():
        assert deliver_pending() == 0  # not due yet: nothing tried
        assert outbox(app)[0].attempts == 1
        assert deliver_pending(now=first.next_attempt_at) == 0  # due, still down
    [second] = outbox(app)
    assert second.attempts == 2 and second.sent_at is None
    assert second.next_attempt_at - first.next_attempt_at == timedelta(seconds=120)

    smtp.failure = None  # the server is back
    with app.app_context():
        assert deliver_pending(now=second.next_attempt_at) == 1
    [sent] = outbox(app)
    assert sent.sent_at is not None and sent.attempts == 3 and sent.next_attempt_at is None
    [email] = smtp.messages()
    assert email["To"] == "neu@example.org" and "/invitation/" in email.get_content()


def test_after_the_last_attempt_the_failure_stays_and_an_organiser_can_retry(
        app, client, login, organiser, smtp, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 2)
    smtp.failure = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
    with app.test_request_context():
        message = send_mail("a@example.org", "Zugang", "Ihr Link")
        db.session.commit()
        message_id = message.id
        first = db.session.get(OutboxMessage, message_id).next_attempt_at
        assert deliver_pending(now=first) == 0
        assert deliver_pending(now=first + timedelta(days=30)) == 0  # given up
    [row] = outbox(app)
    assert (row.attempts, row.next_attempt_at, row.delivery) == (2, None, Delivery.FAILED)

    login(organiser)
    page = client.get("/admin/outbox", headers=EN).get_data(as_text=True)
    assert ">failed<" in page and "2 attempts: Connection unexpectedly closed<" in page
    detail = client.get(f"/admin/outbox/{message_id}", headers=EN).get_data(as_text=True)
    assert "Attempts</dt><dd>2<" in detail and "Connection unexpectedly closed" in detail
    assert "Next attempt" not in detail

    smtp.failure = None
    response = client.post(f"/admin/outbox/{message_id}/retry", headers=EN)
    assert response.status_code == 302
    assert response.location.endswith(f"/admin/outbox/{message_id}")
    [row] = outbox(app)
    assert row.delivery is Delivery.SENT and row.attempts == 3
    assert len(smtp.messages()) == 1

    again = client.post(f"/admin/outbox/{message_id}/retry", headers=EN, follow_redirects=True)
    assert "already been sent" in again.get_data(as_text=True)
    assert len(smtp.messages()) == 1 and outbox(app)[0].attempts == 3


def test_retry_without_a_mail_server_is_refused(app, client, login, organiser):
    with app.test_request_context():
        message = send_mail("a@example.org", "Zugang", "Ihr Link")
        db.session.commit()
        message_id = message.id
    login(organiser)
    detail = client.get(f"/admin/outbox/{message_id}", headers=EN).get_data(as_text=True)
    assert "Send now" not in detail
    response = client.post(f"/admin/outbox/{message_id}/retry", headers=EN,
                           follow_redirects=True)
    assert "No mail server is configured" in response.get_data(as_text=True)
    assert outbox(app)[0].next_attempt_at is None


def test_unreachable_server_keeps_the_message(app, client, login, organiser, smtp):
    smtp.failure = ConnectionRefusedError(111, "Connection refused")
    smtp.fail_on_connect = True
    login(organiser)
    response = client.post("/admin/people/new", data=NEW_PERSON)
    assert response.status_code == 302
    [row] = outbox(app)
    assert row.sent_at is None and "Connection refused" in row.error


def test_failed_reset_mail_does_not_reveal_the_account(app, client, participant, smtp):
    smtp.failure = smtplib.SMTPDataError(554, b"rejected")
    known = client.post("/password/forgot", data={"email": participant.email})
    unknown = client.post("/password/forgot", data={"email": "niemand@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known.location == unknown.location
    [row] = outbox(app)
    assert row.recipient == participant.email and row.error and row.sent_at is None


def test_one_failure_does_not_stop_later_mail(app, smtp):
    smtp.refused = frozenset({"a@example.org"})
    with app.test_request_context():
        send_mail("a@example.org", "Eins", "Text")
        send_mail("b@example.org", "Zwei", "Text")
        db.session.commit()
    first, second = outbox(app)
    assert "no such user" in first.error and first.sent_at is None
    assert second.error is None and second.sent_at is not None
    assert [m["To"] for m in smtp.messages()] == ["b@example.org"]


# --- the request never waits for SMTP ---------------------------------------------------------


def test_forgot_password_opens_no_smtp_connection_during_the_request(app, client, participant,
                                                                     smtp, thread_runner):
    smtp.gate = threading.Event()  # the server hangs until the test lets it answer
    request_thread = threading.current_thread().name
    for email in (participant.email, "niemand@example.org"):
        response = client.post("/password/forgot", data={"email": email})
        assert response.status_code == 302
        assert request_thread not in smtp.opened_by
    smtp.gate.set()
    assert thread_runner.wait_idle()
    [email] = smtp.messages()
    assert email["To"] == participant.email and "/password/reset/" in email.get_content()
    assert smtp.opened_by == ["lms-jobs"]


def test_a_hanging_server_adds_no_latency_and_loses_nothing(app, client, login, organiser,
                                                           smtp, thread_runner):
    login(organiser)
    smtp.gate = threading.Event()
    started = time.monotonic()
    response = client.post("/admin/people/new", data=NEW_PERSON)
    assert response.status_code == 302
    assert time.monotonic() - started < 5  # the server would hold a waiting request for 10 s
    [row] = outbox(app)
    assert row.sent_at is None  # still being tried in the background

    smtp.failure, smtp.fail_on_connect = TimeoutError("timed out"), True
    smtp.gate.set()
    assert thread_runner.wait_idle()
    [row] = outbox(app)
    assert row.sent_at is None and row.error == "timed out" and row.attempts == 1
    assert row.delivery is Delivery.RETRYING


def test_the_thread_runner_sweeps_up_what_a_restarted_process_left(app, smtp, monkeypatch):
    runner = ThreadRunner(app, sweep_seconds=0.05)
    monkeypatch.setitem(app.extensions, "lms_jobs", runner)
    due_messages(app, 3)
    try:
        runner.start()
        deadline = time.monotonic() + 10
        while len(smtp.messages()) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        runner.stop()
    assert sorted(m["To"] for m in smtp.messages()) == [f"person{n}@example.org" for n in range(3)]
    assert all(row.delivery is Delivery.SENT for row in outbox(app))


def test_the_thread_runner_finishes_due_jobs_when_stopped(app, smtp, thread_runner):
    with app.test_request_context():
        send_mail("a@example.org", "Betreff", "Text")
        db.session.commit()
    thread_runner.stop()  # as at the end of `flask lms create-user`
    assert [m["To"] for m in smtp.messages()] == ["a@example.org"]


# --- at most once ---------------------------------------------------------------------------


def test_two_workers_do_not_send_one_message_twice(app, smtp, monkeypatch):
    sending, release = threading.Event(), threading.Event()

    class SlowSMTP(FakeSMTP):
        def send_message(self, message: EmailMessage) -> dict[str, object]:
            sending.set()
            release.wait(10)
            return super().send_message(message)

    monkeypatch.setattr(smtplib, "SMTP", SlowSMTP)
    [message_id] = due_messages(app, 1)
    results: dict[str, bool] = {}

    def first_worker() -> None:
        with app.app_context():
            results["first"] = deliver_message(message_id)

    worker = threading.Thread(target=first_worker)
    worker.start()
    try:
        assert sending.wait(10), "the first worker never reached the server"
        with app.app_context():  # a second worker while the first is still sending
            assert deliver_message(message_id) is False
            assert deliver_pending() == 0
    finally:
        release.set()
        worker.join(10)
    assert results == {"first": True}
    assert len(smtp.messages()) == 1
    [row] = outbox(app)
    assert row.attempts == 1 and row.sent_at is not None and row.claimed_until is None


def test_two_workers_sweeping_at_once_send_each_message_once(app, smtp):
    due_messages(app, 12)
    counts: list[int] = []

    def sweep() -> None:
        with app.app_context():
            counts.append(deliver_pending())

    workers = [threading.Thread(target=sweep) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    assert sum(counts) == 12
    recipients = [m["To"] for m in smtp.messages()]
    assert sorted(recipients) == sorted(f"person{n}@example.org" for n in range(12))
    assert all(row.attempts == 1 for row in outbox(app))


def test_the_pending_count_is_answered_from_an_index(app):
    query = select(func.count(OutboxMessage.id)).where(OutboxMessage.sent_at.is_(None))
    with app.app_context():
        dialect = db.engine.dialect
        sql = str(query.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
        if dialect.name == "sqlite":
            explain = f"EXPLAIN QUERY PLAN {sql}"
        else:
            db.session.execute(text("SET LOCAL enable_seqscan = off"))  # tables here are tiny
            explain = f"EXPLAIN {sql}"
        plan = " ".join(str(row) for row in db.session.execute(text(explain)))
        db.session.rollback()
    assert "ix_outbox_messages_pending" in plan, plan


# --- commands and RQ --------------------------------------------------------------------------


def test_deliver_outbox_command_sends_what_is_due(app, smtp):
    due_messages(app, 2)
    result = app.test_cli_runner().invoke(args=["lms", "deliver-outbox"])
    assert result.exit_code == 0, result.output
    assert "2 message(s) sent." in result.output
    assert len(smtp.messages()) == 2


def test_worker_needs_a_queue(app):
    result = app.test_cli_runner().invoke(args=["lms", "worker", "--burst"])
    assert result.exit_code != 0 and "LMS_QUEUE_URL" in result.output


def test_with_redis_a_job_is_queued_after_commit_and_the_worker_delivers(app, smtp, rq_runner):
    queue = rq_runner.queue
    with app.test_request_context():
        send_mail("verworfen@example.org", "Verworfen", "Text")
        db.session.flush()
        assert queue.count == 0  # not before the commit
        db.session.rollback()
        assert queue.count == 0  # and not after a rollback
        with db.session.begin_nested():
            send_mail("a@example.org", "Betreff", "Text")
        assert queue.count == 0  # nor when a SAVEPOINT is released
        savepoint = db.session.begin_nested()
        send_mail("verworfen@example.org", "Verworfen", "Text")
        db.session.flush()
        savepoint.rollback()  # forgets this one, keeps the one before
        db.session.flush()
        assert queue.count == 0
        db.session.commit()
    assert queue.count == 1
    assert smtp.opened_by == []  # the web process did no SMTP work

    result = app.test_cli_runner().invoke(args=["lms", "worker", "--burst"])
    assert result.exit_code == 0, result.output
    assert [m["To"] for m in smtp.messages()] == ["a@example.org"]
    [row] = outbox(app)
    assert row.sent_at is not None and row.attempts == 1
    assert queue.count == 0


def test_with_redis_a_failed_attempt_is_scheduled_again(app, smtp, rq_runner):
    smtp.failure, smtp.fail_on_connect = ConnectionRefusedError(111, "Connection refused"), True
    with app.test_request_context():
        send_mail("a@example.org", "Betreff", "Text")
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["lms", "worker", "--burst"])
    assert result.exit_code == 0, result.output
    [row] = outbox(app)
    assert row.attempts == 1 and row.sent_at is None
    registry = rq_runner.queue.scheduled_job_registry
    [job_id] = registry.get_job_ids()
    scheduled = registry.get_scheduled_time(job_id)
    assert abs(scheduled.timestamp() - row.next_attempt_at.timestamp()) < 1


def test_the_worker_first_sends_what_was_left_while_redis_was_away(app, smtp, rq_runner):
    due_messages(app, 2)
    assert rq_runner.queue.count == 0
    result = app.test_cli_runner().invoke(args=["lms", "worker", "--burst"])
    assert result.exit_code == 0, result.output
    assert len(smtp.messages()) == 2


@pytest.mark.parametrize(("settings", "runner"), [
    ({"ENV": "testing"}, InlineRunner),
    ({"ENV": "testing", "QUEUE_URL": QUEUE_URL}, RQRunner),
    ({"ENV": "development"}, ThreadRunner),
    ({"ENV": "development", "JOB_RUNNER": "inline"}, InlineRunner),
])
def test_the_job_runner_follows_the_settings(tmp_path, settings, runner):
    app = create_app({"SECRET_KEY": "x" * 32, "DATABASE_URL": f"sqlite:///{tmp_path}/a.db",
                      **settings}, instance_path=str(tmp_path))
    assert type(app.extensions["lms_jobs"]) is runner


@pytest.mark.parametrize("settings", [{"JOB_RUNNER": "cron"}, {"JOB_RUNNER": "rq"}])
def test_a_job_runner_that_cannot_work_is_refused_at_start(tmp_path, settings):
    with pytest.raises(RuntimeError, match="LMS_JOB_RUNNER"):
        create_app({"ENV": "testing", "SECRET_KEY": "x" * 32,
                    "DATABASE_URL": f"sqlite:///{tmp_path}/a.db", **settings},
                   instance_path=str(tmp_path))
