"""Feeds are built once per change: the calendar's change stamp, and built feeds.

``calendar_stamp`` holds one row whose value every write to a model a calendar source
reads renews; ``calendar_feed_cache`` keeps built feeds where no Redis is configured. The
stamp row is made here, so feeds are cached from the first request on.

Revision ID: 7c3f9a1e5b20
Revises: 7c2d4e6f8a10
Create Date: 2026-12-06 01:40:00

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c3f9a1e5b20'
down_revision = '7c2d4e6f8a10'
branch_labels = None
depends_on = None


def upgrade():
    stamp = op.create_table(
        'calendar_stamp',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('value', sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_stamp')),
    )
    op.bulk_insert(stamp, [{'id': 1, 'value': secrets.token_hex(16)}])
    op.create_table(
        'calendar_feed_cache',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('version', sa.String(length=64), nullable=False),
        sa.Column('body', sa.LargeBinary(), nullable=False),
        sa.Column('built_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_calendar_feed_cache')),
    )
    with op.batch_alter_table('calendar_feed_cache', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_feed_cache_built_at'), ['built_at'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('calendar_feed_cache', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_feed_cache_built_at'))
    op.drop_table('calendar_feed_cache')
    op.drop_table('calendar_stamp')
