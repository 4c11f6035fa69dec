"""The personal data the course plugin keeps: its declaration for the record of
processing, a person's part of their export (Art. 15 GDPR) and of their erasure (Art. 17)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from courses.congress_models import AgendaItem, Attendance, Congress, Speaker
from courses.models import Material, Module, ModuleRevision, Session
from lms.auth.models import User
from lms.erasure import Erasure
from lms.extensions import db
from lms.plugins import PersonalData, PersonalSection
from lms.processing import KEPT_WITH_RECORDS

PERSONAL_DATA = (
    PersonalData(
        _l("Course content"), _l("Lecturers and organisers"),
        _l("Author and time of each module version and material"),
        _l("Tracing who wrote and changed the course"), KEPT_WITH_RECORDS,
        ("course_module_revisions", "course_materials")),
    PersonalData(
        _l("Congresses"), _l("Participants, staff and speakers"),
        _l("Registrations and waiting list places; speakers' names and roles on the agenda"),
        _l("Planning the congresses and publishing their programmes"), KEPT_WITH_RECORDS,
        ("congress_attendances", "congress_speakers")),
)


def export_personal_data(user: User) -> PersonalSection:
    """A person's congress registrations and the course content they wrote."""
    attendances = db.session.scalars(select(Attendance).where(Attendance.user_id == user.id)
                                     .order_by(Attendance.registered_at, Attendance.id))
    revisions = db.session.scalars(select(ModuleRevision).where(
        ModuleRevision.author_id == user.id).order_by(ModuleRevision.id))
    materials = db.session.scalars(select(Material).where(Material.created_by_id == user.id)
                                   .order_by(Material.id))
    return PersonalSection({
        "congress_registrations": [
            {"congress": attendance.congress.title, "starts_at": attendance.congress.starts_at,
             "status": attendance.status, "registered_at": attendance.registered_at}
            for attendance in attendances],
        "module_versions_written": [
            {"module": revision.module.title, "number": revision.number,
             "saved_at": revision.created_at} for revision in revisions],
        "materials_added": [
            {"module": material.module.title, "title": material.title,
             "added_at": material.created_at} for material in materials],
    })


def erase_personal_data(erasure: Erasure) -> None:
    """Registrations and authorship stay with the pseudonymised account; the name leaves
    the agenda's speakers and the course's texts that mention it."""
    erasure.scrub(Speaker.name, AgendaItem.description, Congress.description,
                  Module.summary, Module.objectives, Module.content, ModuleRevision.summary,
                  ModuleRevision.objectives, ModuleRevision.content, Session.notes)
