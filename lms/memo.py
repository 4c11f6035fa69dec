"""Results a request shares: a page's parts often ask for the same thing (a dashboard's
panels for the person's work, the gradebook's certificate column for the gradebook the page
built), and each asking would query and compute it again.

``per_request`` keeps a function's result for the rest of the request, by its arguments.
Only while the database is read: a flush (a write) forgets every kept result, and so does
asking while the session holds changes not yet flushed (a query would have flushed them
first), so nothing read after a change is stale.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from flask import g, has_request_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from lms.extensions import db

P = ParamSpec("P")
R = TypeVar("R")

_KEPT = "_lms_kept_results"


def per_request(function: Callable[P, R]) -> Callable[P, R]:
    """Keep ``function``'s result for the request; its arguments must be hashable (ORM
    objects are, by identity, and the session keeps one object per row)."""
    signature = inspect.signature(function)

    @functools.wraps(function)
    def kept(*args: P.args, **kwargs: P.kwargs) -> R:
        work = kept.__wrapped__  # looked up per call, so a test may count the work
        if not has_request_context():
            return work(*args, **kwargs)
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        key = (function, tuple(bound.arguments.items()))
        if db.session.new or db.session.dirty or db.session.deleted:
            g.pop(_KEPT, None)
        results: dict[Any, Any] = g.setdefault(_KEPT, {})
        if key not in results:
            results[key] = work(*args, **kwargs)
        return results[key]

    return kept


@event.listens_for(Session, "after_flush")
def _forget_after_a_write(_session: Session, _context: Any) -> None:
    if has_request_context():
        g.pop(_KEPT, None)
