"""Every implementation-step page for every role: who sees what, who keeps what, forged ids."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from assignments.steps.models import (
    Measure,
    MeasureUpdate,
    Presentation,
    StepKind,
    StepSettings,
    TemplateStep,
)
from cohorts.models import Procedure
from lms.dates import berlin_today
from lms.extensions import db
from tests.assignments.steps import factories as steps_factories
from tests.assignments.steps.factories import (
    accept_recommendations,
    add_measure,
    decision,
)
from tests.far_dates import database_state

steps_world = steps_factories.steps_world

ROLES = ("anonymous", "hamm1", "duisburg", "mediator", "outsider", "lecturer",
         "other_lecturer", "organiser")


@pytest.fixture
def records(app, steps_world):
    """Hamm: accepted recommendations, a decision with a PDF, one measure; Duisburg: none."""
    accept_recommendations(app, steps_world)
    presentation_id = decision(app, steps_world)
    measure_id = add_measure(app, steps_world, presentation_id)
    with app.test_request_context():
        from assignments.steps.committees import PresentationDetails, Upload, update_presentation
        from lms.auth.models import User
        presentation = db.session.get(Presentation, presentation_id)
        update_presentation(presentation, PresentationDetails(
            presentation.committee, presentation.meeting_at, presentation.reference,
            presentation.outcome, "Einstimmig beschlossen."),
            actor=db.session.get(User, steps_world["hamm1"].id),
            upload=Upload("Beschluss.pdf", io.BytesIO(steps_factories_pdf())))
        from assignments.steps.handbook import save_handbook
        handbook = save_handbook(None, "Handbuch Integration", "Einleitung.",
                                 [steps_world.cohort.id],
                                 actor=db.session.get(User, steps_world["organiser"].id))
        db.session.commit()
        return {"presentation": presentation_id, "measure": measure_id,
                "handbook": handbook.id}


def steps_factories_pdf() -> bytes:
    from tests.assignments.conftest import pdf
    return pdf("Beschluss des Rates")


def _client(app, client_for, world, role):
    return app.test_client() if role == "anonymous" else client_for(world[role])


def _share(app, world, share: bool) -> None:
    with app.app_context():
        db.session.merge(StepSettings(cohort_id=world.cohort.id, share_progress=share))
        db.session.commit()


# expected status by role, without and with sharing
BOARD = {"anonymous": 302, "hamm1": 200, "duisburg": 200, "mediator": 200, "outsider": 404,
         "lecturer": 200, "other_lecturer": 403, "organiser": 200}
HAMM_PAGE = ({"anonymous": 302, "hamm1": 200, "duisburg": 404, "mediator": 404,
              "outsider": 404, "lecturer": 200, "other_lecturer": 404, "organiser": 200},
             {"duisburg": 200, "mediator": 200})
TIMELINE = ({"anonymous": 302, "hamm1": 200, "duisburg": 404, "mediator": 404,
             "outsider": 404, "lecturer": 200, "other_lecturer": 404, "organiser": 200},
            {"duisburg": 403, "mediator": 403})
DOCUMENT = TIMELINE
MEASURE = HAMM_PAGE
EXPORT = {"anonymous": 302, "hamm1": 403, "duisburg": 403, "mediator": 403, "outsider": 404,
          "lecturer": 200, "other_lecturer": 403, "organiser": 200}
KEEP_FORM = ({"anonymous": 302, "hamm1": 200, "duisburg": 404, "mediator": 404,
              "outsider": 404, "lecturer": 403, "other_lecturer": 404, "organiser": 403},
             {"duisburg": 403, "mediator": 403})
ORGANISER_ONLY = {"anonymous": 302, "hamm1": 403, "duisburg": 403, "mediator": 403,
                  "outsider": 403, "lecturer": 403, "other_lecturer": 403, "organiser": 200}
STAFF_ONLY = {**ORGANISER_ONLY, "lecturer": 200, "other_lecturer": 200}
SIGNED_IN = dict.fromkeys(ROLES, 200) | {"anonymous": 302}
TEMPLATE_STEP = "/assignments/steps/procedures/full/analysis/edit"


#: every page, by path with ``{cohort}``, ``{hamm}``, ``{presentation}``, ``{measure}`` and
#: ``{handbook}`` filled in per test: (expected, expected when the cohort shares progress)
BASE = "/assignments/steps/cohorts/{cohort}"
PAGES = [
    (BASE, (BOARD, {})),
    (f"{BASE}/municipalities/{{hamm}}", HAMM_PAGE),
    (f"{BASE}/municipalities/{{hamm}}/timeline", TIMELINE),
    ("/assignments/steps/presentations/{presentation}/document", DOCUMENT),
    ("/assignments/steps/measures/{measure}", MEASURE),
    (f"{BASE}/board.csv", (EXPORT, {})),
    (f"{BASE}/measures.csv", (EXPORT, {})),
    (f"{BASE}/board.xlsx", (EXPORT, {})),
    (f"{BASE}/measures.xlsx", (EXPORT, {})),
    (f"{BASE}/municipalities/{{hamm}}/presentations/new", KEEP_FORM),
    (f"{BASE}/municipalities/{{hamm}}/measures/new", KEEP_FORM),
    ("/assignments/steps/presentations/{presentation}/edit", KEEP_FORM),
    ("/assignments/steps/measures/{measure}/edit", KEEP_FORM),
    ("/assignments/steps/procedures", (ORGANISER_ONLY, {})),
    ("/assignments/steps/handbooks", (STAFF_ONLY, {})),
    ("/assignments/steps/handbooks/{handbook}", (STAFF_ONLY, {})),
    ("/assignments/steps/handbooks/{handbook}/print", (STAFF_ONLY, {})),
    ("/assignments/steps/handbooks/{handbook}/handbook.md", (STAFF_ONLY, {})),
    ("/assignments/steps/handbooks/{handbook}/edit", (ORGANISER_ONLY, {})),
    ("/assignments/steps/", (SIGNED_IN, {})),
    (TEMPLATE_STEP, (ORGANISER_ONLY, {})),
]

KEEP = KEEP_FORM[0]
#: every form, by path as in ``PAGES``: (form data, status by role); refused requests
#: must change nothing, allowed ones (200, 302) are left to the tests of what they do
POSTS = [
    (f"{BASE}/take", {"module": "999999"}, {**ORGANISER_ONLY, "organiser": 302}),
    (f"{BASE}/sharing", {"share_progress": "y"}, {**ORGANISER_ONLY, "organiser": 302}),
    (f"{BASE}/municipalities/{{hamm}}/presentations/new", {}, KEEP),
    ("/assignments/steps/presentations/{presentation}/edit", {}, KEEP),
    (f"{BASE}/municipalities/{{hamm}}/measures/new", {}, KEEP),
    ("/assignments/steps/measures/{measure}/edit", {}, KEEP),
    ("/assignments/steps/measures/{measure}/updates", {"state": "implemented"}, KEEP),
    ("/assignments/steps/handbooks", {"title": "Gefälscht"},
     {**ORGANISER_ONLY, "lecturer": 403, "other_lecturer": 403}),
    ("/assignments/steps/handbooks/{handbook}/edit", {"title": "Gefälscht"}, ORGANISER_ONLY),
    (TEMPLATE_STEP, {"title": "Gefälscht"}, ORGANISER_ONLY),
]


def _ids(world, records) -> dict[str, int]:
    return {"cohort": world.cohort.id, "hamm": world.hamm.id, **records}


def _paths(world, records):
    ids = _ids(world, records)
    return [(path.format(**ids), expected) for path, expected in PAGES]


@pytest.mark.parametrize("shared", [False, True], ids=["private", "shared"])
@pytest.mark.parametrize("role", ROLES)
def test_every_page_for_every_role(app, steps_world, records, client_for, role, shared):
    _share(app, steps_world, shared)
    client = _client(app, client_for, steps_world, role)
    for path, (expected, when_shared) in _paths(steps_world, records):
        wanted = (when_shared if shared else {}).get(role, expected[role])
        response = client.get(path)
        assert response.status_code == wanted, (path, role, shared, response.status_code)


@pytest.mark.parametrize("role", ROLES)
def test_every_form_refuses_the_wrong_roles_and_changes_nothing(app, steps_world, records,
                                                                client_for, role):
    client = _client(app, client_for, steps_world, role)
    ids = _ids(steps_world, records)
    for path, data, expected in POSTS:
        if expected[role] in {200, 302} and role != "anonymous":
            continue
        before = database_state(app)
        response = client.post(path.format(**ids), data=data)
        assert response.status_code == expected[role], (path, role, response.status_code)
        assert database_state(app) == before, (path, role)


def test_forged_and_missing_ids_answer_404(app, steps_world, records, client_for):
    client = client_for(steps_world["hamm1"])
    cohort = steps_world.cohort.id
    for path in (f"/assignments/steps/cohorts/{cohort}/municipalities/99999",
                 "/assignments/steps/cohorts/99999",
                 "/assignments/steps/measures/99999",
                 "/assignments/steps/presentations/99999/edit",
                 f"/assignments/steps/cohorts/{steps_world.other_cohort.id}/municipalities/"
                 f"{steps_world.hamm.id}"):
        assert client.get(path).status_code == 404, path
    # Duisburg's member cannot act on Hamm's measure by its id
    duisburg = client_for(steps_world["duisburg"])
    before = _counts(app)
    response = duisburg.post(f"/assignments/steps/measures/{records['measure']}/updates",
                             data={"state": "implemented", "noted_on": str(berlin_today()),
                                   "note": "gefälscht"})
    assert response.status_code == 404
    assert _counts(app) == before


def _counts(app):
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(model))
                     for model in (Presentation, Measure, MeasureUpdate))


def test_board_rows_private_and_shared(app, steps_world, records, client_for):
    duisburg = client_for(steps_world["duisburg"])
    board = f"/assignments/steps/cohorts/{steps_world.cohort.id}"
    page = duisburg.get(board).get_data(as_text=True)
    assert "Duisburg" in page and ">Hamm<" not in page
    _share(app, steps_world, True)
    page = duisburg.get(board).get_data(as_text=True)
    assert ">Hamm<" in page
    summary = duisburg.get(f"{board}/municipalities/{steps_world.hamm.id}").get_data(
        as_text=True)
    assert "Rat der Stadt" in summary
    assert "Beschluss.pdf" not in summary and "Einstimmig" not in summary
    full = client_for(steps_world["lecturer"]).get(
        f"{board}/municipalities/{steps_world.hamm.id}").get_data(as_text=True)
    assert "Beschluss.pdf" in full and "Einstimmig" in full


def test_board_cells_read_without_colour(app, steps_world, records, client_for):
    page = client_for(steps_world["lecturer"]).get(
        f"/assignments/steps/cohorts/{steps_world.cohort.id}").get_data(as_text=True)
    assert "✓" in page and "○" in page
    assert re.search(r"1 (of|von) 2", page)


def test_team_records_a_meeting_with_a_file_and_a_measure(app, steps_world, client_for):
    accept_recommendations(app, steps_world)
    client = client_for(steps_world["hamm2"])
    base = f"/assignments/steps/cohorts/{steps_world.cohort.id}/municipalities/" \
           f"{steps_world.hamm.id}"
    day = berlin_today() - timedelta(days=3)
    response = client.post(f"{base}/presentations/new", data={
        "committee": "Ausschuss für Soziales", "meeting_at": f"{day}T17:00",
        "reference": "DS 17/0421", "outcome": "partly_decided", "notes": "Teilweise.",
        "url": "", "document": (io.BytesIO(steps_factories_pdf()), "Protokoll.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        presentation = db.session.scalars(select(Presentation)).one()
        assert presentation.filename == "Protokoll.pdf" and presentation.sha256
        presentation_id = presentation.id
    download = client.get(f"/assignments/steps/presentations/{presentation_id}/document")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    response = client.post(f"{base}/measures/new", data={
        "presentation_id": presentation_id, "title": "Konfliktlotsen ausbilden",
        "description": "Zwölf Lotsen.", "responsible_unit": "KI", "due_on": ""})
    assert response.status_code == 302
    with app.app_context():
        measure = db.session.scalars(select(Measure)).one()
        measure_id = measure.id
    response = client.post(f"/assignments/steps/measures/{measure_id}/updates", data={
        "state": "in_progress", "noted_on": str(berlin_today()), "note": "Start"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Measure, measure_id).state.value == "in_progress"


@pytest.mark.parametrize("data, message", [
    ({"committee": "", "meeting_at": "2030-01-01T10:00"}, None),
    ({"committee": "Rat", "meeting_at": "2030-01-01T10:00", "outcome": "decided"},
     "taken place"),
    ({"committee": "Rat", "meeting_at": "2001-01-01T10:00"}, "start"),
    ({"committee": "Rat", "meeting_at": "2030-01-01T10:00", "url": "javascript:alert(1)"},
     None),
    ({"committee": "Rat", "meeting_at": "2030-01-01T10:00", "document": "not a pdf"}, None),
])
def test_bad_meeting_input_changes_nothing(app, steps_world, client_for, data, message):
    accept_recommendations(app, steps_world)
    client = client_for(steps_world["hamm1"])
    if "document" in data:  # a fresh stream per run: parameters are shared by the backends
        data = {**data, "document": (io.BytesIO(b"MZ" + data["document"].encode()),
                                     "Beschluss.pdf")}
    before = _counts(app)
    response = client.post(f"/assignments/steps/cohorts/{steps_world.cohort.id}/"
                           f"municipalities/{steps_world.hamm.id}/presentations/new",
                           data={"reference": "", "outcome": "", "notes": "", "url": "",
                                 **data}, content_type="multipart/form-data")
    assert response.status_code == 200
    assert _counts(app) == before
    assert 'class="error"' in response.get_data(as_text=True) or "flash" in \
        response.get_data(as_text=True)


def test_a_document_above_the_upload_limit_keeps_the_meeting_s_text(
        app, steps_world, client_for, monkeypatch):
    """The host's upload mechanism (lms.uploads): the file is refused at its field."""
    monkeypatch.setitem(app.config, "MAX_UPLOAD_MB", 1)
    english = {"Accept-Language": "en"}
    accept_recommendations(app, steps_world)
    client = client_for(steps_world["hamm1"])
    url = f"/assignments/steps/cohorts/{steps_world.cohort.id}/municipalities/" \
          f"{steps_world.hamm.id}/presentations/new"
    assert "At most 1 MB" in client.get(url, headers=english).get_data(as_text=True)
    before = _counts(app)
    response = client.post(url, headers=english, content_type="multipart/form-data", data={
        "committee": "Rat", "meeting_at": "2030-01-01T10:00", "reference": "", "outcome": "",
        "notes": "Lange Notizen zur Sitzung", "url": "",
        "document": (io.BytesIO(steps_factories_pdf() + b"0" * (1024 * 1024)), "Gross.pdf")})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "“Gross.pdf” is larger than 1 MB" in html
    assert "Lange Notizen zur Sitzung" in html and _counts(app) == before


def test_measure_without_decision_is_refused(app, steps_world, client_for):
    client = client_for(steps_world["hamm1"])
    response = client.post(f"/assignments/steps/cohorts/{steps_world.cohort.id}/"
                           f"municipalities/{steps_world.hamm.id}/measures/new",
                           data={"title": "Ohne Beschluss", "presentation_id": "1"})
    assert response.status_code == 200
    assert _counts(app) == (0, 0, 0)


def test_organiser_edits_template_and_toggles_sharing(app, steps_world, client_for):
    client = client_for(steps_world["organiser"])
    with app.app_context():
        stored = db.session.scalar(select(func.count()).select_from(TemplateStep))
    # showing the templates and a step's form stores nothing (the defaults were, on GET)
    assert client.get("/assignments/steps/procedures").status_code == 200
    assert client.get("/assignments/steps/procedures/full/analysis/edit").status_code == 200
    assert client.get("/assignments/steps/procedures/full/nonsense/edit").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(TemplateStep)) == stored
    response = client.post("/assignments/steps/procedures/full/analysis/edit", data={
        "position": 1, "title": "Analyse", "evidence": "Bericht", "due_offset_days": 100})
    assert response.status_code == 302
    with app.app_context():
        step_id = db.session.scalar(select(TemplateStep.id).where(
            TemplateStep.procedure == Procedure.FULL, TemplateStep.kind == StepKind.ANALYSIS))
    response = client.post(f"/assignments/steps/cohorts/{steps_world.cohort.id}/sharing",
                           data={"share_progress": "y"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(TemplateStep, step_id).title == "Analyse"
        assert db.session.get(StepSettings, steps_world.cohort.id).share_progress
    lecturer = client_for(steps_world["lecturer"])
    assert lecturer.post(f"/assignments/steps/cohorts/{steps_world.cohort.id}/sharing",
                         data={"share_progress": ""}).status_code == 403


def test_taking_a_template_twice_is_refused(app, steps_world, client_for, module):
    client = client_for(steps_world["organiser"])
    response = client.post(f"/assignments/steps/cohorts/{steps_world.cohort.id}/take",
                           data={"module": module.id}, follow_redirects=True)
    assert response.status_code == 200
    with app.app_context():
        from assignments.steps.models import CohortStep
        assert db.session.scalar(select(func.count(CohortStep.id))) == 4


def test_organiser_takes_the_template_of_a_new_cohort(app, steps_world, client_for, module):
    client = client_for(steps_world["organiser"])
    other = steps_world.other_cohort.id
    page = client.get(f"/assignments/steps/cohorts/{other}").get_data(as_text=True)
    assert f"/assignments/steps/cohorts/{other}/take" in page
    assert client.post(f"/assignments/steps/cohorts/{other}/take",
                       data={"module": module.id}).status_code == 302
    with app.app_context():
        from assignments.steps.procedures import cohort_steps
        assert [s.kind for s in cohort_steps(other)] == [
            StepKind.ANALYSIS, StepKind.RECOMMENDATIONS, StepKind.PRESENTATION,
            StepKind.MEASURES]


def test_index_lists_own_cohorts(app, steps_world, client_for):
    page = client_for(steps_world["hamm1"]).get("/assignments/steps/").get_data(as_text=True)
    assert "Studiengruppe 2017" in page and "Studiengruppe 2018" not in page
    assert client_for(steps_world["organiser"]).get("/assignments/steps/").status_code == 200


def test_board_cells_link_to_the_evidence(app, steps_world, records, client_for):
    from tests.assignments.steps.factories import schedule_of

    with app.app_context():
        schedule_id = schedule_of(steps_world, StepKind.ANALYSIS).id
    board = f"/assignments/steps/cohorts/{steps_world.cohort.id}"
    team = client_for(steps_world["hamm1"]).get(board).get_data(as_text=True)
    assert f"/assignments/schedules/{schedule_id}\"" in team
    lecturer = client_for(steps_world["lecturer"]).get(board).get_data(as_text=True)
    assert re.search(r"/assignments/submissions/\d+/grade", lecturer)
    assert f"municipalities/{steps_world.hamm.id}#presentation" in lecturer


def test_team_corrects_a_measure_and_its_history_stays(app, steps_world, records, client_for):
    path = f"/assignments/steps/measures/{records['measure']}/edit"
    with app.app_context():
        measure = db.session.get(Measure, records["measure"])
        state, updates = measure.state, len(measure.updates)
        decided_on = measure.updates[0].noted_on
    corrected = {"presentation_id": records["presentation"], "title": "Konfliktlotsen (neu)",
                 "description": "Zwölf statt zehn.", "responsible_unit": "Integrationszentrum",
                 "due_on": str(decided_on + timedelta(days=200))}

    duisburg = client_for(steps_world["duisburg"])
    assert duisburg.post(path, data=corrected).status_code == 404
    client = client_for(steps_world["hamm1"])
    too_early = client.post(path, data={**corrected,
                                        "due_on": str(decided_on - timedelta(days=1))})
    assert too_early.status_code == 200
    with app.app_context():
        assert db.session.get(Measure, records["measure"]).title != corrected["title"]

    assert client.post(path, data=corrected).status_code == 302
    with app.app_context():
        measure = db.session.get(Measure, records["measure"])
        assert (measure.title, measure.responsible_unit) == (corrected["title"],
                                                              "Integrationszentrum")
        assert measure.due_on == decided_on + timedelta(days=200)
        assert measure.state is state and len(measure.updates) == updates
