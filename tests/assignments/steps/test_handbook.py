"""The handbook: chosen entries by topic and municipality; web, Markdown and print."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from assignments.models import SubmissionVersion
from assignments.steps.models import Handbook, HandbookEntry, Measure
from lms.extensions import db
from tests.assignments.steps import factories as steps_factories
from tests.assignments.steps.factories import accept_recommendations, add_measure, decision

steps_world = steps_factories.steps_world


@pytest.fixture
def material(app, steps_world):
    accept_recommendations(app, steps_world)
    accept_recommendations(app, steps_world, "duisburg")
    hamm = decision(app, steps_world)
    duisburg = decision(app, steps_world, steps_world.duisburg)
    add_measure(app, steps_world, hamm, "Clearingstelle Hamm")
    add_measure(app, steps_world, duisburg, "Lotsenprogramm Duisburg",
                municipality=steps_world.duisburg)
    with app.app_context():
        versions = [v.id for v in db.session.scalars(select(SubmissionVersion))]
        measures = [m.id for m in db.session.scalars(select(Measure).order_by(Measure.id))]
    return versions, measures


def _create(client, world) -> int:
    response = client.post("/assignments/steps/handbooks", data={
        "title": "Handbuch Integration", "introduction": "## Vorwort\n\nFür alle 53.",
        "cohorts": [world.cohort.id]})
    assert response.status_code == 302
    return int(response.headers["Location"].split("/")[-2])


def test_organiser_compiles_by_topic_and_municipality(app, steps_world, material, client_for):
    versions, measures = material
    client = client_for(steps_world["organiser"])
    handbook_id = _create(client, steps_world)
    edit = client.get(f"/assignments/steps/handbooks/{handbook_id}/edit").get_data(as_text=True)
    assert "Clearingstelle Hamm" in edit and "Lotsenprogramm Duisburg" in edit
    response = client.post(f"/assignments/steps/handbooks/{handbook_id}/edit", data={
        "title": "Handbuch Integration", "introduction": "Vorwort",
        "cohorts": [steps_world.cohort.id],
        "entry": [f"m{measures[0]}", f"m{measures[1]}", f"v{versions[0]}"],
        f"topic-m{measures[0]}": "Beratung", f"topic-m{measures[1]}": "Beratung",
        f"topic-v{versions[0]}": "Analyse und Empfehlungen"})
    assert response.status_code == 302
    page = client.get(f"/assignments/steps/handbooks/{handbook_id}").get_data(as_text=True)
    page = page[page.index("<main"):]  # the navigation names "Konfliktberatung" too
    assert page.index("Analyse und Empfehlungen") < page.index("Beratung")
    assert page.index("Lotsenprogramm Duisburg") < page.index("Clearingstelle Hamm")
    markdown = client.get(f"/assignments/steps/handbooks/{handbook_id}/handbook.md")
    assert markdown.mimetype == "text/markdown"
    text = markdown.get_data(as_text=True)
    assert text.startswith("# Handbuch Integration")
    assert "## Beratung" in text and "### Hamm: Clearingstelle Hamm" in text
    printed = client.get(f"/assignments/steps/handbooks/{handbook_id}/print")
    assert printed.status_code == 200 and b"handbook_print.css" in printed.data
    lecturer = client_for(steps_world["lecturer"])
    assert lecturer.get(f"/assignments/steps/handbooks/{handbook_id}").status_code == 200
    assert lecturer.get(f"/assignments/steps/handbooks/{handbook_id}/edit").status_code == 403
    participant = client_for(steps_world["hamm1"])
    assert participant.get(f"/assignments/steps/handbooks/{handbook_id}").status_code == 403


@pytest.mark.parametrize("entry, topic", [("m99999", "Beratung"), ("v99999", "Beratung"),
                                          ("m{measure}", "")])
def test_bad_entries_change_nothing(app, steps_world, material, client_for, entry, topic):
    _versions, measures = material
    client = client_for(steps_world["organiser"])
    handbook_id = _create(client, steps_world)
    key = entry.format(measure=measures[0])
    response = client.post(f"/assignments/steps/handbooks/{handbook_id}/edit", data={
        "title": "Anders", "introduction": "", "cohorts": [steps_world.cohort.id],
        "entry": [key], f"topic-{key}": topic})
    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count(HandbookEntry.id))) == 0
        assert db.session.get(Handbook, handbook_id).title == "Handbuch Integration"


def test_lecturer_cannot_create(app, steps_world, client_for):
    response = client_for(steps_world["lecturer"]).post("/assignments/steps/handbooks", data={
        "title": "X", "cohorts": [steps_world.cohort.id]})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count(Handbook.id))) == 0


def test_a_handbook_with_entries_can_be_saved_again(app, steps_world, material, client_for):
    """The same entries chosen again (a second save) used to insert before deleting: 500."""
    versions, measures = material
    client = client_for(steps_world["organiser"])
    handbook_id = _create(client, steps_world)
    url = f"/assignments/steps/handbooks/{handbook_id}/edit"

    def save(topics: dict[str, str]) -> None:
        response = client.post(url, data={
            "title": "Handbuch Integration", "introduction": "Vorwort",
            "cohorts": [steps_world.cohort.id], "entry": list(topics),
            **{f"topic-{key}": topic for key, topic in topics.items()}})
        assert response.status_code == 302

    save({f"m{measures[0]}": "Beratung", f"v{versions[0]}": "Analyse"})
    save({f"m{measures[0]}": "Beratung", f"v{versions[0]}": "Analyse"})
    save({f"m{measures[0]}": "Konfliktberatung", f"m{measures[1]}": "Beratung"})
    with app.app_context():
        entries = db.session.scalars(select(HandbookEntry).order_by(HandbookEntry.topic))
        assert [(e.topic, e.version_id, e.measure_id) for e in entries] == [
            ("Beratung", None, measures[1]), ("Konfliktberatung", None, measures[0])]
