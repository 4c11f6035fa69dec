"""Filters of the calendar page and the organisers' export; both are read from the URL."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField
from wtforms.validators import Optional, ValidationError

from lms.calendar.events import CohortChoice, kind_label
from lms.dates import DateField
from lms.fields import MultiCheckboxField
from lms.filters import QueryForm
from lms.web import parse_id


class _QueryForm(QueryForm):
    """Which kinds of dates, and (for staff) which cohort."""

    kinds = MultiCheckboxField(_l("Show"))
    cohort = SelectField(_l("Cohort"), default="")

    def offer(self, kinds: Sequence[str], cohorts: Sequence[CohortChoice] | None) -> None:
        """Set the choices; without ``cohorts`` the cohort filter is left out.

        No kind chosen shows every kind, so every box is shown checked then.
        """
        self.kinds.choices = [SelectChoice(kind, kind_label(kind)) for kind in kinds]
        self._offered_kinds = frozenset(kinds)
        if not self.kinds.data:
            self.kinds.data = list(kinds)
        if cohorts is None:
            del self.cohort
        else:
            self.cohort.choices = [SelectChoice("", _l("All cohorts"))] + [
                SelectChoice(str(choice.id), choice.name) for choice in cohorts]

    @property
    def chosen_kinds(self) -> frozenset[str] | None:
        """The kinds asked for; None when that is every kind offered (no filter)."""
        chosen = frozenset(self.kinds.data or ())
        return None if not chosen or chosen >= self._offered_kinds else chosen

    @property
    def chosen_cohort(self) -> int | None:
        field = getattr(self, "cohort", None)
        return parse_id(field.data) if field is not None else None


class FilterForm(_QueryForm):
    """The calendar page's filters."""


class ExportForm(_QueryForm):
    """An organiser's export: kinds, a cohort and a range of days, all optional."""

    first_day = DateField(_l("From"), validators=[Optional()])
    last_day = DateField(_l("Until"), validators=[Optional()],
                         description=_l("Both days included."))

    def validate_last_day(self, field: DateField) -> None:
        if field.data and self.first_day.data and field.data < self.first_day.data:
            raise ValidationError(_l("The last day cannot be before the first."))
