"""A hand-in's receipt goes out only once the hand-in is committed."""

from __future__ import annotations

import pytest

from assignments import submitting
from assignments.models import SubmissionVersion
from lms.errors import DomainError
from lms.mail import OutboxMessage
from tests.assignments.conftest import count
from tests.assignments.test_submit import send
from tests.fake_smtp import smtp_fixture  # noqa: F401


@pytest.fixture
def individual(world, create_assignment, create_schedule):
    return create_schedule(create_assignment(world.module), world.cohort)


@pytest.mark.parametrize("failure", [DomainError("Speicher voll"), RuntimeError("disk full")])
def test_a_hand_in_that_rolls_back_sends_no_receipt(app, client_for, world, individual, smtp,
                                                    monkeypatch, failure):
    receipts = submitting.send_receipts

    def receipts_then_failure(version: SubmissionVersion) -> None:
        receipts(version)  # the receipt is written ...
        raise failure  # ... and then something fails before the commit

    monkeypatch.setattr(submitting, "send_receipts", receipts_then_failure)
    client = client_for(world["hamm1"])
    if isinstance(failure, DomainError):
        assert send(client, individual, "submit").status_code == 422
    else:
        app.config["PROPAGATE_EXCEPTIONS"] = False  # answered like production: a 500 page
        try:
            assert send(client, individual, "submit").status_code == 500
        finally:
            app.config["PROPAGATE_EXCEPTIONS"] = None
    assert smtp.opened_by == []
    assert count(app, SubmissionVersion) == count(app, OutboxMessage) == 0


def test_a_committed_hand_in_sends_its_receipt(app, client_for, world, individual, smtp):
    assert send(client_for(world["hamm1"]), individual, "submit").status_code == 302
    [receipt] = smtp.messages()
    assert receipt["To"] == "hamm1@example.org" and "Konfliktfall beschreiben" in receipt["Subject"]
