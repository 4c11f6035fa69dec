"""GET never changes anything: the host rolls back whatever a safe request wrote, and says so.

The demo crawl (``test_demo_walk``) shows that no page writes; this shows the net under
it: a write in a GET, HEAD or OPTIONS request is never committed, is logged as an
error, and fails every test that sends such a request (``WriteInSafeRequest``).
"""

from __future__ import annotations

import pytest
from sqlalchemy import update

from lms.auth.models import User
from lms.extensions import db
from lms.web import WriteInSafeRequest
from tests.conftest import make_app


@pytest.fixture
def writing_app(app, database_url, tmp_path, participant):
    """A second app on the test database with one route that renames the participant."""
    other = make_app(database_url, str(tmp_path))

    @other.route("/rename/<name>", methods=["GET", "POST"])
    def rename(name: str) -> str:
        db.session.execute(update(User).where(User.id == participant.id)
                           .values(display_name=name))
        return "renamed"

    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def _name(app, participant) -> str:
    with app.app_context():
        return db.session.get(User, participant.id).display_name


def test_a_get_that_writes_fails_when_testing(writing_app, participant):
    with pytest.raises(WriteInSafeRequest, match="GET /rename/Mallory"):
        writing_app.test_client().get("/rename/Mallory")
    assert _name(writing_app, participant) == "Paul Teilnehmer"


def test_in_production_it_is_rolled_back_and_logged(writing_app, participant, caplog):
    writing_app.testing = False
    response = writing_app.test_client().get("/rename/Mallory")
    assert response.status_code == 200
    assert _name(writing_app, participant) == "Paul Teilnehmer"
    assert "GET /rename/Mallory tried to write: UPDATE users" in caplog.text
    # the same change by POST is committed, as every change should be
    assert writing_app.test_client().post("/rename/Paula").status_code == 200
    assert _name(writing_app, participant) == "Paula"
