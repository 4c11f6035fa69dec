"""Fields every form of every plugin must be usable with: no Ctrl-click multiple selects."""

from __future__ import annotations

import importlib
import pkgutil

from wtforms import Form, SelectMultipleField
from wtforms.fields.core import UnboundField

from lms.fields import MultiCheckboxField

PACKAGES = ("lms", "courses", "cohorts", "assignments")


def _all_forms() -> list[type[Form]]:
    for name in PACKAGES:
        package = importlib.import_module(name)
        for module in pkgutil.walk_packages(package.__path__, f"{name}."):
            importlib.import_module(module.name)
    found, todo = [], [Form]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.append(sub)
            todo.append(sub)
    return [form for form in found if form.__module__.startswith(PACKAGES)]


def test_choices_of_several_are_checkboxes_never_a_multiple_select():
    forms = _all_forms()
    assert len(forms) > 30
    multiple_selects = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in forms for name, value in vars(form).items()
        if isinstance(value, UnboundField) and issubclass(value.field_class, SelectMultipleField)
        and not issubclass(value.field_class, MultiCheckboxField)]
    assert not multiple_selects
