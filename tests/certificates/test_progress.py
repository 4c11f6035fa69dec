"""The participant's own progress: the dashboard panel and the page, for a municipality's
person and a mediator (their own rule), with nothing unreleased shown; staff get no panel."""

from __future__ import annotations

import html
import re

import pytest

from assignments.models import AssignmentSchedule, ReviewOutcome, Submission
from assignments.reviews import ReviewInput, save_review, stamp
from assignments.steps.models import StepKind
from assignments.submitting import hand_in, new_token
from cohorts.attendance_models import AttendanceStatus
from lms.auth.models import User
from lms.extensions import db
from tests.certificates.conftest import (
    add_sessions,
    enrolled_since_start,
    module_work,
    record,
    set_rule,
)


@pytest.fixture
def world(app, steps_world, module, create_module, create_assignment, create_schedule):
    """Two sessions held in the first module (Hamm's first person absent once), the next
    one in the second module; "Modularbeit 5" due in a week; a step asked."""
    later = create_module("Systemdesign")
    work = module_work(app, create_assignment, create_schedule, steps_world, module)
    with app.app_context():
        enrolled_since_start(steps_world)
        held = add_sessions(steps_world, module.id, [-60, -30])
        record(steps_world, held[0], {"hamm1": AttendanceStatus.ABSENT})
        record(steps_world, held[1], {})
        add_sessions(steps_world, later.id, [20])
        set_rule(steps_world, percent=80, step=StepKind.RECOMMENDATIONS,
                 required=[work.assignment_id])
    steps_world.work = work
    return steps_world


def test_the_panel_shows_where_the_cohort_stands_and_links_the_page(app, world, client_for):
    page = client_for(world["hamm1"]).get("/").get_data(as_text=True)
    for text in ("Mein Fortschritt", "Grundlagen des Konfliktmanagements", "2 von 3",
                 "Systemdesign", "Modularbeit 5", "50,0 %", "(Minimum 80 %)",
                 'href="/certificates/progress"'):
        assert text in page, text
    # what is missing is a list, one piece per line, readable in a narrow dashboard column
    assert missing_items(page) == ["1 Präsenztermin", "1 Präsenztermin steht noch aus",
                                   "Modularbeit 5", "Schritt „Empfehlungen“"]
    # in the dashboard's narrow column each label stands above its value
    assert '<dl class="facts facts--stacked">' in page


def missing_items(page: str) -> list[str]:
    """The items of the certificate's "still missing" list on ``page``."""
    found = re.search(r'Es fehlt noch:\s*<ul class="missing">(.*?)</ul>', page, re.DOTALL)
    assert found, "no list of what is missing"
    return [html.unescape(item.strip()) for item in re.findall(r"<li>(.*?)</li>", found.group(1))]


def test_staff_get_no_panel(app, world, client_for):
    page = client_for(world["lecturer"]).get("/").get_data(as_text=True)
    assert "Mein Fortschritt" not in page


def test_mediators_see_their_own_rule_without_the_step(app, world, client_for):
    page = client_for(world["mediator"]).get("/certificates/progress").get_data(as_text=True)
    assert missing_items(page) == ["1 Präsenztermin steht noch aus", "Modularbeit 5"]
    assert "Empfehlungen" not in page
    hamm = client_for(world["hamm2"]).get("/certificates/progress").get_data(as_text=True)
    assert "Ihre Kommune hat den Schritt „Empfehlungen“ erreicht." in hamm


def test_an_unreleased_grade_is_not_shown_as_passed(app, world, client_for):
    with app.test_request_context():
        schedule = db.session.get(AssignmentSchedule, world.work.id)
        version, _new = hand_in(schedule, db.session.get(User, world["hamm2"].id),
                                text="Antwort", uploads=[], token=new_token())
        submission = db.session.get(Submission, version.submission_id)
        save_review(submission, ReviewInput(ReviewOutcome.GRADED, passed=True, feedback="Gut"),
                    actor=db.session.get(User, world["lecturer"].id), seen=stamp(submission),
                    version_id=version.id)
        db.session.commit()
    page = client_for(world["hamm2"]).get("/certificates/progress").get_data(as_text=True)
    assert "Modularbeit bestanden: Modularbeit 5: noch nicht" in page
    assert "1 von 1 geforderten" not in page and "0 von 1 geforderten" in page


def test_a_person_in_no_cohort_is_told_so(app, world, client_for):
    page = client_for(world["organiser"]).get("/certificates/progress").get_data(as_text=True)
    assert "Sie sind in keiner Studiengruppe angemeldet." in page
