"""People keep their name as German readers sort it, so lists of people page in that order.

Like municipalities (e3211ca9dd31): ``sort_name`` holds the display name with umlauts as
their base letters, ß as ss, case and accents ignored; existing rows are filled in.

Revision ID: e4705f70920f
Revises: de3a80506ca4
Create Date: 2026-12-05 04:21:35.993875

"""
from alembic import op
import sqlalchemy as sa

from lms.i18n import collation_key


# revision identifiers, used by Alembic.
revision = 'e4705f70920f'
down_revision = 'de3a80506ca4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sort_name', sa.String(length=240), server_default='', nullable=False))
        batch_op.create_index(batch_op.f('ix_users_sort_name'), ['sort_name'], unique=False)

    users = sa.table('users', sa.column('id', sa.Integer), sa.column('display_name', sa.String),
                     sa.column('sort_name', sa.String))
    connection = op.get_bind()
    for ident, name in connection.execute(sa.select(users.c.id, users.c.display_name)).all():
        connection.execute(users.update().where(users.c.id == ident)
                           .values(sort_name=collation_key(name)[:240]))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_sort_name'))
        batch_op.drop_column('sort_name')

