"""The public verification page: valid, revoked, unknown (404, nothing else), the form to
type a code in, and its rate limit."""

from __future__ import annotations

from assignments.certificates.models import Certificate
from lms.extensions import db
from tests.certificates import issue_factories as factories
from tests.certificates.issue_factories import certificate_rows, issue_all

client_for, course, create_cohort = factories.client_for, factories.course, factories.create_cohort
create_module, create_municipality = factories.create_module, factories.create_municipality
enroll, finished, module = factories.enroll, factories.finished, factories.module


def _code(app, certificate_id: int) -> tuple[str, str]:
    with app.app_context():
        certificate = db.session.get(Certificate, certificate_id)
        return certificate.code, certificate.number


def test_a_valid_certificate_is_confirmed_without_signing_in(app, finished, client):
    ids = issue_all(app, finished)
    code, number = _code(app, ids["hamm1"])
    before = certificate_rows(app)
    response = client.get(f"/certificates/verify/{code}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for expected in ("Dieses Zertifikat ist gültig", "Sabine Hoffmann", number,
                     "Integrationsmanagement und Systemdesign", "Studiengruppe 2017"):
        assert expected in page, expected
    assert certificate_rows(app) == before


def test_a_revoked_certificate_says_so_and_when_not_why(app, finished, client, client_for):
    ids = issue_all(app, finished)
    client_for(finished["organiser"]).post(f"/certificates/{ids['hamm1']}/revoke",
                                           data={"reason": "Vertraulicher Grund"})
    code, _number = _code(app, ids["hamm1"])
    page = client.get(f"/certificates/verify/{code}").get_data(as_text=True)
    assert "widerrufen" in page and "nicht mehr gültig" in page
    assert "Dieses Zertifikat ist gültig" not in page
    assert "Vertraulicher Grund" not in page


def test_an_unknown_code_answers_404_and_nothing_else(app, finished, client):
    issue_all(app, finished)
    response = client.get("/certificates/verify/not-a-code")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Sabine" not in page and "IMS-" not in page and "Studiengruppe" not in page


def test_the_form_leads_to_the_page_of_the_code(app, finished, client):
    ids = issue_all(app, finished)
    code, _number = _code(app, ids["hamm1"])
    assert client.get("/certificates/verify").status_code == 200
    response = client.get("/certificates/verify", query_string={"code": f"  {code} "})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/certificates/verify/{code}")
    page = client.get("/certificates/verify", query_string={"code": "x" * 65})
    assert page.status_code == 200


def test_verification_is_rate_limited(app, finished, client):
    app.config["VERIFY_RATE_LIMIT"] = "3 per minute"
    try:
        answers = [client.get("/certificates/verify/guess-{n}").status_code for n in range(4)]
    finally:
        app.config["VERIFY_RATE_LIMIT"] = "30 per minute;300 per hour"
    assert answers == [404, 404, 404, 429]


def test_a_code_no_certificate_can_have_answers_404_without_asking_the_database(
        app, finished, client):
    """NUL, too long, not URL-safe: PostgreSQL would refuse a NUL in a query (500)."""
    for code in ("%00", "a%00b", "x" * 65, "%C3%A4%C3%B6", "..%2F..%2Fetc"):
        assert client.get(f"/certificates/verify/{code}").status_code == 404, code
