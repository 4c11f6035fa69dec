"""The assignment plugin: assignments with schedules per cohort and extensions, submissions
with their drafts and immutable versions, reviews with files and grade history, and the
in-app notifications.

Revision ID: a55e1a7b0c01
Revises: c4f1a9e2b7d3
Create Date: 2026-12-03 10:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a55e1a7b0c01'
down_revision = 'c4f1a9e2b7d3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('instructions', sa.Text(), nullable=False),
    sa.Column('kind', sa.Enum('individual', 'team', name='assignment_kind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('grading', sa.Enum('points', 'pass_fail', 'feedback_only', name='grading_scheme', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('max_points', sa.Integer(), nullable=True),
    sa.Column('counts_for_certificate', sa.Boolean(), nullable=False),
    sa.Column('allowed_extensions', sa.String(length=200), nullable=False),
    sa.Column('max_files', sa.Integer(), nullable=False),
    sa.Column('max_file_mb', sa.Integer(), nullable=False),
    sa.Column('text_allowed', sa.Boolean(), nullable=False),
    sa.Column('text_required', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('demo_key', sa.String(length=40), nullable=True),
    sa.CheckConstraint("grading <> 'points' OR max_points > 0", name=op.f('ck_assignments_points_need_maximum')),
    sa.CheckConstraint('max_files >= 0 AND max_file_mb > 0', name=op.f('ck_assignments_file_limits_valid')),
    sa.CheckConstraint('text_allowed OR NOT text_required', name=op.f('ck_assignments_required_text_allowed')),
    sa.CheckConstraint('text_allowed OR max_files > 0', name=op.f('ck_assignments_something_to_hand_in')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_assignments_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['module_id'], ['course_modules.id'], name=op.f('fk_assignments_module_id_course_modules'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignments')),
    sa.UniqueConstraint('demo_key', name=op.f('uq_assignments_demo_key'))
    )
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignments_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index('ix_assignments_module_position', ['module_id', 'position'], unique=False)

    op.create_table('assignment_schedules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('opens_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cut_off_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('cut_off_at >= due_at', name=op.f('ck_assignment_schedules_cut_off_not_before_due')),
    sa.CheckConstraint('due_at > opens_at', name=op.f('ck_assignment_schedules_due_after_opening')),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'], name=op.f('fk_assignment_schedules_assignment_id_assignments'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_assignment_schedules_cohort_id_cohorts'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment_schedules')),
    sa.UniqueConstraint('assignment_id', 'cohort_id', name=op.f('uq_assignment_schedules_assignment_id'))
    )
    with op.batch_alter_table('assignment_schedules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_schedules_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignment_schedules_due_at'), ['due_at'], unique=False)

    op.create_table('assignment_extensions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('schedule_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('municipality_id', sa.Integer(), nullable=True),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cut_off_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('granted_by_id', sa.Integer(), nullable=True),
    sa.Column('granted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('(user_id IS NULL) <> (municipality_id IS NULL)', name=op.f('ck_assignment_extensions_one_owner')),
    sa.CheckConstraint('cut_off_at >= due_at', name=op.f('ck_assignment_extensions_cut_off_not_before_due')),
    sa.ForeignKeyConstraint(['granted_by_id'], ['users.id'], name=op.f('fk_assignment_extensions_granted_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_assignment_extensions_municipality_id_municipalities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_assignment_extensions_revoked_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['schedule_id'], ['assignment_schedules.id'], name=op.f('fk_assignment_extensions_schedule_id_assignment_schedules'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_assignment_extensions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment_extensions'))
    )
    with op.batch_alter_table('assignment_extensions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_extensions_granted_by_id'), ['granted_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignment_extensions_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignment_extensions_revoked_by_id'), ['revoked_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignment_extensions_schedule_id'), ['schedule_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignment_extensions_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_assignment_extensions_current_municipality', ['schedule_id', 'municipality_id'], unique=True, sqlite_where=sa.text('revoked_at IS NULL AND municipality_id IS NOT NULL'), postgresql_where=sa.text('revoked_at IS NULL AND municipality_id IS NOT NULL'))
        batch_op.create_index('uq_assignment_extensions_current_user', ['schedule_id', 'user_id'], unique=True, sqlite_where=sa.text('revoked_at IS NULL AND user_id IS NOT NULL'), postgresql_where=sa.text('revoked_at IS NULL AND user_id IS NOT NULL'))

    op.create_table('assignment_submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('schedule_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('municipality_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.Enum('draft', 'submitted', 'in_review', 'returned', 'graded', name='submission_state', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('draft_text', sa.Text(), nullable=False),
    sa.Column('draft_saved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('draft_saved_by_id', sa.Integer(), nullable=True),
    sa.Column('version_count', sa.Integer(), nullable=False),
    sa.Column('released_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(user_id IS NULL) <> (municipality_id IS NULL)', name=op.f('ck_assignment_submissions_one_owner')),
    sa.ForeignKeyConstraint(['draft_saved_by_id'], ['users.id'], name=op.f('fk_assignment_submissions_draft_saved_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_assignment_submissions_municipality_id_municipalities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['schedule_id'], ['assignment_schedules.id'], name=op.f('fk_assignment_submissions_schedule_id_assignment_schedules'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_assignment_submissions_user_id_users'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment_submissions')),
    sa.UniqueConstraint('schedule_id', 'municipality_id', name='uq_assignment_submissions_schedule_municipality'),
    sa.UniqueConstraint('schedule_id', 'user_id', name='uq_assignment_submissions_schedule_user')
    )
    with op.batch_alter_table('assignment_submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_submissions_draft_saved_by_id'), ['draft_saved_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignment_submissions_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index('ix_assignment_submissions_schedule_state', ['schedule_id', 'state'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignment_submissions_user_id'), ['user_id'], unique=False)

    op.create_table('assignment_draft_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['submission_id'], ['assignment_submissions.id'], name=op.f('fk_assignment_draft_files_submission_id_assignment_submissions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_assignment_draft_files_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment_draft_files'))
    )
    with op.batch_alter_table('assignment_draft_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_draft_files_sha256'), ['sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignment_draft_files_submission_id'), ['submission_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignment_draft_files_uploaded_by_id'), ['uploaded_by_id'], unique=False)

    op.create_table('assignment_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('late', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('submit_token', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['submission_id'], ['assignment_submissions.id'], name=op.f('fk_assignment_versions_submission_id_assignment_submissions'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_assignment_versions_submitted_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment_versions')),
    sa.UniqueConstraint('submission_id', 'number', name=op.f('uq_assignment_versions_submission_id')),
    sa.UniqueConstraint('submission_id', 'submit_token', name='uq_assignment_versions_submission_token')
    )
    with op.batch_alter_table('assignment_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_versions_submitted_at'), ['submitted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignment_versions_submitted_by_id'), ['submitted_by_id'], unique=False)

    op.create_table('assignment_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('points', sa.Numeric(precision=6, scale=2, asdecimal=False), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.Column('feedback', sa.Text(), nullable=False),
    sa.Column('outcome', sa.Enum('graded', 'returned', name='review_outcome', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('released_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], name=op.f('fk_assignment_reviews_reviewer_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['version_id'], ['assignment_versions.id'], name=op.f('fk_assignment_reviews_version_id_assignment_versions'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment_reviews')),
    sa.UniqueConstraint('version_id', name=op.f('uq_assignment_reviews_version_id'))
    )
    with op.batch_alter_table('assignment_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_reviews_reviewer_id'), ['reviewer_id'], unique=False)

    op.create_table('assignment_version_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['assignment_versions.id'], name=op.f('fk_assignment_version_files_version_id_assignment_versions'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment_version_files')),
    sa.UniqueConstraint('version_id', 'position', name=op.f('uq_assignment_version_files_version_id'))
    )
    with op.batch_alter_table('assignment_version_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_version_files_sha256'), ['sha256'], unique=False)

    op.create_table('assignment_grade_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=True),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_assignment_grade_changes_changed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['review_id'], ['assignment_reviews.id'], name=op.f('fk_assignment_grade_changes_review_id_assignment_reviews'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['submission_id'], ['assignment_submissions.id'], name=op.f('fk_assignment_grade_changes_submission_id_assignment_submissions'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment_grade_changes'))
    )
    with op.batch_alter_table('assignment_grade_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_grade_changes_changed_by_id'), ['changed_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignment_grade_changes_review_id'), ['review_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignment_grade_changes_submission_id'), ['submission_id'], unique=False)

    op.create_table('assignment_review_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['review_id'], ['assignment_reviews.id'], name=op.f('fk_assignment_review_files_review_id_assignment_reviews'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_assignment_review_files_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment_review_files'))
    )
    with op.batch_alter_table('assignment_review_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_review_files_review_id'), ['review_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignment_review_files_sha256'), ['sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignment_review_files_uploaded_by_id'), ['uploaded_by_id'], unique=False)

    op.create_table('assignment_notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('link', sa.String(length=500), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_assignment_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment_notifications')),
    sa.UniqueConstraint('user_id', 'key', name='uq_assignment_notifications_user_key')
    )
    with op.batch_alter_table('assignment_notifications', schema=None) as batch_op:
        batch_op.create_index('ix_assignment_notifications_user_read', ['user_id', 'read_at'], unique=False)


def downgrade():
    with op.batch_alter_table('assignment_notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_assignment_notifications_user_read')

    op.drop_table('assignment_notifications')

    with op.batch_alter_table('assignment_review_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignment_review_files_uploaded_by_id'))
        batch_op.drop_index(batch_op.f('ix_assignment_review_files_sha256'))
        batch_op.drop_index(batch_op.f('ix_assignment_review_files_review_id'))

    op.drop_table('assignment_review_files')
    with op.batch_alter_table('assignment_grade_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignment_grade_changes_submission_id'))
        batch_op.drop_index(batch_op.f('ix_assignment_grade_changes_review_id'))
        batch_op.drop_index(batch_op.f('ix_assignment_grade_changes_changed_by_id'))

    op.drop_table('assignment_grade_changes')
    with op.batch_alter_table('assignment_version_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignment_version_files_sha256'))

    op.drop_table('assignment_version_files')
    with op.batch_alter_table('assignment_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignment_reviews_reviewer_id'))

    op.drop_table('assignment_reviews')
    with op.batch_alter_table('assignment_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignment_versions_submitted_by_id'))
        batch_op.drop_index(batch_op.f('ix_assignment_versions_submitted_at'))

    op.drop_table('assignment_versions')
    with op.batch_alter_table('assignment_draft_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignment_draft_files_uploaded_by_id'))
        batch_op.drop_index(batch_op.f('ix_assignment_draft_files_submission_id'))
        batch_op.drop_index(batch_op.f('ix_assignment_draft_files_sha256'))

    op.drop_table('assignment_draft_files')
    with op.batch_alter_table('assignment_submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignment_submissions_user_id'))
        batch_op.drop_index('ix_assignment_submissions_schedule_state')
        batch_op.drop_index(batch_op.f('ix_assignment_submissions_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_assignment_submissions_draft_saved_by_id'))

    op.drop_table('assignment_submissions')
    with op.batch_alter_table('assignment_extensions', schema=None) as batch_op:
        batch_op.drop_index('uq_assignment_extensions_current_user', sqlite_where=sa.text('revoked_at IS NULL AND user_id IS NOT NULL'), postgresql_where=sa.text('revoked_at IS NULL AND user_id IS NOT NULL'))
        batch_op.drop_index('uq_assignment_extensions_current_municipality', sqlite_where=sa.text('revoked_at IS NULL AND municipality_id IS NOT NULL'), postgresql_where=sa.text('revoked_at IS NULL AND municipality_id IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_assignment_extensions_user_id'))
        batch_op.drop_index(batch_op.f('ix_assignment_extensions_schedule_id'))
        batch_op.drop_index(batch_op.f('ix_assignment_extensions_revoked_by_id'))
        batch_op.drop_index(batch_op.f('ix_assignment_extensions_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_assignment_extensions_granted_by_id'))

    op.drop_table('assignment_extensions')
    with op.batch_alter_table('assignment_schedules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignment_schedules_due_at'))
        batch_op.drop_index(batch_op.f('ix_assignment_schedules_cohort_id'))

    op.drop_table('assignment_schedules')
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index('ix_assignments_module_position')
        batch_op.drop_index(batch_op.f('ix_assignments_created_by_id'))

    op.drop_table('assignments')
