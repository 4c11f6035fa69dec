"""An account's audit entries, worded for organisers instead of as stored codes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.audit import AuditEntry
from lms.auth.models import Role
from lms.i18n import LANGUAGES

ACTION_LABELS = {
    "user.created": _l("Account created"),
    "user.updated": _l("Account changed"),
    "user.password_set": _l("Password set"),
    "user.password_changed": _l("Password changed"),
    "user.data_exported": _l("Personal data downloaded (Art. 15 GDPR)"),
    "user.erased": _l("Personal data erased (Art. 17 GDPR)"),
}
FIELD_LABELS = {
    "email": _l("Email address"),
    "display_name": _l("Name"),
    "roles": _l("Roles"),
    "active": _l("Account is active"),
    "language": _l("Language"),
}


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryItem:
    at: datetime
    actor: str
    action: str
    changes: list[FieldChange]


def _value(field: str, value: object) -> str:
    if field == "roles":
        return ", ".join(Role(role).label for role in value or ()) or "—"
    if field == "language":
        return LANGUAGES.get(value, _("Browser setting"))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return "—" if value in (None, "") else str(value)


def account_history(entries: Iterable[AuditEntry]) -> list[HistoryItem]:
    items = []
    for entry in entries:
        before, after = entry.before or {}, entry.after or {}
        changes = [
            FieldChange(str(FIELD_LABELS.get(field, field)), _value(field, before.get(field)),
                        _value(field, value))
            for field, value in after.items()
            if before and before.get(field) != value
        ]
        items.append(HistoryItem(
            at=entry.at,
            actor=entry.actor.display_name if entry.actor else _("system"),
            action=str(ACTION_LABELS.get(entry.action, entry.action)),
            changes=changes,
        ))
    return items
