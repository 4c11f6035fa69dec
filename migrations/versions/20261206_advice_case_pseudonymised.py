"""Advice cases: when a case's personal data was removed after its retention period, so
that a pseudonymised case is not listed as due again.

Revision ID: 3f8a61c2d9e4
Revises: 706d05dba116
Create Date: 2026-12-06 05:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3f8a61c2d9e4'
down_revision = '706d05dba116'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('advice_cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pseudonymised_at', sa.DateTime(timezone=True),
                                      nullable=True))


def downgrade():
    with op.batch_alter_table('advice_cases', schema=None) as batch_op:
        batch_op.drop_column('pseudonymised_at')
