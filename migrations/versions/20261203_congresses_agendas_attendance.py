"""Congresses: congresses, their agenda items with speakers, and attendance.

Cancelled congresses and items are kept and marked; one attendance row per person and
congress (registered, waitlisted or cancelled).

Revision ID: c4f1a9e2b7d3
Revises: 7eacb0d1b444
Create Date: 2026-12-03 10:14:13.643150

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4f1a9e2b7d3'
down_revision = '7eacb0d1b444'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('congresses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('subtitle', sa.String(length=300), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('venue', sa.String(length=200), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('public', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('cancelled', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('demo_key', sa.String(length=40), nullable=True),
    sa.CheckConstraint('capacity IS NULL OR capacity >= 0', name=op.f('ck_congresses_capacity_not_negative')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_congresses_dates_in_order')),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_congresses_course_id_courses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_congresses')),
    sa.UniqueConstraint('demo_key', name=op.f('uq_congresses_demo_key'))
    )
    with op.batch_alter_table('congresses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_congresses_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_congresses_starts_at'), ['starts_at'], unique=False)

    op.create_table('congress_agenda_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('congress_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('opening', 'talk', 'panel', 'practice_report', 'break', name='agenda_kind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('room', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('cancelled', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_congress_agenda_items_dates_in_order')),
    sa.ForeignKeyConstraint(['congress_id'], ['congresses.id'], name=op.f('fk_congress_agenda_items_congress_id_congresses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_congress_agenda_items'))
    )
    with op.batch_alter_table('congress_agenda_items', schema=None) as batch_op:
        batch_op.create_index('ix_congress_agenda_items_congress_start', ['congress_id', 'starts_at'], unique=False)

    op.create_table('congress_attendances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('congress_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('registered', 'waitlisted', 'cancelled', name='attendance_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('registered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['congress_id'], ['congresses.id'], name=op.f('fk_congress_attendances_congress_id_congresses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_congress_attendances_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_congress_attendances')),
    sa.UniqueConstraint('congress_id', 'user_id', name=op.f('uq_congress_attendances_congress_id'))
    )
    with op.batch_alter_table('congress_attendances', schema=None) as batch_op:
        batch_op.create_index('ix_congress_attendances_congress_status', ['congress_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_congress_attendances_user_id'), ['user_id'], unique=False)

    op.create_table('congress_speakers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.String(length=200), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['congress_agenda_items.id'], name=op.f('fk_congress_speakers_item_id_congress_agenda_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_congress_speakers'))
    )
    with op.batch_alter_table('congress_speakers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_congress_speakers_item_id'), ['item_id'], unique=False)



def downgrade():
    with op.batch_alter_table('congress_speakers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_congress_speakers_item_id'))

    op.drop_table('congress_speakers')
    with op.batch_alter_table('congress_attendances', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_congress_attendances_user_id'))
        batch_op.drop_index('ix_congress_attendances_congress_status')

    op.drop_table('congress_attendances')
    with op.batch_alter_table('congress_agenda_items', schema=None) as batch_op:
        batch_op.drop_index('ix_congress_agenda_items_congress_start')

    op.drop_table('congress_agenda_items')
    with op.batch_alter_table('congresses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_congresses_starts_at'))
        batch_op.drop_index(batch_op.f('ix_congresses_course_id'))

    op.drop_table('congresses')
