"""Municipalities keep their name as German readers sort it, so lists page in that order.

By code point "Köln" sorts after "Kreis Wesel"; ``sort_name`` holds the name with umlauts
as their base letters, ß as ss, case and accents ignored (``lms.i18n.collation_key``), and
every list, select and export of municipalities orders by it. Existing rows are filled in.

Revision ID: e3211ca9dd31
Revises: 5e849bb71675
Create Date: 2026-12-05 03:42:04.239654

"""
from alembic import op
import sqlalchemy as sa

from lms.i18n import collation_key


# revision identifiers, used by Alembic.
revision = 'e3211ca9dd31'
down_revision = '5e849bb71675'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('municipalities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sort_name', sa.String(length=240), server_default='', nullable=False))
        batch_op.create_index(batch_op.f('ix_municipalities_sort_name'), ['sort_name'], unique=False)

    municipalities = sa.table('municipalities', sa.column('id', sa.Integer),
                              sa.column('name', sa.String), sa.column('sort_name', sa.String))
    connection = op.get_bind()
    for ident, name in connection.execute(sa.select(municipalities.c.id, municipalities.c.name)).all():
        connection.execute(municipalities.update().where(municipalities.c.id == ident)
                           .values(sort_name=collation_key(name)[:240]))


def downgrade():
    with op.batch_alter_table('municipalities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_municipalities_sort_name'))
        batch_op.drop_column('sort_name')
