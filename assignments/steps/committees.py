"""Step 3: presenting the recommendations to committees, and recording their outcome.

A meeting can be planned at any time (without an outcome). An outcome can be recorded
only for a meeting that has taken place, and only once the municipality's
recommendations are accepted: a decision for a step not yet reached is refused. An
outcome that measures came from stays a decision.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import BinaryIO

from flask_babel import gettext as _

from assignments.steps.board import step_status
from assignments.steps.models import Outcome, Presentation, StepKind
from assignments.steps.states import StepState
from cohorts.models import Cohort
from courses.materials import material_rules
from courses.services import check_web_url
from lms import audit
from lms.auth.models import User
from lms.dates import berlin_midnight, check_date
from lms.db import utcnow
from lms.errors import DomainError
from lms.extensions import db
from lms.uploads import check_upload, clean_filename, stored_uploads

TEXT_MAX = 50_000


@dataclass(frozen=True)
class PresentationDetails:
    committee: str
    meeting_at: datetime | None
    reference: str = ""
    outcome: Outcome | None = None
    notes: str = ""
    url: str = ""


@dataclass(frozen=True)
class Upload:
    filename: str
    stream: BinaryIO


def _checked(cohort: Cohort, municipality_id: int, details: PresentationDetails,
             now: datetime) -> PresentationDetails:
    committee = (details.committee or "").strip()
    if not committee:
        raise DomainError(_("Please name the committee."), field="committee")
    if details.meeting_at is None:
        raise DomainError(_("Please give the date of the meeting."), field="meeting_at")
    check_date(details.meeting_at, "meeting_at")
    if details.meeting_at < berlin_midnight(cohort.starts_on):
        raise DomainError(_("The meeting cannot be before the cohort's start."),
                          field="meeting_at")
    if len(details.notes or "") > TEXT_MAX:
        raise DomainError(_("The notes are too long."), field="notes")
    url = check_web_url(details.url, "url") if (details.url or "").strip() else ""
    if details.outcome is not None:
        if details.meeting_at > now:
            raise DomainError(_("An outcome can only be recorded once the meeting has taken "
                                "place. Leave it empty while the meeting is planned."),
                              field="outcome")
        _check_step_reached(cohort, municipality_id)
    return PresentationDetails(committee, details.meeting_at, (details.reference or "").strip(),
                               details.outcome, (details.notes or "").strip(), url)


def _check_step_reached(cohort: Cohort, municipality_id: int) -> None:
    """Committees decide on accepted recommendations only."""
    status = step_status(cohort, municipality_id, StepKind.RECOMMENDATIONS)
    if status is not None and status.state is not StepState.ACCEPTED:
        raise DomainError(_("A committee decision can only be recorded once the "
                            "recommendations have been accepted."), field="outcome")


def _store(presentation: Presentation, upload: Upload) -> None:
    """Check the minutes or decision file and keep it in the host's storage.

    The same rules as course materials; an upload without a file name is no upload.
    """
    if not clean_filename(upload.filename):
        return
    rules = replace(material_rules(), field="document")
    checked = check_upload(upload.filename, upload.stream, rules)
    with stored_uploads() as store:
        stored = store.put(checked, rules)
        presentation.filename, presentation.sha256 = checked.filename, stored.sha256
        presentation.content_type, presentation.size = checked.content_type, stored.size
        db.session.flush()


def _snapshot(p: Presentation) -> dict[str, object]:
    return {"committee": p.committee, "meeting_at": p.meeting_at.isoformat(),
            "reference": p.reference, "outcome": p.outcome.value if p.outcome else None,
            "url": p.url, "sha256": p.sha256}


def record_presentation(cohort: Cohort, municipality_id: int, details: PresentationDetails,
                        *, actor: User, upload: Upload | None = None,
                        now: datetime | None = None) -> Presentation:
    details = _checked(cohort, municipality_id, details, now or utcnow())
    presentation = Presentation(cohort_id=cohort.id, municipality_id=municipality_id,
                                created_by_id=actor.id, **vars(details))
    db.session.add(presentation)
    if upload is not None:
        _store(presentation, upload)
    db.session.flush()
    audit.record("presentation.recorded", presentation, actor=actor,
                 after=_snapshot(presentation))
    return presentation


def update_presentation(presentation: Presentation, details: PresentationDetails, *,
                        actor: User, upload: Upload | None = None,
                        now: datetime | None = None) -> None:
    details = _checked(presentation.cohort, presentation.municipality_id, details,
                       now or utcnow())
    if presentation.measures and not (details.outcome and details.outcome.is_decision):
        raise DomainError(_("Measures come from this decision, so its outcome must stay "
                            "decided or partly decided."), field="outcome")
    before = _snapshot(presentation)
    if details.meeting_at != presentation.meeting_at:
        presentation.sequence += 1
    for name, value in vars(details).items():
        setattr(presentation, name, value)
    if upload is not None:
        _store(presentation, upload)
    db.session.flush()
    audit.record("presentation.changed", presentation, actor=actor, before=before,
                 after=_snapshot(presentation))
