"""Procedure templates and a cohort taking its template.

The full procedure (first cohort) walks four steps; the shortened one (from 2018) starts
with a short analysis folded into the recommendations. Organisers edit the templates.
A cohort takes its procedure's template once: its ``CohortStep`` rows are a copy, so a
later template edit leaves running cohorts as they are. Evidence steps get a team
assignment with dates in the cohort, made through the assignment plugin's own rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from assignments import authoring
from assignments.authoring import AssignmentDetails, ScheduleDates
from assignments.models import AssignmentKind, GradingScheme
from assignments.steps.models import CohortStep, StepKind, StepSettings, TemplateStep
from cohorts.models import Cohort, Procedure
from courses.models import Module
from courses.services import required_title
from lms import audit
from lms.auth.models import User
from lms.dates import berlin_day_end, berlin_midnight
from lms.db import lock_row
from lms.errors import DomainError
from lms.extensions import db
from lms.markdown_columns import render_once

MAX_OFFSET_DAYS = 1500
MAX_POSITION = 20
#: the file types step evidence may come in
EVIDENCE_FILES = "pdf,docx,odt"


@dataclass(frozen=True)
class StepDetails:
    position: int
    title: str
    evidence: str
    due_offset_days: int


_FULL = (
    (StepKind.ANALYSIS, "Bestandsaufnahme der Integrationsstrukturen", 120,
     "Bericht über die bestehenden Strukturen und Prozesse der Integrationsarbeit "
     "(Akteure, Gremien, Konfliktanlässe), höchstens 20 Seiten."),
    (StepKind.RECOMMENDATIONS, "Empfehlungen für die Kommune", 240,
     "Empfehlungspapier mit begründeten Maßnahmenvorschlägen für Politik und Verwaltung."),
    (StepKind.PRESENTATION, "Vorstellung in den Gremien", 360,
     "Sitzungstermin, Tagesordnungspunkt oder Drucksache und das Ergebnis mit Protokoll "
     "oder Beschluss."),
    (StepKind.MEASURES, "Umsetzung der beschlossenen Maßnahmen", 540,
     "Jede beschlossene Maßnahme mit Zuständigkeit, Termin und Stand."),
)
_SHORTENED = (
    (StepKind.RECOMMENDATIONS, "Kurzanalyse und Empfehlungen", 120,
     "Kurzanalyse der Strukturen und Empfehlungspapier in einem Dokument."),
    (StepKind.PRESENTATION, "Vorstellung in den Gremien", 210,
     "Sitzungstermin, Tagesordnungspunkt oder Drucksache und das Ergebnis mit Protokoll "
     "oder Beschluss."),
    (StepKind.MEASURES, "Umsetzung der beschlossenen Maßnahmen", 330,
     "Jede beschlossene Maßnahme mit Zuständigkeit, Termin und Stand."),
)
DEFAULT_STEPS = {Procedure.FULL: _FULL, Procedure.SHORTENED: _SHORTENED}
# the defaults are built anew for every view of the templates
render_once(*(evidence for steps in DEFAULT_STEPS.values() for *_step, evidence in steps))


def template_steps(procedure: Procedure) -> list[TemplateStep]:
    """The template of ``procedure`` in order: the stored steps, else the defaults.

    Reading never writes (GET never changes anything): the defaults are new objects that
    are stored only when an organiser changes one of them (``update_template_step``).
    """
    return _stored_steps(procedure) or _default_steps(procedure)


def template_step(procedure: Procedure, kind: StepKind) -> TemplateStep | None:
    """The step of ``kind`` in the template of ``procedure`` (None: the procedure has none)."""
    return next((step for step in template_steps(procedure) if step.kind is kind), None)


def _stored_steps(procedure: Procedure) -> list[TemplateStep]:
    return list(db.session.scalars(select(TemplateStep).where(
        TemplateStep.procedure == procedure).order_by(TemplateStep.position, TemplateStep.id)))


def _default_steps(procedure: Procedure) -> list[TemplateStep]:
    return [TemplateStep(procedure=procedure, kind=kind, position=position, title=title,
                         evidence=evidence, due_offset_days=offset)
            for position, (kind, title, offset, evidence)
            in enumerate(DEFAULT_STEPS[procedure], 1)]


def update_template_step(step: TemplateStep, details: StepDetails, *,
                         actor: User) -> TemplateStep:
    """Change one template step; the order of steps must keep analysis before measures.

    A step of the defaults is stored, with the rest of its template, first. Returns the
    stored step.
    """
    if not 0 <= details.due_offset_days <= MAX_OFFSET_DAYS:
        raise DomainError(_("The due date must be between 0 and %(max)d days after the "
                            "cohort's start.", max=MAX_OFFSET_DAYS), field="due_offset_days")
    if not 1 <= details.position <= MAX_POSITION:
        raise DomainError(_("Please give a position between 1 and 20."), field="position")
    if step.id is None:
        stored = _stored_steps(step.procedure)
        if not stored:
            stored = _default_steps(step.procedure)
            db.session.add_all(stored)
            db.session.flush()
        step = next(found for found in stored if found.kind is step.kind)
    before = {"position": step.position, "title": step.title, "evidence": step.evidence,
              "due_offset_days": step.due_offset_days}
    step.title = required_title(details.title)
    step.evidence = (details.evidence or "").strip()
    step.position = details.position
    step.due_offset_days = details.due_offset_days
    db.session.flush()
    audit.record("step_template.changed", step, actor=actor, before=before,
                 after={"position": step.position, "title": step.title,
                        "evidence": step.evidence, "due_offset_days": step.due_offset_days})
    return step


def cohort_steps(cohort_id: int) -> list[CohortStep]:
    return list(db.session.scalars(select(CohortStep).where(CohortStep.cohort_id == cohort_id)
                                   .order_by(CohortStep.position, CohortStep.id)))


def take_template(cohort: Cohort, module: Module, *, actor: User | None) -> list[CohortStep]:
    """Copy the cohort's procedure template into the cohort, once.

    Evidence steps become team assignments of ``module`` (a module of the cohort's course),
    open from the cohort's start, due on the step's date, accepted until the cohort ends.
    """
    if cohort_steps(cohort.id):
        raise DomainError(_("This cohort has already taken its procedure template."))
    if module.course_id != cohort.course_id:
        raise DomainError(_("Please choose a module of this cohort's course."), field="module")
    steps = []
    for template in template_steps(cohort.procedure):
        due_on = cohort.starts_on + timedelta(days=template.due_offset_days)
        step = CohortStep(cohort_id=cohort.id, kind=template.kind, position=template.position,
                          title=template.title, evidence=template.evidence, due_on=due_on)
        if template.kind.has_evidence:
            step.assignment = _evidence_assignment(cohort, module, template, due_on, actor)
        db.session.add(step)
        steps.append(step)
    db.session.flush()
    audit.record("step_template.taken", cohort, actor=actor,
                 after={"procedure": cohort.procedure.value,
                        "steps": [step.kind.value for step in steps]})
    return steps


def _evidence_assignment(cohort: Cohort, module: Module, template: TemplateStep, due_on: date,
                         actor: User | None):
    max_upload_mb = current_app.config["MAX_UPLOAD_MB"]
    assignment = authoring.create_assignment(module, AssignmentDetails(
        title=template.title, kind=AssignmentKind.TEAM, grading=GradingScheme.PASS_FAIL,
        instructions=template.evidence, counts_for_certificate=False,
        allowed_extensions=EVIDENCE_FILES, max_files=5, max_file_mb=min(20, max_upload_mb)),
        actor=actor, max_upload_mb=max_upload_mb)
    due_at = berlin_day_end(due_on)
    authoring.schedule_assignment(assignment, cohort, ScheduleDates(
        berlin_midnight(cohort.starts_on), due_at, max(due_at, berlin_day_end(cohort.ends_on))),
        actor=actor)
    return assignment


def set_share_progress(cohort: Cohort, share: bool, *, actor: User) -> None:
    """Whether the cohort's teams see each other's progress. The settings row is created
    on first use, under the cohort's row lock, so two organisers cannot both create it."""
    lock_row(Cohort, cohort.id)
    settings = db.session.get(StepSettings, cohort.id)
    if settings is None:
        settings = StepSettings(cohort_id=cohort.id, share_progress=False)
        db.session.add(settings)
    before = settings.share_progress
    settings.share_progress = share
    db.session.flush()
    audit.record("step_settings.changed", cohort, actor=actor,
                 before={"share_progress": before}, after={"share_progress": share})
