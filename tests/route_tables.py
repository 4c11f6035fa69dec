"""Every route-by-role table of the test suite, read as (method, path) pairs.

The tables live beside the tests that walk them (host, courses, congresses, cohorts,
module work, grading, implementation steps, calendar); ``classified`` resolves each row
to its endpoint, so one test can fail on a route that no table classifies.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from importlib import import_module

from flask import Flask
from werkzeug.exceptions import MethodNotAllowed, NotFound

#: module -> names of its tables; rows are Case objects (``method``, ``path``), path
#: tuples ``(path, answers)`` for GET and ``(path, data, answers)`` for POST, or a
#: mapping keyed by ``(method, path)``
TABLES = {
    "tests.test_access": ("CASES",),
    "tests.courses.routes": ("CASES",),
    "tests.courses.test_congress_routes": ("CASES",),
    "tests.cohorts.test_access": ("CASES",),
    "tests.assignments.test_routes": ("GETS", "POSTS"),
    "tests.assignments.test_grading_routes": ("GETS", "POSTS"),
    "tests.assignments.steps.test_routes": ("PAGES", "POSTS"),
    "tests.calendar.test_access": ("MATRIX",),
    "tests.certificates.certificate_routes": ("CERTIFICATE_CASES",),
    "tests.certificates.routes": ("RULE_CASES",),
    "tests.advice.test_access": ("CASES",),
}


def rows() -> Iterator[tuple[str, str, str]]:
    """(table, method, path template) for every row of every table."""
    for module_name, names in TABLES.items():
        module = import_module(module_name)
        for name in names:
            table = getattr(module, name)
            where = f"{module_name}.{name}"
            if isinstance(table, dict):
                for method, path in table:
                    yield where, method, path
                continue
            for row in table:
                if hasattr(row, "method"):
                    yield where, row.method, row.path
                else:
                    yield where, "GET" if name in {"GETS", "PAGES"} else "POST", row[0]


def _filled(path: str) -> str:
    """The path with every ``{placeholder}`` set to 1 and its query string dropped."""
    fields = {field for _, field, _, _ in string.Formatter().parse(path) if field}
    return re.sub(r"\{[^}]*\}", "1", path.format(**dict.fromkeys(fields, "{x}"))) \
        .partition("?")[0]


def classified(app: Flask) -> dict[tuple[str, str], list[str]]:
    """(endpoint, method) -> the tables that classify it; unmatched rows under ("?", path)."""
    adapter = app.url_map.bind("localhost")
    found: dict[tuple[str, str], list[str]] = {}
    for where, method, path in rows():
        try:
            endpoint, _args = adapter.match(_filled(path), method=method)
        except MethodNotAllowed:  # a row that shows the method is refused (405)
            continue
        except NotFound:
            endpoint = f"? {path}"
        found.setdefault((endpoint, method), []).append(where)
    return found


def unclassified(app: Flask) -> list[str]:
    """Every route (method, endpoint, rule) that no table classifies."""
    tables = classified(app)
    return sorted(
        f"{method} {rule.endpoint} {rule.rule}"
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static" and not rule.endpoint.endswith(".static")
        for method in rule.methods - {"HEAD", "OPTIONS"}
        if (rule.endpoint, method) not in tables)
