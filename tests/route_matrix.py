"""Every route against every role: the answers that differ from a table of expected ones.

A table row is ``(path, answers)`` for GET and ``(path, data, answers)`` for POST, with
``answers`` mapping each role to a status code and the path formatted with ``ids``.
Refused POSTs must also leave ``state()`` as it was; allowed ones change things and are
left to the tests of what they do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from flask.testing import FlaskClient

ALLOWED = frozenset({200, 302})


def wrong_gets(clients: Mapping[str, FlaskClient], table: Iterable[tuple[str, Mapping]],
               ids: Mapping[str, Any], roles: Sequence[str]) -> list[str]:
    wrong = []
    for path, answers in table:
        url = path.format(**ids)
        for role in roles:
            status = clients[role].get(url).status_code
            if status != answers[role]:
                wrong.append(f"GET {url} as {role}: {status}, expected {answers[role]}")
    return wrong


def wrong_posts(clients: Mapping[str, FlaskClient],
                table: Iterable[tuple[str, Mapping, Mapping]], ids: Mapping[str, Any],
                roles: Sequence[str], state: Callable[[], object]) -> list[str]:
    wrong = []
    for path, data, answers in table:
        url = path.format(**ids)
        for role in roles:
            if answers[role] in ALLOWED and role != "anonymous":
                continue
            before = state()
            status = clients[role].post(url, data=data).status_code
            if status != answers[role]:
                wrong.append(f"POST {url} as {role}: {status}, expected {answers[role]}")
            if state() != before:
                wrong.append(f"POST {url} as {role} changed something")
    return wrong
