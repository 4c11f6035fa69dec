"""The personal data the implementation-steps plugin keeps: its declaration for the record
of processing, a person's part of their export (Art. 15 GDPR) and of their erasure (Art. 17)."""

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from assignments.steps.models import Handbook, Measure, MeasureUpdate, Presentation
from lms.auth.models import User
from lms.erasure import Erasure
from lms.extensions import db
from lms.plugins import PersonalData, PersonalSection
from lms.processing import KEPT_WITH_RECORDS

PERSONAL_DATA = (
    PersonalData(
        _l("Implementation steps"), _l("Participants and organisers"),
        _l("Who recorded committee meetings, measures and their updates, and compiled a "
           "handbook"),
        _l("Following each municipality's implementation"), KEPT_WITH_RECORDS,
        ("step_presentations", "step_measures", "step_measure_updates", "step_handbooks")),
)


def export_personal_data(user: User) -> PersonalSection:
    """What the person recorded: committee meetings, measures, updates and handbooks
    (the municipality's records themselves are its team's, on the progress board)."""
    def mine(model: type, column: Any) -> list[Any]:
        return list(db.session.scalars(select(model).where(column == user.id)
                                       .order_by(model.id)))

    return PersonalSection({
        "committee_meetings_recorded": [
            {"municipality": row.municipality.name, "committee": row.committee,
             "meeting_at": row.meeting_at, "recorded_at": row.created_at}
            for row in mine(Presentation, Presentation.created_by_id)],
        "measures_recorded": [
            {"municipality": row.municipality.name, "title": row.title,
             "recorded_at": row.created_at} for row in mine(Measure, Measure.created_by_id)],
        "measure_updates_written": [
            {"measure": row.measure.title, "to_state": row.to_state, "note": row.note,
             "noted_on": row.noted_on} for row in mine(MeasureUpdate, MeasureUpdate.author_id)],
        "handbooks_compiled": [
            {"title": row.title, "created_at": row.created_at}
            for row in mine(Handbook, Handbook.created_by_id)],
    })


def erase_personal_data(erasure: Erasure) -> None:
    """The municipality's records stay, with the pseudonymised account as their author;
    their texts that mention the person are scrubbed."""
    erasure.scrub(Presentation.notes, Measure.description, Measure.responsible_unit,
                  MeasureUpdate.note, Handbook.introduction)
