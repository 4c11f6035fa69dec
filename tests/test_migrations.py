"""The schema comes from Alembic revisions only; they must agree with the models."""

from __future__ import annotations

import flask_migrate
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from lms import MIGRATIONS_DIRECTORY
from lms.extensions import db
from tests.conftest import make_app


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
