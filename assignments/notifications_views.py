"""The notification list: read, open (marks read), mark all read."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from assignments import notifications
from assignments.models import Notification
from lms.auth.access import load, roles_required
from lms.web import paginate, safe_next

PER_PAGE = 30


@roles_required()
def notification_list():
    page = paginate(notifications.notifications_of(current_user), PER_PAGE)
    return render_template("assignments/notifications/list.html", page=page,
                           unread=notifications.unread_count(current_user),
                           message=notifications.message)


@roles_required()
def open_notification(notification_id: int):
    """Mark it read and go where it points."""
    notification = load(Notification, notification_id, "read")
    notifications.mark_read(notification)
    return redirect(notification.link if notification.link.startswith("/")
                    and not notification.link.startswith("//")
                    else url_for(".notification_list"))


@roles_required()
def read_all_notifications():
    count = notifications.mark_all_read(current_user)
    if count:
        flash(_("All notifications are marked as read."), "success")
    return redirect(safe_next(url_for(".notification_list")))


