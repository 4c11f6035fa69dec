"""Markdown is rendered once, when it is saved: every Markdown column a page shows gets an
``<name>_html`` column with its sanitised HTML (``lms.markdown_columns``), and the rows
already there are rendered here.

The rows are rendered with ``lms.markdown.render_markdown`` as it is when this revision
runs, called rather than copied so the HTML is the one the app would store. Should its
signature change, this call must keep working (text in, the default top heading).

Revision ID: 1cb1fd194789
Revises: 7c3f9a1e5b20
Create Date: 2026-12-06 01:40:00

"""
from alembic import op
import sqlalchemy as sa

from lms.markdown import render_markdown


# revision identifiers, used by Alembic.
revision = '1cb1fd194789'
down_revision = '7c3f9a1e5b20'
branch_labels = None
depends_on = None

#: table: its Markdown columns that pages show
MARKDOWN_COLUMNS = {
    'courses': ('description', 'certificate_requirements'),
    'course_modules': ('objectives', 'content'),
    'course_module_revisions': ('objectives', 'content'),
    'course_sessions': ('notes',),
    'congresses': ('description',),
    'congress_agenda_items': ('description',),
    'cohort_applications': ('motivation', 'structures'),
    'assignments': ('instructions',),
    'assignment_versions': ('text',),
    'assignment_reviews': ('feedback', 'shown_feedback'),
    'step_template_steps': ('evidence',),
    'step_presentations': ('notes',),
    'step_measures': ('description',),
    'step_handbooks': ('introduction',),
    'legal_texts': ('text',),
    'consent_texts': ('text_de', 'text_en'),
}


def _render_existing_rows(table_name, sources):
    table = sa.table(table_name, sa.column('id', sa.Integer),
                     *(sa.column(name, sa.Text) for name in sources),
                     *(sa.column(f'{name}_html', sa.Text) for name in sources))
    connection = op.get_bind()
    written = sa.or_(*(sa.func.coalesce(table.c[name], '') != '' for name in sources))
    rows = connection.execute(sa.select(table.c.id, *(table.c[name] for name in sources))
                              .where(written)).all()
    for ident, *texts in rows:
        connection.execute(table.update().where(table.c.id == ident).values(
            {f'{name}_html': str(render_markdown(text)) for name, text in zip(sources, texts)}))


def upgrade():
    for table_name, sources in MARKDOWN_COLUMNS.items():
        with op.batch_alter_table(table_name, schema=None) as batch_op:
            for name in sources:
                batch_op.add_column(sa.Column(f'{name}_html', sa.Text(), server_default='',
                                              nullable=False))
        _render_existing_rows(table_name, sources)


def downgrade():
    for table_name, sources in MARKDOWN_COLUMNS.items():
        with op.batch_alter_table(table_name, schema=None) as batch_op:
            for name in reversed(sources):
                batch_op.drop_column(f'{name}_html')
