"""The "Handbuch Integration": organisers compile accepted recommendations and decided
measures of one or more cohorts into one document.

Entries are chosen from the candidates of the handbook's cohorts and filed under a
topic; the document orders them by topic, then municipality. It is offered as a web
page, as Markdown and as a print-ready HTML page, all from ``sections``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import groupby

from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import and_, select
from sqlalchemy.orm import selectinload

from assignments.models import (
    AssignmentSchedule,
    Review,
    ReviewOutcome,
    Submission,
    SubmissionVersion,
)
from assignments.steps.models import (
    CohortStep,
    Handbook,
    HandbookEntry,
    Measure,
    MeasureState,
    StepKind,
)
from cohorts.models import Cohort, Municipality
from courses.services import required_title
from lms import audit
from lms.auth.models import User
from lms.errors import DomainError
from lms.extensions import db
from lms.i18n import collation_key

TOPIC_MAX = 120


@dataclass(frozen=True)
class Candidate:
    """Something that may go into the handbook; ``key`` names it in the form."""

    key: str
    municipality: Municipality
    cohort: Cohort
    title: str
    version: SubmissionVersion | None = None
    measure: Measure | None = None

    @property
    def text(self) -> str:
        if self.version is not None:
            return self.version.text
        assert self.measure is not None
        return self.measure.description

    @property
    def html(self) -> Markup:
        """``text`` as stored HTML."""
        if self.version is not None:
            return self.version.text_html
        assert self.measure is not None
        return self.measure.description_html


def candidates(cohort_ids: list[int]) -> list[Candidate]:
    """Accepted recommendations (newest version, passed) and measures not dropped."""
    if not cohort_ids:
        return []
    newest = SubmissionVersion.id == Submission.latest_version_id
    rows = db.session.execute(
        select(SubmissionVersion, Municipality, Cohort, CohortStep)
        .join(Submission, newest)
        .join(Review, and_(Review.version_id == SubmissionVersion.id,
                           Review.outcome == ReviewOutcome.GRADED, Review.passed.is_(True)))
        .join(AssignmentSchedule, AssignmentSchedule.id == Submission.schedule_id)
        .join(CohortStep, and_(CohortStep.assignment_id == AssignmentSchedule.assignment_id,
                               CohortStep.cohort_id == AssignmentSchedule.cohort_id,
                               CohortStep.kind == StepKind.RECOMMENDATIONS))
        .join(Cohort, Cohort.id == CohortStep.cohort_id)
        .join(Municipality, Municipality.id == Submission.municipality_id)
        .where(CohortStep.cohort_id.in_(cohort_ids))).all()
    found = [Candidate(f"v{version.id}", municipality, cohort, step.title, version=version)
             for version, municipality, cohort, step in rows]
    measures = db.session.execute(
        select(Measure, Cohort).join(Cohort, Cohort.id == Measure.cohort_id)
        .where(Measure.cohort_id.in_(cohort_ids), Measure.state != MeasureState.DROPPED)
        .options(selectinload(Measure.municipality), selectinload(Measure.presentation))
        .order_by(Measure.id)).all()
    found += [Candidate(f"m{measure.id}", measure.municipality, cohort, measure.title,
                        measure=measure) for measure, cohort in measures]
    return sorted(found, key=lambda c: (c.municipality.sort_name, c.key[0] != "v",
                                        collation_key(c.title)))


def _cohorts(cohort_ids: list[int]) -> list[Cohort]:
    cohorts = list(db.session.scalars(select(Cohort).where(Cohort.id.in_(cohort_ids))))
    if not cohorts or len(cohorts) != len(set(cohort_ids)):
        raise DomainError(_("Please choose at least one cohort."), field="cohorts")
    return cohorts


def save_handbook(handbook: Handbook | None, title: str, introduction: str,
                  cohort_ids: list[int], *, actor: User) -> Handbook:
    """Create a handbook or change its title, introduction and cohorts.

    Entries from cohorts no longer chosen are taken out.
    """
    cohorts = _cohorts(cohort_ids)
    if handbook is None:
        handbook = Handbook(created_by_id=actor.id)
        db.session.add(handbook)
    handbook.title = required_title(title)
    handbook.introduction = (introduction or "").strip()
    handbook.cohorts = cohorts
    db.session.flush()
    keep = {c.key for c in candidates([c.id for c in cohorts])}
    handbook.entries = [entry for entry in handbook.entries if _key(entry) in keep]
    db.session.flush()
    audit.record("handbook.saved", handbook, actor=actor,
                 after={"title": handbook.title, "cohorts": sorted(cohort_ids)})
    return handbook


def _key(entry: HandbookEntry) -> str:
    return f"v{entry.version_id}" if entry.version_id else f"m{entry.measure_id}"


def choose_entries(handbook: Handbook, chosen: Mapping[str, str], *, actor: User) -> None:
    """Replace the entries with ``chosen`` (candidate key -> topic).

    Entries chosen again are updated in place, not deleted and inserted anew: the unit of
    work inserts before it deletes, so a new row would meet the old one in the handbook's
    unique constraints.
    """
    available = {c.key: c for c in candidates([c.id for c in handbook.cohorts])}
    existing = {_key(entry): entry for entry in handbook.entries}
    entries = []
    for key, topic in chosen.items():
        if key not in available:
            raise DomainError(_("One of the chosen entries is not an accepted recommendation "
                                "or decided measure of these cohorts."))
        topic = (topic or "").strip()
        if not topic or len(topic) > TOPIC_MAX:
            raise DomainError(_("Please give every chosen entry a topic (at most %(max)d "
                                "characters).", max=TOPIC_MAX))
        candidate = available[key]
        entry = existing.get(key) or HandbookEntry(
            version_id=candidate.version.id if candidate.version else None,
            measure_id=candidate.measure.id if candidate.measure else None)
        entry.topic = topic
        entries.append(entry)
    handbook.entries = entries
    db.session.flush()
    audit.record("handbook.entries_chosen", handbook, actor=actor,
                 after={"entries": sorted(chosen)})


@dataclass(frozen=True)
class Section:
    topic: str
    items: list[Candidate]


def sections(handbook: Handbook) -> list[Section]:
    """The chosen entries by topic, then municipality."""
    available = {c.key: c for c in candidates([c.id for c in handbook.cohorts])}
    chosen = sorted(((entry.topic, available[_key(entry)]) for entry in handbook.entries
                     if _key(entry) in available),
                    key=lambda pair: (pair[0].casefold(), pair[1].municipality.name,
                                      pair[1].key[0] != "v", pair[1].title))
    return [Section(topic, [item for _topic, item in group])
            for topic, group in groupby(chosen, key=lambda pair: pair[0])]


def topics_of(handbook: Handbook) -> dict[str, str]:
    return {_key(entry): entry.topic for entry in handbook.entries}


def handbook_markdown(handbook: Handbook) -> str:
    """The handbook as one Markdown document."""
    parts = [f"# {handbook.title}", "", handbook.introduction, ""]
    for section in sections(handbook):
        parts += [f"## {section.topic}", ""]
        for item in section.items:
            kind = _("Recommendations") if item.version else _("Measure")
            parts += [f"### {item.municipality.name}: {item.title}", "",
                      f"*{kind} · {item.cohort.name}*", "", item.text.strip(), ""]
            if item.measure is not None:
                parts += [_("Responsible: %(unit)s · State: %(state)s",
                            unit=item.measure.responsible_unit or "-",
                            state=item.measure.state.label), ""]
    return "\n".join(parts).strip() + "\n"
