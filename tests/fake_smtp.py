"""A stand-in for ``smtplib.SMTP`` and the ``smtp`` fixture that puts it in place.

A test module uses the fixture by importing it:
``from tests.fake_smtp import smtp_fixture  # noqa: F401``, then asking for ``smtp``.
"""

from __future__ import annotations

import smtplib
import threading
from collections.abc import Iterator
from email.message import EmailMessage

import pytest


class FakeSMTP:
    """Stands in for ``smtplib.SMTP``: records connections and messages, or fails on cue."""

    connections: list[FakeSMTP] = []
    #: the thread of every connection attempt, failed ones included
    opened_by: list[str] = []
    #: raised by ``send_message`` (or by connecting, if ``fail_on_connect``)
    failure: Exception | None = None
    fail_on_connect = False
    #: recipients the server refuses
    refused: frozenset[str] = frozenset()
    #: when set, connecting waits for it: a server that hangs
    gate: threading.Event | None = None

    def __init__(self, host: str, port: int = 0, timeout: float | None = None) -> None:
        FakeSMTP.opened_by.append(threading.current_thread().name)
        if FakeSMTP.gate is not None:
            FakeSMTP.gate.wait(timeout)
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
        if message["To"] in FakeSMTP.refused:
            raise smtplib.SMTPRecipientsRefused({message["To"]: (550, b"no such user")})
        self.sent.append(message)
        return {}

    @classmethod
    def messages(cls) -> list[EmailMessage]:
        return [message for connection in cls.connections for message in connection.sent]


MAIL_CONFIG = {"MAIL_SERVER": "smtp.example.org", "MAIL_PORT": 2525, "MAIL_USE_TLS": True,
               "MAIL_USERNAME": "lms", "MAIL_PASSWORD": "geheim",
               "MAIL_SENDER": "lehrgang@example.org"}


@pytest.fixture(name="smtp")
def smtp_fixture(app, monkeypatch) -> Iterator[type[FakeSMTP]]:
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    monkeypatch.setattr(FakeSMTP, "connections", [])
    monkeypatch.setattr(FakeSMTP, "opened_by", [])
    monkeypatch.setattr(FakeSMTP, "failure", None)
    monkeypatch.setattr(FakeSMTP, "fail_on_connect", False)
    monkeypatch.setattr(FakeSMTP, "refused", frozenset())
    monkeypatch.setattr(FakeSMTP, "gate", None)
    saved = {key: app.config.get(key) for key in MAIL_CONFIG}
    app.config.update(MAIL_CONFIG)
    try:
        yield FakeSMTP
    finally:
        if FakeSMTP.gate is not None:
            FakeSMTP.gate.set()
        app.config.update(saved)
