"""The calendar blueprint: the page, the renewal of the personal URL, and the feeds."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from lms.auth.access import authorize, can, roles_required
from lms.auth.models import Role
from lms.calendar import layout
from lms.calendar.events import (
    CohortChoice,
    cohort_choices,
    collect,
    feed_options,
    feed_start,
    kind_label,
    kinds_offered,
)
from lms.calendar.feeds import calendar_response, feed_response
from lms.calendar.forms import ExportForm, FilterForm
from lms.calendar.summary import Summary, summary
from lms.calendar.tokens import feed_token, renew_feed_secret, user_for_token
from lms.dates import berlin_midnight, berlin_today
from lms.i18n import DEFAULT_LANGUAGE
from lms.links import site_url
from lms.plugins import CalendarEvent
from lms.web import parse_id

bp = Blueprint("calendar", __name__, url_prefix="/calendar", static_folder="static")

VIEWS = ("month", "list")


def _page_url(**changes: str) -> str:
    """This page's URL with its filters, and ``changes`` made."""
    return url_for(".index", **{**request.args.to_dict(flat=False), **changes})


def _download() -> bool:
    return request.args.get("download") == "1"


@bp.get("/")
@login_required
def index():
    """The month or list shown, asked of the sources alone; the filters' choices and the
    pointers to the nearest dates come from the summary of the whole calendar."""
    view, month = _view_and_month()
    exports = can("export", CalendarEvent)  # organisers: every cohort's dates, to export
    whole = summary(current_user)
    form = FilterForm()
    form.offer(kinds_offered(whole.kinds),
               _cohorts_shown(whole, month, view, form) if exports else None)
    valid = form.validate()
    filtered = valid and (form.chosen_kinds is not None or form.chosen_cohort is not None)
    kinds = form.chosen_kinds if filtered else None
    cohort = form.chosen_cohort if filtered else None
    cohort_ids = None if cohort is None else {cohort}
    end = berlin_midnight(month.next.first_day) if view == "month" else None
    events = collect(current_user, kinds=kinds, cohort_ids=cohort_ids,
                     start=berlin_midnight(month.first_day), end=end)
    shown = (layout.overlapping(events, month.first_day, month.last_day) if view == "month"
             else layout.from_month(events, month))
    earlier = later = None
    if not shown:
        chosen = summary(current_user, kinds=kinds, cohort_ids=cohort_ids) if filtered \
            else whole
        earlier, later = layout.nearest_months(chosen.spans, month)
    feed_url = site_url(".personal_feed", token=feed_token(current_user))
    return render_template(
        "calendar/index.html", view=view, month=month, form=form, exports=exports,
        events=shown, weeks=layout.weeks(month, shown, berlin_today()) if view == "month" else None,
        groups=layout.by_month(shown) if view == "list" else None,
        earlier=earlier, later=later, today=berlin_today(), layout=layout, kind_label=kind_label,
        here=_page_url, filtered=filtered,
        feed_url=feed_url, webcal_url="webcal://" + feed_url.partition("://")[2],
        download_url=f"{feed_url}?download=1",
    ), 200 if valid else 400


def _cohorts_shown(whole: Summary, month: layout.Month, view: str,
                   form: FilterForm) -> list[CohortChoice]:
    """The cohort filter's choices: the cohorts with dates in what the page shows (the
    month, or the list from it on) and the one asked for, not every cohort there is, so
    that the page does not grow with them. An id that is no cohort of the calendar stays
    out, and the form refuses it."""
    shown = whole.cohorts_during(month, month if view == "month" else None)
    asked = parse_id(form.cohort.data)
    if asked in whole.cohort_ids:
        shown.add(asked)
    return cohort_choices(shown)


def _view_and_month() -> tuple[str, layout.Month]:
    """The page's view and month from the URL; 404 for anything else."""
    view = request.args.get("view", "month")
    text = request.args.get("month")
    month = layout.Month.of(berlin_today()) if text is None else layout.Month.parse(text)
    if view not in VIEWS or month is None:
        abort(404)
    return view, month


@bp.post("/feed/renew")
@login_required
def renew_feed() -> Response:
    renew_feed_secret(current_user)
    flash(_("Your calendar has a new address. Subscriptions with the old one stop working: "
            "subscribe again with the new one."), "success")
    return redirect(url_for(".index", _anchor="subscribe"))


@bp.get("/feed/<token>.ics")
def personal_feed(token: str) -> Response:
    """What the token's owner may see, in their language; no login, so clients can subscribe."""
    owner = user_for_token(token)
    if owner is None:
        abort(404)
    with force_locale(owner.language or DEFAULT_LANGUAGE):
        options = feed_options(_("Course dates of %(name)s", name=owner.display_name))
        return feed_response(("personal", owner.id), options,
                             lambda: collect(owner, start=feed_start()),
                             filename="lehrgang-kalender.ics", download=_download())


@bp.get("/cohorts/<int:cohort_id>.ics")
@login_required
def cohort_feed(cohort_id: int) -> Response:
    """A cohort's dates as far as the signed-in person may see them.

    404 when none of them is the cohort's own: an unknown cohort, or one whose dates the
    person may not see, look the same. The name is looked up before the feed is built,
    since it is part of what the feed says about itself.
    """
    names = {choice.id: choice.name for choice in cohort_choices([cohort_id])}
    options = feed_options(_("Course dates: %(cohort)s", cohort=names[cohort_id]))

    def events() -> list[CalendarEvent]:
        found = collect(current_user, cohort_ids={cohort_id}, start=feed_start())
        if not any(event.cohort_id == cohort_id for event in found):
            abort(404)
        return found

    return feed_response(("cohort", cohort_id, current_user.id), options, events,
                         filename=f"lehrgang-kohorte-{cohort_id}.ics", download=_download())


@bp.get("/public.ics")
def public_feed() -> Response:
    """The items every visitor may see, such as application deadlines."""
    options = feed_options(_("Course dates (public)"))
    return feed_response(("public",), options, lambda: collect(None, start=feed_start()),
                         filename="lehrgang-termine.ics", download=_download())


def _export_form() -> tuple[ExportForm, list[CohortChoice]]:
    """The organisers' export form read from the URL, offering every cohort with dates;
    and those cohorts."""
    whole = summary(current_user)
    cohorts = cohort_choices(whole.cohort_ids)
    form = ExportForm(prefix="export")
    form.offer(kinds_offered(whole.kinds), cohorts)
    return form, cohorts


@bp.get("/export")
@login_required
def export_page() -> str:
    """The export form and each cohort's feed: a page of its own, since it offers every
    cohort, which the calendar page does not."""
    authorize("export", CalendarEvent)
    form, cohorts = _export_form()
    return render_template("calendar/export.html", export_form=form, cohort_feeds=cohorts)


@bp.get("/export.ics")
@roles_required(Role.ORGANISER)
def export() -> Response:
    """Everything, or the part the form picks, as a file to save."""
    form, _cohorts = _export_form()
    if not form.validate():
        for field in form:
            for error in field.errors:
                flash(f"{field.label.text}: {error}", "error")
        return redirect(url_for(".export_page"))
    events = _export_events(form)
    return calendar_response(events, feed_options(_("Course dates (export)")),
                             filename="lehrgang-export.ics", download=True)


def _export_events(form: ExportForm) -> list[CalendarEvent]:
    cohort = form.chosen_cohort
    first, last = form.first_day.data, form.last_day.data
    return collect(
        current_user, kinds=form.chosen_kinds, cohort_ids=None if cohort is None else {cohort},
        start=berlin_midnight(first) if first else None,
        end=berlin_midnight(last + timedelta(days=1)) if last else None,
    )
