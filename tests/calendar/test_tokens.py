"""Feed tokens: signed with the app key and the person's secret; renewal replaces it."""

from __future__ import annotations

from sqlalchemy import select

from lms.auth.models import User
from lms.calendar.models import CalendarFeedSecret
from lms.calendar.tokens import feed_token, renew_feed_secret, user_for_token
from lms.extensions import db


def test_token_round_trip_and_renewal(calendar_app, participant):
    with calendar_app.test_request_context():
        user = db.session.get(User, participant.id)
        first = feed_token(user)
        assert first == feed_token(user)  # stable until renewed
        assert user_for_token(first) == user
        assert db.session.scalars(select(CalendarFeedSecret)).all() == []  # nothing stored
        renew_feed_secret(user)
        db.session.commit()
        second = feed_token(user)
        assert second != first
        assert user_for_token(first) is None
        assert user_for_token(second) == user
        renew_feed_secret(user)
        db.session.commit()
        assert user_for_token(second) is None
        assert db.session.scalars(select(CalendarFeedSecret)).one().user_id == user.id


def test_tokens_depend_on_the_app_key(calendar_app, participant):
    with calendar_app.test_request_context():
        token = feed_token(db.session.get(User, participant.id))
        calendar_app.config["SECRET_KEY"] = "another-secret-key-0123456789"
        try:
            assert user_for_token(token) is None
        finally:
            calendar_app.config["SECRET_KEY"] = "tests-only-secret-key-0123456789"
        assert user_for_token(token) is not None


def test_malformed_tokens_are_refused(calendar_app, participant):
    with calendar_app.test_request_context():
        token = feed_token(db.session.get(User, participant.id))
        _, signature = token.split("-", 1)
        for wrong in ["", "-", token + "x", token[:-1], f"{participant.id}-", f"-{signature}",
                      f"{'9' * 40}-{signature}", f"{participant.id}-{signature}ä",
                      f"\uff10-{signature}", f"²-{signature}", f"0{participant.id}-{signature}"]:
            assert user_for_token(wrong) is None, wrong
