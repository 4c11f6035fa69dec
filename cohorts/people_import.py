"""Importing the people of a cohort from a CSV file: check everything, then write all or none.

``check_import`` only reads: it returns every row with its errors, for the preview. Only a
file without errors can be imported; ``apply_import`` enrols its rows through the same
``enroll`` as the pages, and a failure there (someone changed the cohort in between)
leaves nothing written, because the request rolls back as a whole.

Columns (by header, in any order; English or German names): name, email, function,
phone, and ags, the municipality key. A row with an AGS enrols a responsible person of
that municipality; a row without one, a mediator.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from cohorts.enrollments import check_available, enroll, holds_place, in_cohort, team_size
from cohorts.models import Cohort, Enrollment, EnrollmentKind, Municipality
from cohorts.people import PersonDetails, checked_person
from lms.auth.models import User
from lms.csvfile import CsvError, read_csv
from lms.errors import DomainError
from lms.extensions import db

MAX_ROWS = 500
#: header names (lower-cased) and the column they stand for
HEADER_ALIASES = {
    "name": "name", "email": "email", "e-mail": "email", "e-mail-adresse": "email",
    "email address": "email", "function": "function", "funktion": "function",
    "phone": "phone", "telefon": "phone", "ags": "ags", "municipality key": "ags",
    "gemeindeschlüssel": "ags",
}
REQUIRED_COLUMNS = ("name", "email")


@dataclass
class ImportRow:
    number: int
    person: PersonDetails
    ags: str
    municipality: Municipality | None = None
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportCheck:
    rows: list[ImportRow]
    #: problems of the file as a whole (no header, missing columns, too many rows)
    errors: list[str] = field(default_factory=list)
    #: header names the import does not know, and so leaves out
    ignored: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors and not any(row.errors for row in self.rows)

    @property
    def error_count(self) -> int:
        return len(self.errors) + sum(len(row.errors) for row in self.rows)


def _columns(header: list[str]) -> tuple[dict[str, int], list[str], list[str]]:
    """Column positions by key, errors, and the names of ignored columns."""
    columns: dict[str, int] = {}
    errors: list[str] = []
    ignored: list[str] = []
    for index, name in enumerate(header):
        key = HEADER_ALIASES.get(name.strip().lower())
        if key is None:
            ignored.append(name)
        elif key in columns:
            errors.append(_("The column \"%(name)s\" appears twice.", name=name))
        else:
            columns[key] = index
    for key in REQUIRED_COLUMNS:
        if key not in columns:
            errors.append(_("The column \"%(name)s\" is missing.", name=key))
    return columns, errors, ignored


def _cell(row: list[str], columns: dict[str, int], key: str) -> str:
    index = columns.get(key)
    return row[index] if index is not None and index < len(row) else ""


def check_import(cohort: Cohort, data: bytes) -> ImportCheck:
    """Every row of the file with what is wrong with it; writes nothing."""
    try:
        header, raw_rows = read_csv(data)
    except CsvError:
        return ImportCheck([], [_("The file is empty or not a CSV file.")])
    columns, errors, ignored = _columns(header)
    if len(raw_rows) > MAX_ROWS:
        errors.append(_("At most %(count)d rows per file, please.", count=MAX_ROWS))
    if not raw_rows:
        errors.append(_("The file has no rows below its header."))
    if errors:
        return ImportCheck([], errors, ignored)

    municipalities = {m.ags: m for m in db.session.scalars(select(Municipality))}
    rows = [ImportRow(number, PersonDetails(*(_cell(raw, columns, key) for key in
                                              ("name", "email", "function", "phone"))),
                      _cell(raw, columns, "ags").replace(" ", ""))
            for number, raw in enumerate(raw_rows, start=2)]
    emails = Counter(row.person.email.strip().lower() for row in rows)
    new_members: Counter[int] = Counter()
    for row in rows:
        _check_row(cohort, row, municipalities, emails, new_members)
    return ImportCheck(rows, [], ignored)


def _check_row(cohort: Cohort, row: ImportRow, municipalities: dict[str, Municipality],
               emails: Counter[str], new_members: Counter[int]) -> None:
    try:
        row.person = checked_person(row.person)
    except DomainError as exc:
        row.errors.append(exc.message)
        return
    if emails[row.person.email] > 1:
        row.errors.append(_("%(email)s appears more than once in the file.",
                            email=row.person.email))
    account = User.by_email(row.person.email)
    if account is not None and not account.active:
        row.errors.append(_("The account of %(email)s is deactivated. Activate it on the people "
                            "page first.", email=row.person.email))
    if not row.ags:
        if in_cohort(row.person.email, cohort):
            row.errors.append(_("%(email)s is already enrolled in this cohort.",
                                email=row.person.email))
        return
    row.municipality = municipalities.get(row.ags)
    if row.municipality is None:
        row.errors.append(_("No municipality has the key %(ags)s.", ags=row.ags))
        return
    if not holds_place(cohort, row.municipality.id):
        row.errors.append(_("%(name)s has no place in this cohort.", name=row.municipality.name))
        return
    new_members[row.municipality.id] += 1
    if team_size(cohort, row.municipality.id) + new_members[row.municipality.id] \
            > cohort.seats_per_municipality:
        row.errors.append(ngettext("%(name)s would send more than %(num)d person.",
                                   "%(name)s would send more than %(num)d persons.",
                                   cohort.seats_per_municipality, name=row.municipality.name))
    try:
        check_available(row.person.email, cohort, "email")
    except DomainError as exc:
        row.errors.append(exc.message)


def apply_import(cohort: Cohort, data: bytes, *, actor: User) -> list[Enrollment]:
    """Enrol everyone of a file without errors; raises ``DomainError`` otherwise."""
    checked = check_import(cohort, data)
    if not checked.ok:
        raise DomainError(_("The file has errors; nothing has been imported."))
    return [
        enroll(cohort, row.person, actor=actor, municipality=row.municipality,
               kind=EnrollmentKind.MUNICIPALITY if row.municipality else EnrollmentKind.MEDIATOR)
        for row in checked.rows
    ]
