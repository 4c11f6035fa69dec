"""Certificates: the certificate rule per course and the certificates issued.

A certificate keeps what it certified as it was on the day of issue; a revoked one stays,
and its re-issue names it in ``replaces_id``.

Revision ID: 5e849bb71675
Revises: 3a7e5c9d2b14
Create Date: 2026-12-05 03:17:32.668335

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e849bb71675'
down_revision = '3a7e5c9d2b14'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('certificate_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('min_attendance_percent', sa.Integer(), nullable=False),
    sa.Column('required_step', sa.Enum('analysis', 'recommendations', 'presentation', 'measures', name='certificate_required_step', native_enum=False, create_constraint=True, length=20), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('min_attendance_percent BETWEEN 0 AND 100', name=op.f('ck_certificate_rules_min_attendance_is_a_percentage')),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_certificate_rules_course_id_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_certificate_rules_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_rules')),
    sa.UniqueConstraint('course_id', name=op.f('uq_certificate_rules_course_id'))
    )
    with op.batch_alter_table('certificate_rules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificate_rules_updated_by_id'), ['updated_by_id'], unique=False)

    op.create_table('certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('holder_name', sa.String(length=200), nullable=False),
    sa.Column('course_title', sa.String(length=200), nullable=False),
    sa.Column('cohort_name', sa.String(length=120), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('modules', sa.Text(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('revoke_reason', sa.Text(), nullable=False),
    sa.Column('replaces_id', sa.Integer(), nullable=True),
    sa.Column('demo_key', sa.String(length=40), nullable=True),
    sa.CheckConstraint('period_end >= period_start', name=op.f('ck_certificates_period_in_order')),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_certificates_cohort_id_cohorts'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_certificates_issued_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['replaces_id'], ['certificates.id'], name=op.f('fk_certificates_replaces_id_certificates'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_certificates_revoked_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_certificates_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificates')),
    sa.UniqueConstraint('code', name=op.f('uq_certificates_code')),
    sa.UniqueConstraint('demo_key', name=op.f('uq_certificates_demo_key')),
    sa.UniqueConstraint('number', name=op.f('uq_certificates_number')),
    sa.UniqueConstraint('replaces_id', name=op.f('uq_certificates_replaces_id'))
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index('ix_certificates_cohort_user', ['cohort_id', 'user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificates_issued_by_id'), ['issued_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificates_revoked_by_id'), ['revoked_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificates_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificates_user_id'))
        batch_op.drop_index(batch_op.f('ix_certificates_revoked_by_id'))
        batch_op.drop_index(batch_op.f('ix_certificates_issued_by_id'))
        batch_op.drop_index('ix_certificates_cohort_user')

    op.drop_table('certificates')
    with op.batch_alter_table('certificate_rules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificate_rules_updated_by_id'))

    op.drop_table('certificate_rules')
