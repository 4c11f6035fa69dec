"""Congress pages: the public programme, its print view and feed, the organisers' editing
and attendance, and registration for signed-in people.

A blueprint of its own (``congresses``, under /congresses), registered by the course
plugin's setup: public pages beside the course's signed-in ones.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from courses import congresses as rules
from courses.access import visible_courses
from courses.calendar import agenda_events
from courses.congress_access import visible_congresses
from courses.congress_forms import AgendaItemForm, CongressForm, MoveItemForm, NewCongressForm
from courses.congress_models import AgendaItem, AttendanceStatus, Congress
from courses.congresses import CongressDetails, ItemDetails
from lms.auth.access import can, load, roles_required
from lms.auth.models import Role
from lms.calendar.events import feed_options
from lms.calendar.feeds import calendar_response
from lms.confirm import Confirmation, confirmation_page
from lms.dates import berlin_day
from lms.errors import DomainError
from lms.extensions import db
from lms.links import site_url
from lms.tables import FORMAT_PART, table_response
from lms.web import reject

bp = Blueprint("congresses", __name__)


def _back(congress: Congress, anchor: str | None = None) -> Response:
    return redirect(url_for(".congress", congress_id=congress.id, _anchor=anchor))


# --- Reading -------------------------------------------------------------------------------


@bp.route("/")
def index():
    return render_template("courses/congress/index.html",
                           congresses=db.session.scalars(visible_congresses(current_user)).all(),
                           may_create=can("create", Congress))


def _feed_urls(congress: Congress) -> dict[str, str]:
    feed = site_url(".feed", congress_id=congress.id)
    return {"feed": feed, "webcal": "webcal://" + feed.partition("://")[2],
            "download": url_for(".feed", congress_id=congress.id, download="1")}


@bp.route("/<int:congress_id>")
def congress(congress_id: int):
    congress = load(Congress, congress_id)
    signed_in = current_user.is_authenticated
    return render_template(
        "courses/congress/congress.html", congress=congress,
        days=_by_day(rules.programme(congress)),
        attendance=rules.attendance_of(congress, current_user) if signed_in else None,
        places_left=rules.places_left(congress),
        registration_open=rules.registration_open(congress),
        urls=_feed_urls(congress),
        Status=AttendanceStatus,
    )


def _by_day(items: list[AgendaItem]) -> list[tuple[object, list[AgendaItem]]]:
    """The items grouped by their Berlin day, in programme order."""
    days: dict[object, list[AgendaItem]] = {}
    for item in items:
        days.setdefault(berlin_day(item.starts_at), []).append(item)
    return list(days.items())


@bp.route("/<int:congress_id>/programme")
def programme(congress_id: int):
    """The programme alone, for printing."""
    congress = load(Congress, congress_id)
    return render_template("courses/congress/programme.html", congress=congress,
                           days=_by_day(rules.programme(congress)))


@bp.route("/<int:congress_id>.ics")
def feed(congress_id: int) -> Response:
    """The agenda as iCalendar: public congresses for everybody, so clients can subscribe."""
    congress = load(Congress, congress_id)
    options = feed_options(_("Congress: %(title)s", title=congress.title))
    return calendar_response(agenda_events(congress), options,
                             filename=f"kongress-{congress.id}.ics",
                             download=request.args.get("download") == "1")


# --- Congresses ----------------------------------------------------------------------------


def _congress_details(form: CongressForm) -> CongressDetails:
    return CongressDetails(
        title=form.title.data, starts_at=form.starts_at.data, ends_at=form.ends_at.data,
        subtitle=form.subtitle.data, venue=form.venue.data, address=form.address.data,
        description=form.description.data, public=form.public.data,
        capacity=form.capacity.data)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def new_congress():
    courses = {course.id: course for course in visible_courses(current_user)}
    if not courses:
        abort(404)
    form = NewCongressForm()
    if len(courses) == 1:  # nothing to choose
        del form.course_id
    else:
        form.course_id.choices = [SelectChoice(ident, course.title)
                                  for ident, course in courses.items()]
    if form.validate_on_submit():
        course = courses[form.course_id.data] if "course_id" in form else next(
            iter(courses.values()))
        try:
            congress = rules.create_congress(course, _congress_details(form),
                                             actor=current_user)
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(_("The congress has been created. Now add its agenda."), "success")
            return _back(congress)
    return render_template("courses/congress/congress_form.html", form=form, congress=None)


@bp.route("/<int:congress_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def edit_congress(congress_id: int):
    congress = load(Congress, congress_id, "edit")
    form = CongressForm(obj=congress)
    if form.validate_on_submit():
        try:
            rules.update_congress(congress, _congress_details(form), actor=current_user)
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(_("The changes have been saved."), "success")
            return _back(congress)
    return render_template("courses/congress/congress_form.html", form=form, congress=congress)


@bp.route("/<int:congress_id>/cancel", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def cancel_congress(congress_id: int):
    """GET asks first (what cancelling does); POST cancels, or with ``cancelled=0`` reinstates."""
    congress = load(Congress, congress_id, "edit")
    if request.method == "GET":
        return confirmation_page(Confirmation(
            title=_("Cancel the congress “%(title)s”?", title=congress.title),
            consequences=rules.cancellation_consequences(congress),
            action=url_for(".cancel_congress", congress_id=congress.id),
            confirm_label=_("Cancel congress"),
            back=url_for(".congress", congress_id=congress.id), fields={"cancelled": "1"}))
    cancelled = request.form.get("cancelled") == "1"
    rules.set_congress_cancelled(congress, cancelled, actor=current_user)
    flash(_("The congress has been cancelled. It stays listed, marked as cancelled.")
          if cancelled else _("The congress takes place again."), "success")
    return _back(congress)


# --- Agenda items --------------------------------------------------------------------------


def _item_details(form: AgendaItemForm) -> ItemDetails:
    return ItemDetails(
        title=form.title.data, kind=form.kind.data, starts_at=form.starts_at.data,
        ends_at=form.ends_at.data, room=form.room.data, description=form.description.data,
        speakers=rules.parse_speakers(form.speakers.data))


def _item_form_page(congress: Congress, form: AgendaItemForm, item: AgendaItem | None):
    return render_template("courses/congress/item_form.html", congress=congress, form=form,
                           item=item)


@bp.route("/<int:congress_id>/items/new", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def new_item(congress_id: int):
    congress = load(Congress, congress_id, "edit")
    form = AgendaItemForm()
    if form.validate_on_submit():
        try:
            item = rules.add_item(congress, _item_details(form))
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(_("The agenda item has been added."), "success")
            return _back(congress, f"item-{item.id}")
    return _item_form_page(congress, form, None)


@bp.route("/<int:congress_id>/items/<int:item_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def edit_item(congress_id: int, item_id: int):
    congress = load(Congress, congress_id, "edit")
    item = load(AgendaItem, item_id, "edit", congress_id=congress.id)
    form = AgendaItemForm(obj=item)
    if request.method == "GET":
        form.speakers.data = rules.speakers_text(item)
    if form.validate_on_submit():
        try:
            rules.update_item(item, _item_details(form))
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(_("The changes have been saved."), "success")
            return _back(congress, f"item-{item.id}")
    return _item_form_page(congress, form, item)


@bp.route("/<int:congress_id>/items/<int:item_id>/move", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def move_item(congress_id: int, item_id: int):
    congress = load(Congress, congress_id, "edit")
    item = load(AgendaItem, item_id, "edit", congress_id=congress.id)
    form = MoveItemForm(obj=item)
    if form.validate_on_submit():
        try:
            rules.move_item(item, form.starts_at.data,
                            shift_following=form.shift_following.data)
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(_("The agenda item has been moved."), "success")
            return _back(congress, f"item-{item.id}")
    return render_template("courses/congress/move_form.html", congress=congress, item=item,
                           form=form)


@bp.route("/<int:congress_id>/items/<int:item_id>/reorder", methods=["POST"])
@roles_required(Role.ORGANISER)
def reorder_item(congress_id: int, item_id: int):
    congress = load(Congress, congress_id, "edit")
    item = load(AgendaItem, item_id, "edit", congress_id=congress.id)
    offset = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if offset is None:
        abort(400)
    rules.reorder_item(item, offset)
    return _back(congress, f"item-{item.id}")


@bp.route("/<int:congress_id>/items/<int:item_id>/cancel", methods=["POST"])
@roles_required(Role.ORGANISER)
def cancel_item(congress_id: int, item_id: int):
    congress = load(Congress, congress_id, "edit")
    item = load(AgendaItem, item_id, "edit", congress_id=congress.id)
    cancelled = request.form.get("cancelled") == "1"
    rules.set_item_cancelled(item, cancelled, actor=current_user)
    flash(_("The agenda item has been cancelled. It stays in the programme, marked as "
            "cancelled.") if cancelled else _("The agenda item takes place again."), "success")
    return _back(congress, f"item-{item.id}")


# --- Attendance ----------------------------------------------------------------------------


@bp.route("/<int:congress_id>/register", methods=["POST"])
@roles_required()
def register(congress_id: int):
    congress = load(Congress, congress_id, "register")
    try:
        attendance = rules.register(congress, current_user)
    except DomainError as exc:
        reject(None, exc)
    else:
        flash(_("You are registered.") if attendance.status is AttendanceStatus.REGISTERED
              else _("The congress is full: you are on the waiting list. If a place becomes "
                     "free, you move up and we let you know by email."), "success")
    return _back(congress, "attendance")


@bp.route("/<int:congress_id>/unregister", methods=["POST"])
@roles_required()
def unregister(congress_id: int):
    congress = load(Congress, congress_id, "register")
    try:
        rules.unregister(congress, current_user)
    except DomainError as exc:
        reject(None, exc)
    else:
        flash(_("Your registration has been cancelled."), "success")
    return _back(congress, "attendance")


@bp.route("/<int:congress_id>/attendance")
@roles_required(Role.ORGANISER)
def attendance(congress_id: int):
    congress = load(Congress, congress_id, "edit")
    return render_template("courses/congress/attendance.html", congress=congress,
                           rows=rules.attendance_list(congress),
                           counts=rules.attendance_counts(congress), Status=AttendanceStatus)


@bp.route(f"/<int:congress_id>/attendance.{FORMAT_PART}")
@roles_required(Role.ORGANISER)
def attendance_export(congress_id: int, format: str) -> Response:
    congress = load(Congress, congress_id, "edit")
    return table_response(rules.attendance_table(congress), format)
