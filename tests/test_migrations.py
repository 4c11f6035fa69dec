"""The schema comes from Alembic revisions only; they must agree with the models."""

from __future__ import annotations

from contextlib import ExitStack

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from lms import MIGRATIONS_DIRECTORY
from lms.extensions import db
from tests.conftest import BACKENDS, POSTGRES_URL, make_app, scratch_postgres_database


def test_models_and_migrations_agree(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_one_head_and_database_at_head(app):
    script = ScriptDirectory(str(MIGRATIONS_DIRECTORY))
    heads = script.get_heads()
    assert len(heads) == 1, f"several migration heads: {heads}"
    with app.app_context(), db.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == heads[0]


def test_downgrade_to_base_and_upgrade_again(tmp_path):
    """Every revision can be undone, on a throwaway SQLite database."""
    app = make_app(f"sqlite:///{tmp_path / 'roundtrip.sqlite3'}", str(tmp_path))
    with app.app_context():
        flask_migrate.downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        flask_migrate.upgrade()
        assert "users" in inspect(db.engine).get_table_names()
        db.engine.dispose()


#: the head before the revisions of December 2026, which rebuild tables on SQLite
BEFORE_TABLE_REBUILDS = "5e7b0a11d3c4"


def _row_counts(table_names: set[str]) -> dict[str, int]:
    with db.engine.connect() as connection:
        return {name: connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()
                for name in sorted(table_names)}


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_database_full_of_demo_data_migrates_down_and_up_keeping_its_rows(tmp_path, backend):
    """An installation with data upgrades too, not only an empty one.

    SQLite alters a table by copying it and dropping the old one, which foreign keys from
    other tables' rows refuse; an empty test database never shows that.
    """
    with ExitStack() as stack:
        if backend == "sqlite":
            url = f"sqlite:///{tmp_path / 'upgrade.sqlite3'}"
        else:
            url = stack.enter_context(scratch_postgres_database(POSTGRES_URL))
        app = make_app(url, str(tmp_path))
        with app.app_context():
            assert app.test_cli_runner().invoke(args=["lms", "seed-demo"]).exit_code == 0
            flask_migrate.downgrade(revision=BEFORE_TABLE_REBUILDS)
            old_tables = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
            kept = _row_counts(old_tables)
            assert kept["assignment_versions"] > 0 and kept["users"] > 0
            flask_migrate.upgrade()
            assert _row_counts(old_tables) == kept
            db.engine.dispose()
