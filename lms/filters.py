"""Filter forms: a list page's filters, read from the query string.

Every list with filters (people, outbox, applications, municipalities, the grading queue)
reads them through one of these forms and shows them with the macro ``filter_form`` in
``_forms.html``; the calendar's forms build on ``QueryForm`` too. Filters are lenient: a
value that is not offered counts as not given, so a stale or hand-made address shows the
unfiltered list instead of failing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import request
from wtforms import SearchField, SelectChoice, SelectField
from wtforms.fields.core import Field

from lms.forms import FlaskForm


def _strip(value: str | None) -> str:
    return value.strip() if isinstance(value, str) else ""


class QueryForm(FlaskForm):
    """A GET form on the request's query string: no CSRF token, since it changes nothing."""

    class Meta:
        csrf = False

    def __init__(self, formdata: Any = None, **kwargs: Any) -> None:
        super().__init__(request.args if formdata is None else formdata, **kwargs)

    def args(self) -> dict[str, str]:
        """The query-string arguments that give these filters back; unset ones left out."""
        return {field.name: value for field in self
                if isinstance(value := filter_value(field), str) and value}


def filter_value(field: Field) -> Any:
    """What ``field`` filters by: the offered choice, the stripped text, or its data."""
    return field.chosen if isinstance(field, ChoiceFilter) else field.data


class SearchFilter(SearchField):
    """Free text to search for, without surrounding blanks; '' when not given."""

    def __init__(self, label: Any = None, **kwargs: Any) -> None:
        super().__init__(label, filters=[_strip], default="", **kwargs)


class ChoiceFilter(SelectField):
    """One of the offered values, with an 'everything' choice first; '' for everything.

    Choices are given at definition (enums) or offered per request (``offer``, for values
    from the database); ``chosen`` is the value only if it is among them.
    """

    def __init__(self, label: Any = None, everything: Any = "",
                 choices: Iterable[SelectChoice] = (), **kwargs: Any) -> None:
        super().__init__(label, default="", **kwargs)
        self.everything = everything
        self.offer(choices)

    def offer(self, choices: Iterable[SelectChoice | tuple[str, Any]]) -> None:
        self.choices = [SelectChoice("", self.everything)] + [
            choice if isinstance(choice, SelectChoice) else SelectChoice(str(choice[0]), choice[1])
            for choice in choices]

    @property
    def chosen(self) -> str:
        offered = {choice.value for choice in self.choices}
        return self.data if self.data and self.data in offered else ""
