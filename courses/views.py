"""Pages of the course plugin: load and authorise, call a service, render or redirect."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from courses import materials as material_rules
from courses import services
from courses.access import (
    STAFF,
    visible_courses,
    visible_modules,
    visible_sessions,
)
from courses.audience import current_audience
from courses.diffs import changes
from courses.forms import (
    CourseForm,
    FileMaterialForm,
    LinkMaterialForm,
    ModuleEditForm,
    ModuleForm,
    SessionForm,
)
from courses.models import Course, Material, MaterialKind, Module, ModuleRevision, Session
from courses.progress import module_progress
from courses.services import CourseDetails, EditConflict, ModuleContent, SessionDetails
from lms.auth.access import can, load, roles_required
from lms.confirm import Confirmation, confirmation_page
from lms.datetext import local_datetime
from lms.db import utcnow
from lms.downloads import stored_file_response
from lms.errors import DomainError
from lms.extensions import db
from lms.uploads import allowed_extensions
from lms.web import reject

bp = Blueprint("courses", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static")
UPCOMING_LIMIT = 5


# --- The course ----------------------------------------------------------------------------


@bp.route("/")
@roles_required()
def index():
    courses = visible_courses(current_user)
    if len(courses) == 1:
        return redirect(url_for(".course", course_id=courses[0].id))
    return render_template("courses/index.html", courses=courses)


@bp.route("/<int:course_id>")
@roles_required()
def course(course_id: int):
    course = load(Course, course_id)
    modules = db.session.scalars(
        visible_modules(current_user).where(Module.course_id == course.id)).all()
    upcoming = db.session.scalars(
        visible_sessions(current_user)
        .where(Module.course_id == course.id, Session.ends_at >= utcnow())
        .limit(UPCOMING_LIMIT)).all()
    return render_template("courses/course.html", course=course, modules=modules,
                           upcoming=upcoming)


def _course_details(form: CourseForm) -> CourseDetails:
    rule = getattr(form, "excused_counts_as_attended", None)
    return CourseDetails(title=form.title.data, starts_at=form.starts_at.data,
                         ends_at=form.ends_at.data, description=form.description.data,
                         certificate_requirements=form.certificate_requirements.data,
                         excused_counts_as_attended=rule.data if rule is not None else None)


def _course_form(course: Course | None) -> CourseForm:
    """The course form; the attendance rule only for those who may set it."""
    form = CourseForm(obj=course)
    if not can("set_rules", course or Course):
        del form.excused_counts_as_attended
    return form


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def new_course():
    form = _course_form(None)
    if form.validate_on_submit():
        try:
            course = services.create_course(_course_details(form), actor=current_user)
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(_("The course has been created."), "success")
            return redirect(url_for(".course", course_id=course.id))
    return render_template("courses/course_form.html", form=form, course=None)


@bp.route("/<int:course_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit_course(course_id: int):
    course = load(Course, course_id, "edit")
    form = _course_form(course)
    if form.validate_on_submit():
        try:
            services.update_course(course, _course_details(form), actor=current_user)
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(_("The changes have been saved."), "success")
            return redirect(url_for(".course", course_id=course.id))
    return render_template("courses/course_form.html", form=form, course=course)


# --- Modules -------------------------------------------------------------------------------


def _module_content(form: ModuleForm) -> ModuleContent:
    return ModuleContent(title=form.title.data or "", summary=form.summary.data or "",
                         objectives=form.objectives.data or "", content=form.content.data or "")


def _wants_preview() -> bool:
    return "preview" in request.form


@bp.route("/modules/<int:module_id>")
@roles_required()
def module(module_id: int):
    module = load(Module, module_id)
    siblings = db.session.scalars(
        visible_modules(current_user).where(Module.course_id == module.course_id)).all()
    index = siblings.index(module)
    sessions = db.session.scalars(
        visible_sessions(current_user).where(Session.module_id == module.id)).all()
    return render_template(
        "courses/module.html", module=module, sessions=sessions,
        previous=siblings[index - 1] if index > 0 else None,
        next=siblings[index + 1] if index + 1 < len(siblings) else None,
        progress=module_progress(current_user, module),
    )


@bp.route("/<int:course_id>/modules/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def new_module(course_id: int):
    course = load(Course, course_id, "edit")
    form = ModuleForm()
    preview = None
    if form.validate_on_submit():
        if _wants_preview():
            preview = _module_content(form)
        else:
            try:
                module = services.create_module(
                    course, _module_content(form), actor=current_user,
                    starts_at=form.starts_at.data, ends_at=form.ends_at.data)
            except DomainError as exc:
                reject(form, exc)
            else:
                flash(_("The module has been saved as a draft. Participants see it once you "
                        "publish it."), "success")
                return redirect(url_for(".module", module_id=module.id))
    return render_template("courses/module_form.html", form=form, course=course, module=None,
                           preview=preview, conflict=None)


@dataclass(frozen=True)
class Conflict:
    """What the editor sees when someone else saved first: both texts, side by side."""

    mine: ModuleContent
    saved: ModuleContent
    saved_revision: ModuleRevision


@bp.route("/modules/<int:module_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit_module(module_id: int):
    module = load(Module, module_id, "edit")
    form = ModuleEditForm(obj=module)
    if request.method == "GET":
        form.version.data = str(module.revision)
    preview = conflict = None
    if form.validate_on_submit():
        if _wants_preview():
            preview = _module_content(form)
        else:
            try:
                changed = services.update_module(
                    module, _module_content(form), actor=current_user,
                    expected_revision=int(form.version.data),
                    starts_at=form.starts_at.data, ends_at=form.ends_at.data)
            except EditConflict as exc:
                reject(form, exc)
                # The rollback expired ``module``: these are the newest saved values.
                conflict = Conflict(_module_content(form), ModuleContent.of(module),
                                    module.revisions[0])
                form.version.data = str(module.revision)
            except DomainError as exc:
                reject(form, exc)
            else:
                flash(_("The module has been saved.") if changed
                      else _("The changes have been saved."), "success")
                return redirect(url_for(".module", module_id=module.id))
    return render_template("courses/module_form.html", form=form, course=module.course,
                           module=module, preview=preview, conflict=conflict)


@bp.route("/modules/<int:module_id>/publish", methods=["POST"])
@roles_required(*STAFF)
def publish_module(module_id: int):
    module = load(Module, module_id, "edit")
    published = request.form.get("published") == "1"
    services.set_module_published(module, published, actor=current_user)
    flash(_("The module is published: participants can read it now.") if published
          else _("The module is a draft again: participants no longer see it."), "success")
    return redirect(url_for(".module", module_id=module.id))


@bp.route("/<int:course_id>/modules/<int:module_id>/move", methods=["POST"])
@roles_required(*STAFF)
def move_module(course_id: int, module_id: int):
    course = load(Course, course_id, "edit")
    module = load(Module, module_id, "edit")
    if module.course_id != course.id:
        abort(404)
    offset = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if offset is None:
        abort(400)
    services.move_module(module, offset)
    return redirect(url_for(".course", course_id=course.id, _anchor=f"module-{module.id}"))


# --- Revisions -----------------------------------------------------------------------------


def _load_revision(module_id: int, number: int) -> tuple[Module, ModuleRevision]:
    module = load(Module, module_id, "edit")
    revision = services.module_revision(module, number)
    if revision is None:
        abort(404)
    return module, revision


@bp.route("/modules/<int:module_id>/revisions")
@roles_required(*STAFF)
def revisions(module_id: int):
    module = load(Module, module_id, "edit")
    return render_template("courses/revisions.html", module=module)


@bp.route("/modules/<int:module_id>/revisions/<int:number>")
@roles_required(*STAFF)
def revision(module_id: int, number: int):
    module, revision = _load_revision(module_id, number)
    previous = services.previous_revision(revision)
    diff = changes(ModuleContent.of(previous), ModuleContent.of(revision)) if previous else []
    return render_template("courses/revision.html", module=module, revision=revision,
                           previous=previous, changes=diff)


@bp.route("/modules/<int:module_id>/revisions/<int:number>/restore", methods=["POST"])
@roles_required(*STAFF)
def restore_revision(module_id: int, number: int):
    module, revision = _load_revision(module_id, number)
    try:
        restored = services.restore_revision(module, revision, actor=current_user)
    except DomainError as exc:
        reject(None, exc)
        return redirect(url_for(".revision", module_id=module_id, number=number))
    flash(_("Version %(old)d has been restored as version %(new)d.", old=number,
            new=restored.number), "success")
    return redirect(url_for(".module", module_id=module.id))


# --- Sessions ------------------------------------------------------------------------------


def _session_form(course: Course, session: Session | None = None) -> SessionForm:
    form = SessionForm(obj=session)
    form.set_cohorts(current_audience().cohort_choices(course))
    return form


def _session_details(form: SessionForm) -> SessionDetails:
    return SessionDetails(
        starts_at=form.starts_at.data, ends_at=form.ends_at.data, title=form.title.data,
        cohort_id=form.selected_cohort, location=form.location.data,
        online_url=form.online_url.data, notes=form.notes.data)


@bp.route("/modules/<int:module_id>/sessions/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def new_session(module_id: int):
    module = load(Module, module_id, "edit")
    form = _session_form(module.course)
    if form.validate_on_submit():
        try:
            services.schedule_session(module, _session_details(form))
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(_("The session has been scheduled."), "success")
            return redirect(url_for(".module", module_id=module.id, _anchor="sessions"))
    return render_template("courses/session_form.html", form=form, module=module, session=None)


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit_session(session_id: int):
    session = load(Session, session_id, "edit")
    form = _session_form(session.module.course, session)
    if form.validate_on_submit():
        try:
            services.update_session(session, _session_details(form))
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(_("The changes have been saved."), "success")
            return redirect(url_for(".module", module_id=session.module_id, _anchor="sessions"))
    return render_template("courses/session_form.html", form=form, module=session.module,
                           session=session)


@bp.route("/sessions/<int:session_id>/cancel", methods=["GET", "POST"])
@roles_required(*STAFF)
def cancel_session(session_id: int):
    """GET asks first (what cancelling does); POST cancels, or with ``cancelled=0`` reinstates."""
    session = load(Session, session_id, "edit")
    back = url_for(".module", module_id=session.module_id, _anchor="sessions")
    if request.method == "GET":
        return confirmation_page(Confirmation(
            title=_("Cancel the session of “%(module)s” on %(day)s?",
                    module=session.module.title, day=local_datetime(session.starts_at)),
            consequences=services.cancellation_consequences(session),
            action=url_for(".cancel_session", session_id=session.id),
            confirm_label=_("Cancel session"), back=back, fields={"cancelled": "1"}))
    cancelled = request.form.get("cancelled") == "1"
    services.set_session_cancelled(session, cancelled, actor=current_user)
    flash(_("The session has been cancelled. It stays listed, marked as cancelled.") if cancelled
          else _("The session takes place again."), "success")
    return redirect(back)


# --- Materials -----------------------------------------------------------------------------


def _materials_page(module: Module, file_form: FileMaterialForm | None = None,
                    link_form: LinkMaterialForm | None = None):
    return render_template(
        "courses/material_form.html", module=module,
        file_form=file_form or FileMaterialForm(prefix="file", formdata=None),
        link_form=link_form or LinkMaterialForm(prefix="link", formdata=None),
        max_mb=material_rules.material_rules().limit_mb, extensions=allowed_extensions(),
    )


@bp.route("/modules/<int:module_id>/materials/new")
@roles_required(*STAFF)
def new_material(module_id: int):
    return _materials_page(load(Module, module_id, "edit"))


@bp.route("/modules/<int:module_id>/materials/file", methods=["POST"])
@roles_required(*STAFF)
def upload_material(module_id: int):
    module = load(Module, module_id, "edit")
    form = FileMaterialForm(prefix="file")
    if form.validate_on_submit():
        upload = form.file.data
        try:
            material_rules.add_file(module, title=form.title.data, filename=upload.filename,
                                    stream=upload.stream, actor=current_user)
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(_("The file has been added."), "success")
            return redirect(url_for(".module", module_id=module.id, _anchor="materials"))
    return _materials_page(module, file_form=form)


@bp.route("/modules/<int:module_id>/materials/link", methods=["POST"])
@roles_required(*STAFF)
def add_link(module_id: int):
    module = load(Module, module_id, "edit")
    form = LinkMaterialForm(prefix="link")
    if form.validate_on_submit():
        try:
            material_rules.add_link(module, title=form.title.data, url=form.url.data,
                                    actor=current_user)
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(_("The link has been added."), "success")
            return redirect(url_for(".module", module_id=module.id, _anchor="materials"))
    return _materials_page(module, link_form=form)


@bp.route("/materials/<int:material_id>/download")
@roles_required()
def download_material(material_id: int):
    material = load(Material, material_id, "download")
    if material.kind is not MaterialKind.FILE:
        abort(404)
    return stored_file_response(material.sha256, material.filename, material.content_type)


@bp.route("/materials/<int:material_id>/delete", methods=["POST"])
@roles_required(*STAFF)
def delete_material(material_id: int):
    material = load(Material, material_id, "edit")
    module_id = material.module_id
    material_rules.remove_material(material, actor=current_user)
    flash(_("The material has been removed."), "success")
    return redirect(url_for(".module", module_id=module_id, _anchor="materials"))


@bp.context_processor
def _editor_flag() -> dict[str, object]:
    """``editor``: whether the pages show the editing controls."""
    return {"editor": can("edit", Course)}
