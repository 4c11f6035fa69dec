"""Outgoing mail: delivered by SMTP when configured, always kept in the outbox."""

from __future__ import annotations

import smtplib
from collections.abc import Iterator
from email.message import EmailMessage

import pytest
from sqlalchemy import select

from lms.auth.models import User
from lms.extensions import db
from lms.mail import OutboxMessage, send_mail

EN = {"Accept-Language": "en"}


class FakeSMTP:
    """Stands in for ``smtplib.SMTP``: records connections and messages, or fails on cue."""

    connections: list[FakeSMTP] = []
    #: raised by ``send_message`` (or by connecting, if ``fail_on_connect``)
    failure: Exception | None = None
    fail_on_connect = False

    def __init__(self, host: str, port: int = 0, timeout: float | None = None) -> None:
        if FakeSMTP.fail_on_connect and FakeSMTP.failure is not None:
            raise FakeSMTP.failure
        self.host, self.port, self.timeout = host, port, timeout
        self.tls = False
        self.credentials: tuple[str, str] | None = None
        self.sent: list[EmailMessage] = []
        self.closed = False
        FakeSMTP.connections.append(self)

    def __enter__(self) -> FakeSMTP:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.closed = True

    def starttls(self) -> None:
        self.tls = True

    def login(self, user: str, password: str) -> None:
        self.credentials = (user, password)

    def send_message(self, message: EmailMessage) -> dict[str, object]:
        if FakeSMTP.failure is not None:
            raise FakeSMTP.failure
        self.sent.append(message)
        return {}

    @classmethod
    def messages(cls) -> list[EmailMessage]:
        return [message for connection in cls.connections for message in connection.sent]


MAIL_CONFIG = {"MAIL_SERVER": "smtp.example.org", "MAIL_PORT": 2525, "MAIL_USE_TLS": True,
               "MAIL_USERNAME": "lms", "MAIL_PASSWORD": "geheim",
               "MAIL_SENDER": "lehrgang@example.org"}


@pytest.fixture
def smtp(app, monkeypatch) -> Iterator[type[FakeSMTP]]:
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    monkeypatch.setattr(FakeSMTP, "connections", [])
    monkeypatch.setattr(FakeSMTP, "failure", None)
    monkeypatch.setattr(FakeSMTP, "fail_on_connect", False)
    saved = {key: app.config.get(key) for key in MAIL_CONFIG}
    app.config.update(MAIL_CONFIG)
    try:
        yield FakeSMTP
    finally:
        app.config.update(saved)


def outbox(app) -> list[OutboxMessage]:
    with app.app_context():
        messages = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        db.session.expunge_all()
        return list(messages)


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
    assert row.recipient == "jürgen.müller@example.org"


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
    assert smtp.connections == []
    [row] = outbox(app)
    assert row.sent_at is None and row.error is None


def test_invitation_is_delivered(app, client, login, organiser, smtp):
    login(organiser)
    response = client.post("/admin/people/new", data={
        "email": "neu@example.org", "display_name": "Nina Neu", "roles": ["participant"],
        "language": "en", "active": "y", "send_invitation": "y",
    })
    assert response.status_code == 302
    [email] = smtp.messages()
    assert email["To"] == "neu@example.org"
    assert "http://localhost/invitation/" in email.get_content()
    [row] = outbox(app)
    assert row.sent_at is not None and row.error is None
    assert email.get_content().rstrip("\n") == row.body.rstrip("\n")
    page = client.get("/admin/outbox", headers=EN).get_data(as_text=True)
    assert ">sent<" in page


@pytest.mark.parametrize("failure", [
    smtplib.SMTPRecipientsRefused({"neu@example.org": (550, b"no such user")}),
    smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
    smtplib.SMTPAuthenticationError(535, b"authentication failed"),
])
def test_failed_delivery_keeps_the_message(app, client, login, organiser, smtp, failure):
    smtp.failure = failure
    login(organiser)
    response = client.post("/admin/people/new", data={
        "email": "neu@example.org", "display_name": "Nina Neu", "roles": ["participant"],
        "language": "", "active": "y", "send_invitation": "y",
    })
    assert response.status_code == 302
    with app.app_context():
        assert User.by_email("neu@example.org") is not None  # the request still succeeded
    [row] = outbox(app)
    assert row.sent_at is None
    assert row.error and row.error == str(failure)
    assert "/invitation/" in row.body  # the organiser can still pass the link on
    assert smtp.messages() == []

    page = client.get("/admin/outbox", headers=EN).get_data(as_text=True)
    assert ">failed<" in page
    detail = client.get(f"/admin/outbox/{row.id}", headers=EN).get_data(as_text=True)
    assert "failed" in detail


def test_unreachable_server_keeps_the_message(app, client, login, organiser, smtp):
    smtp.failure = ConnectionRefusedError(111, "Connection refused")
    smtp.fail_on_connect = True
    login(organiser)
    response = client.post("/admin/people/new", data={
        "email": "neu@example.org", "display_name": "Nina Neu", "roles": ["participant"],
        "language": "", "active": "y", "send_invitation": "y",
    })
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
    with app.test_request_context():
        smtp.failure = smtplib.SMTPException("temporary")
        send_mail("a@example.org", "Eins", "Text")
        smtp.failure = None
        send_mail("b@example.org", "Zwei", "Text")
        db.session.commit()
    first, second = outbox(app)
    assert (first.error, first.sent_at) == ("temporary", None)
    assert second.error is None and second.sent_at is not None
    assert [m["To"] for m in smtp.messages()] == ["b@example.org"]
