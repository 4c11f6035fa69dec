"""Walks ``certificate_routes.CERTIFICATE_CASES``: every route of issued certificates for
every role, refused forms changing nothing; forged and missing ids answer 404."""

from __future__ import annotations

import pytest

from assignments.certificates.models import Certificate
from lms.extensions import db
from tests.certificates import issue_factories as factories
from tests.certificates.certificate_routes import CERTIFICATE_CASES, POST_DATA, ROLES
from tests.certificates.issue_factories import audit_actions, certificate_rows, issue_all

client_for, course, create_cohort = factories.client_for, factories.course, factories.create_cohort
create_module, create_municipality = factories.create_module, factories.create_municipality
enroll, finished, module = factories.enroll, factories.finished, factories.module


@pytest.fixture
def ids(app, finished) -> dict[str, object]:
    issued = issue_all(app, finished)
    with app.app_context():
        code = db.session.get(Certificate, issued["hamm1"]).code
    return {"cohort": finished.cohort.id, "certificate": issued["hamm1"],
            "person": finished["hamm2"].id, "code": code}


def _state(app):
    return certificate_rows(app), audit_actions(app)


@pytest.mark.parametrize("role", ROLES)
def test_every_route_for_every_role(app, finished, ids, client_for, role):
    client = app.test_client() if role == "anonymous" else client_for(finished[role])
    wrong = []
    for (method, path), expected in CERTIFICATE_CASES.items():
        url = path.format(**ids)
        if method == "GET":
            status = client.get(url).status_code
        elif expected[role] in {200, 302} and role != "anonymous":
            continue  # allowed writes are the other tests' subject
        else:
            before = _state(app)
            status = client.post(url, data=POST_DATA.get(path, {})).status_code
            if _state(app) != before:
                wrong.append(f"POST {url} as {role} changed something")
        if status != expected[role]:
            wrong.append(f"{method} {url} as {role}: {status}, expected {expected[role]}")
    assert wrong == []


def test_the_organisers_writes_answer_as_the_table_says(app, finished, ids, client_for):
    organiser = client_for(finished["organiser"])
    for (method, path), expected in CERTIFICATE_CASES.items():
        if method == "POST":
            response = organiser.post(path.format(**ids), data=POST_DATA.get(path, {}))
            assert response.status_code == expected["organiser"], path


def test_forged_and_missing_ids_answer_404(app, finished, ids, client_for):
    organiser = client_for(finished["organiser"])
    before = _state(app)
    for method, url in (("GET", "/certificates/99999/certificate.pdf"),
                        ("GET", "/certificates/99999/revoke"),
                        ("POST", "/certificates/99999/reissue"),
                        ("GET", "/certificates/cohorts/99999/issue"),
                        ("GET", "/certificates/cohorts/99999/issued")):
        assert organiser.open(url, method=method).status_code == 404, url
    hamm2 = client_for(finished["hamm2"])
    other = f"/certificates/{ids['certificate']}"
    assert hamm2.get(f"{other}/certificate.pdf").status_code == 404
    assert hamm2.post(f"{other}/revoke", data={"reason": "x"}).status_code == 404
    # a person of another cohort, issued to through this cohort's address
    response = organiser.post(f"/certificates/cohorts/{finished.cohort.id}/people/"
                              f"{finished['outsider'].id}/issue")
    assert response.status_code == 302
    assert _state(app) == before
