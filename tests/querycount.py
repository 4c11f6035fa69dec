"""Count the SQL statements a block of code sends, to prove pages stay flat as data grows,
and find those whose plan runs a subquery once per row."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from sqlalchemy import event

from lms.extensions import db


class QueryLog:
    def __init__(self) -> None:
        self.statements: list[str] = []
        #: each statement's parameters, in the same order
        self.parameters: list[Any] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@contextmanager
def count_queries(app: Flask) -> Iterator[QueryLog]:
    log = QueryLog()

    def record(_conn, _cursor, statement, params, _context, _many) -> None:
        log.statements.append(statement)
        log.parameters.append(params)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield log
    finally:
        event.remove(engine, "before_cursor_execute", record)


def correlated_selects(app: Flask, log: QueryLog) -> list[str]:
    """The SELECTs of ``log`` whose plan evaluates a subquery again for each row: SQLite's
    plan says "CORRELATED", PostgreSQL's a "SubPlan" (an uncorrelated one is an InitPlan)."""
    found = []
    with app.app_context():
        connection = db.session.connection()
        postgres = connection.dialect.name == "postgresql"
        explain, marker = ("EXPLAIN", "SubPlan") if postgres else \
            ("EXPLAIN QUERY PLAN", "CORRELATED")
        for statement, parameters in zip(log.statements, log.parameters, strict=True):
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            plan = connection.exec_driver_sql(f"{explain} {statement}", parameters).all()
            if any(marker in " ".join(str(cell) for cell in row) for row in plan):
                found.append(statement)
        db.session.rollback()
    return found
