"""The course plugin: courses, modules with their revisions, sessions and materials.

Sessions carry a cohort_id without a foreign key, because cohorts come from a later plugin.

Revision ID: d2b565b6e148
Revises: 18780246ed07
Create Date: 2026-11-23 19:23:50.115954

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd2b565b6e148'
down_revision = '18780246ed07'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('courses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('certificate_requirements', sa.Text(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('demo_key', sa.String(length=40), nullable=True),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_courses_dates_in_order')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_courses')),
    sa.UniqueConstraint('demo_key', name=op.f('uq_courses_demo_key'))
    )
    op.create_table('course_modules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('objectives', sa.Text(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('published', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_course_modules_dates_in_order')),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_course_modules_course_id_courses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_modules'))
    )
    with op.batch_alter_table('course_modules', schema=None) as batch_op:
        batch_op.create_index('ix_course_modules_course_position', ['course_id', 'position'], unique=False)

    op.create_table('course_materials',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('file', 'link', name='material_kind', native_enum=False, create_constraint=True, length=10), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=True),
    sa.Column('content_type', sa.String(length=120), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("(kind = 'file' AND sha256 IS NOT NULL AND filename IS NOT NULL AND content_type IS NOT NULL AND size IS NOT NULL) OR (kind = 'link' AND url IS NOT NULL)", name=op.f('ck_course_materials_file_or_link')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_course_materials_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['module_id'], ['course_modules.id'], name=op.f('fk_course_materials_module_id_course_modules'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_materials'))
    )
    with op.batch_alter_table('course_materials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_materials_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_materials_module_id'), ['module_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_materials_sha256'), ['sha256'], unique=False)

    op.create_table('course_module_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('objectives', sa.Text(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('restored_from', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_course_module_revisions_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['module_id'], ['course_modules.id'], name=op.f('fk_course_module_revisions_module_id_course_modules'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_module_revisions')),
    sa.UniqueConstraint('module_id', 'number', name=op.f('uq_course_module_revisions_module_id'))
    )
    with op.batch_alter_table('course_module_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_module_revisions_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_module_revisions_module_id'), ['module_id'], unique=False)

    op.create_table('course_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=True, comment='cohort (cohorts plugin) that meets here; NULL means all cohorts. No foreign key: cohorts are a later plugin that courses must not depend on'),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('location', sa.String(length=300), nullable=False),
    sa.Column('online_url', sa.String(length=500), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('cancelled', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('demo_key', sa.String(length=40), nullable=True),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_course_sessions_dates_in_order')),
    sa.ForeignKeyConstraint(['module_id'], ['course_modules.id'], name=op.f('fk_course_sessions_module_id_course_modules'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_sessions')),
    sa.UniqueConstraint('demo_key', name=op.f('uq_course_sessions_demo_key'))
    )
    with op.batch_alter_table('course_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_sessions_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_sessions_module_id'), ['module_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_sessions_starts_at'), ['starts_at'], unique=False)



def downgrade():
    with op.batch_alter_table('course_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_sessions_starts_at'))
        batch_op.drop_index(batch_op.f('ix_course_sessions_module_id'))
        batch_op.drop_index(batch_op.f('ix_course_sessions_cohort_id'))

    op.drop_table('course_sessions')
    with op.batch_alter_table('course_module_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_module_revisions_module_id'))
        batch_op.drop_index(batch_op.f('ix_course_module_revisions_author_id'))

    op.drop_table('course_module_revisions')
    with op.batch_alter_table('course_materials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_materials_sha256'))
        batch_op.drop_index(batch_op.f('ix_course_materials_module_id'))
        batch_op.drop_index(batch_op.f('ix_course_materials_created_by_id'))

    op.drop_table('course_materials')
    with op.batch_alter_table('course_modules', schema=None) as batch_op:
        batch_op.drop_index('ix_course_modules_course_position')

    op.drop_table('course_modules')
    op.drop_table('courses')
