"""Outbox delivery after commit: attempts, the next attempt's time, a worker's claim.

Revision ID: 7c3e9d21a4f6
Revises: 7c4d2e9f1a03
Create Date: 2026-12-04 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c3e9d21a4f6'
down_revision = '7c4d2e9f1a03'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='0',
                                      nullable=False))
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('claimed_until', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.create_index('ix_outbox_messages_pending', ['sent_at', 'next_attempt_at'],
                              unique=False)
    # Messages from before stay as they were: sent, failed or kept; none is retried by itself.


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_messages_pending')
        batch_op.drop_column('claimed_until')
        batch_op.drop_column('next_attempt_at')
        batch_op.drop_column('attempts')
