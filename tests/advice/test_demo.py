"""The advice office's part of the demo: the demo participant's municipality has a case
on which the office asked back, so the answer form is there to try."""

from __future__ import annotations

import re

from sqlalchemy import select

from advice.models import AdviceCase
from lms.auth.models import User
from lms.demo import DEMO_PASSWORD
from lms.extensions import db


def test_the_demo_participant_can_answer_the_offices_question(app, demo_world, client_for):
    with app.app_context():
        waiting = [case.id for case in db.session.scalars(select(AdviceCase).order_by(
            AdviceCase.id)) if case.question_open and case.municipality.name == "Herne"]
    assert len(waiting) == 1
    client = client_for(User(email="teilnehmer@example.org"), DEMO_PASSWORD)
    page = client.get(f"/advice/cases/{waiting[0]}").get_data(True)
    assert f'action="/advice/cases/{waiting[0]}/answer"' in page and "Ihre Antwort" in page
    # where the case is listed, it says that it waits for the municipality, not "in Prüfung"
    for listing in ("/", "/advice/"):
        row = re.search(rf'cases/{waiting[0]}".*?</(?:li|tr)>', client.get(listing).get_data(True),
                        re.DOTALL).group(0)
        assert "wartet auf Antwort der Kommune" in row and "in Prüfung" not in row, listing
    # seeding again adds nothing
    assert app.test_cli_runner().invoke(args=["lms", "seed-demo"]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(AdviceCase.id).where(
            AdviceCase.demo_key == "case-herne-question")) == waiting[0]
