"""The certificates' part of ``lms seed-demo``: the historical cohorts' finishers hold their
certificates, one revoked for a misspelt name and re-issued; those the rule leaves out
hold none; seeding again adds nothing."""

from __future__ import annotations

from sqlalchemy import select

from assignments.certificates.issuing import issue_plan
from assignments.certificates.models import Certificate
from cohorts.models import Cohort
from lms.demo import DEMO_PASSWORD
from lms.extensions import db
from tests.certificates.issue_factories import audit_actions, certificate_rows


def seed(app) -> None:
    result = app.test_cli_runner().invoke(args=["lms", "seed-demo"])
    assert result.exit_code == 0, result.output


def test_the_historical_finishers_hold_certificates_one_reissued(app):
    seed(app)
    first = certificate_rows(app), audit_actions(app)
    seed(app)
    assert (certificate_rows(app), audit_actions(app)) == first
    with app.test_request_context():
        certificates = db.session.scalars(select(Certificate).order_by(Certificate.id)).all()
        numbers = [c.number for c in certificates]
        assert sorted(numbers) == sorted([f"IMS-2017-{n:04}" for n in range(1, 14)]
                                         + [f"IMS-2018-{n:04}" for n in range(1, 19)])
        revoked = [c for c in certificates if c.revoked]
        assert [c.holder_name for c in revoked] == ["Elif Yilmaz"]
        assert "falsch geschrieben" in revoked[0].revoke_reason
        again = next(c for c in certificates if c.replaces_id == revoked[0].id)
        assert again.holder_name == "Elif Yılmaz" and not again.revoked
        assert again.user.display_name == "Elif Yılmaz"
        # THE rule agrees: nobody eligible is left without one
        plan = issue_plan(db.session.scalar(select(Cohort).where(
            Cohort.demo_key == "cohort-2017")))
        assert plan.to_issue == [] and len(plan.holding) == 12
        # two fell short of the attendance the rule asks for
        assert sorted(s.enrollment.user.display_name for s in plan.not_eligible) == [
            "Anja Krüger", "Claudia Becker"]
        assert all(s.sessions_short and not s.work_missing for s in plan.not_eligible)
        code, number = again.code, again.number
    page = app.test_client().get(f"/certificates/verify/{code}").get_data(as_text=True)
    assert "Elif Yılmaz" in page and number in page


def test_the_demo_organiser_sees_the_list_and_the_participant_none(app, demo_world):
    organiser = app.test_client()
    organiser.post("/login", data={"email": "orga@example.org", "password": DEMO_PASSWORD})
    index = organiser.get("/certificates/issued").get_data(as_text=True)
    assert "Studiengruppe 2017" in index
    with app.app_context():
        cohort_id = db.session.scalar(select(Cohort.id).where(Cohort.demo_key == "cohort-2017"))
    page = organiser.get(f"/certificates/cohorts/{cohort_id}/issued").get_data(as_text=True)
    assert "Marco Vogel" in page and "IMS-2017-0009" in page
    participant = app.test_client()
    participant.post("/login", data={"email": "teilnehmer@example.org",
                                     "password": DEMO_PASSWORD})
    assert participant.get("/certificates/mine").status_code == 200
