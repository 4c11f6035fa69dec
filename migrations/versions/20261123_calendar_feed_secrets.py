"""The calendar: one table, calendar_feed_secrets, holding each person's feed secret.

A row exists only once a person has renewed the address of their personal calendar
feed; its random secret, with the app's secret key, signs that address. Deleting a
person deletes their row.

Revision ID: 7eacb0d1b444
Revises: 16161ff7b03a
Create Date: 2026-11-23 19:41:57.590124

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7eacb0d1b444'
down_revision = '16161ff7b03a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_feed_secrets',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('secret', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_calendar_feed_secrets_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_calendar_feed_secrets'))
    )


def downgrade():
    op.drop_table('calendar_feed_secrets')
