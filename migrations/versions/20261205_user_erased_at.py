"""People whose data was erased (Art. 17 GDPR) keep their account as the anonymous holder
of the programme's records; ``erased_at`` says when, and that the name is a pseudonym.

Revision ID: 5b1e0a7c9d21
Revises: b651103ddc0e
Create Date: 2026-12-05 21:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b1e0a7c9d21'
down_revision = 'b651103ddc0e'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('erased_at')
