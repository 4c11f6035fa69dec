"""Attendance at sessions: one row per session and enrolled person, its corrections, and
the course's rule whether an excused absence counts as attended.

Revision ID: 3a7e5c9d2b14
Revises: 3b9e6f0c2d71
Create Date: 2026-12-04 23:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3a7e5c9d2b14'
down_revision = '3b9e6f0c2d71'
branch_labels = None
depends_on = None

STATUSES = ('present', 'excused', 'absent')


def upgrade():
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('excused_counts_as_attended', sa.Boolean(),
                                      server_default=sa.false(), nullable=False))

    op.create_table('cohort_session_attendances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum(*STATUSES, name='session_attendance_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['enrollment_id'], ['cohort_enrollments.id'], name=op.f('fk_cohort_session_attendances_enrollment_id_cohort_enrollments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_cohort_session_attendances_recorded_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['course_sessions.id'], name=op.f('fk_cohort_session_attendances_session_id_course_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohort_session_attendances')),
    sa.UniqueConstraint('session_id', 'enrollment_id', name=op.f('uq_cohort_session_attendances_session_id'))
    )
    with op.batch_alter_table('cohort_session_attendances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_session_attendances_enrollment_id'), ['enrollment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cohort_session_attendances_recorded_by_id'), ['recorded_by_id'], unique=False)

    op.create_table('cohort_attendance_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attendance_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('from_status', sa.Enum(*STATUSES, name='attendance_from_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('to_status', sa.Enum(*STATUSES, name='attendance_to_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_cohort_attendance_changes_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['attendance_id'], ['cohort_session_attendances.id'], name=op.f('fk_cohort_attendance_changes_attendance_id_cohort_session_attendances'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohort_attendance_changes'))
    )
    with op.batch_alter_table('cohort_attendance_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_attendance_changes_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cohort_attendance_changes_attendance_id'), ['attendance_id'], unique=False)


def downgrade():
    with op.batch_alter_table('cohort_attendance_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_attendance_changes_attendance_id'))
        batch_op.drop_index(batch_op.f('ix_cohort_attendance_changes_actor_id'))
    op.drop_table('cohort_attendance_changes')
    with op.batch_alter_table('cohort_session_attendances', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_session_attendances_recorded_by_id'))
        batch_op.drop_index(batch_op.f('ix_cohort_session_attendances_enrollment_id'))
    op.drop_table('cohort_session_attendances')
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.drop_column('excused_counts_as_attended')
