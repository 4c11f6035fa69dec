"""Implementation steps: procedure templates and each cohort's steps, committee presentations,
measures with their dated history, the cohort's sharing setting, and the handbook.

Revision ID: 5e7b0a11d3c4
Revises: a55e1a7b0c01
Create Date: 2026-12-03 10:26:25.781650

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e7b0a11d3c4'
down_revision = 'a55e1a7b0c01'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('step_template_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procedure', sa.Enum('full', 'shortened', name='template_procedure', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('kind', sa.Enum('analysis', 'recommendations', 'presentation', 'measures', name='template_step_kind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('due_offset_days', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('due_offset_days >= 0', name=op.f('ck_step_template_steps_offset_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_step_template_steps')),
    sa.UniqueConstraint('procedure', 'kind', name='uq_step_template_steps_procedure_kind')
    )
    op.create_table('step_handbooks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('introduction', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('demo_key', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_step_handbooks_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_step_handbooks')),
    sa.UniqueConstraint('demo_key', name=op.f('uq_step_handbooks_demo_key'))
    )
    with op.batch_alter_table('step_handbooks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_step_handbooks_created_by_id'), ['created_by_id'], unique=False)

    op.create_table('step_cohort_settings',
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('share_progress', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_step_cohort_settings_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('cohort_id', name=op.f('pk_step_cohort_settings'))
    )
    op.create_table('step_handbook_cohorts',
    sa.Column('handbook_id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_step_handbook_cohorts_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['handbook_id'], ['step_handbooks.id'], name=op.f('fk_step_handbook_cohorts_handbook_id_step_handbooks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('handbook_id', 'cohort_id', name=op.f('pk_step_handbook_cohorts'))
    )
    with op.batch_alter_table('step_handbook_cohorts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_step_handbook_cohorts_cohort_id'), ['cohort_id'], unique=False)

    op.create_table('step_presentations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('committee', sa.String(length=200), nullable=False),
    sa.Column('meeting_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reference', sa.String(length=200), nullable=False),
    sa.Column('outcome', sa.Enum('decided', 'partly_decided', 'rejected', 'postponed', name='presentation_outcome', native_enum=False, create_constraint=True, length=20), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=True),
    sa.Column('content_type', sa.String(length=120), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('(sha256 IS NULL) = (filename IS NULL)', name=op.f('ck_step_presentations_file_complete')),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_step_presentations_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_step_presentations_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_step_presentations_municipality_id_municipalities'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_step_presentations'))
    )
    with op.batch_alter_table('step_presentations', schema=None) as batch_op:
        batch_op.create_index('ix_step_presentations_cohort_municipality', ['cohort_id', 'municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_step_presentations_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_step_presentations_meeting_at'), ['meeting_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_step_presentations_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_step_presentations_sha256'), ['sha256'], unique=False)

    op.create_table('step_cohort_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('analysis', 'recommendations', 'presentation', 'measures', name='cohort_step_kind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'], name=op.f('fk_step_cohort_steps_assignment_id_assignments'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_step_cohort_steps_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_step_cohort_steps')),
    sa.UniqueConstraint('cohort_id', 'kind', name='uq_step_cohort_steps_cohort_kind')
    )
    with op.batch_alter_table('step_cohort_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_step_cohort_steps_assignment_id'), ['assignment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_step_cohort_steps_cohort_id'), ['cohort_id'], unique=False)

    op.create_table('step_measures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('presentation_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('responsible_unit', sa.String(length=200), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('state', sa.Enum('planned', 'in_progress', 'implemented', 'dropped', name='measure_state', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_step_measures_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_step_measures_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_step_measures_municipality_id_municipalities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['presentation_id'], ['step_presentations.id'], name=op.f('fk_step_measures_presentation_id_step_presentations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_step_measures'))
    )
    with op.batch_alter_table('step_measures', schema=None) as batch_op:
        batch_op.create_index('ix_step_measures_cohort_municipality', ['cohort_id', 'municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_step_measures_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_step_measures_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_step_measures_presentation_id'), ['presentation_id'], unique=False)

    op.create_table('step_measure_updates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('noted_on', sa.Date(), nullable=False),
    sa.Column('from_state', sa.Enum('planned', 'in_progress', 'implemented', 'dropped', name='update_from_state', native_enum=False, create_constraint=True, length=20), nullable=True),
    sa.Column('to_state', sa.Enum('planned', 'in_progress', 'implemented', 'dropped', name='update_to_state', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_step_measure_updates_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['measure_id'], ['step_measures.id'], name=op.f('fk_step_measure_updates_measure_id_step_measures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_step_measure_updates'))
    )
    with op.batch_alter_table('step_measure_updates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_step_measure_updates_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_step_measure_updates_measure_id'), ['measure_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_step_measure_updates_noted_on'), ['noted_on'], unique=False)

    op.create_table('step_handbook_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('handbook_id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=120), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=True),
    sa.Column('measure_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('(version_id IS NULL) <> (measure_id IS NULL)', name=op.f('ck_step_handbook_entries_one_source')),
    sa.ForeignKeyConstraint(['handbook_id'], ['step_handbooks.id'], name=op.f('fk_step_handbook_entries_handbook_id_step_handbooks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['measure_id'], ['step_measures.id'], name=op.f('fk_step_handbook_entries_measure_id_step_measures'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['version_id'], ['assignment_versions.id'], name=op.f('fk_step_handbook_entries_version_id_assignment_versions'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_step_handbook_entries')),
    sa.UniqueConstraint('handbook_id', 'measure_id', name='uq_step_handbook_entries_measure'),
    sa.UniqueConstraint('handbook_id', 'version_id', name='uq_step_handbook_entries_version')
    )
    with op.batch_alter_table('step_handbook_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_step_handbook_entries_measure_id'), ['measure_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_step_handbook_entries_version_id'), ['version_id'], unique=False)



def downgrade():
    with op.batch_alter_table('step_handbook_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_step_handbook_entries_version_id'))
        batch_op.drop_index(batch_op.f('ix_step_handbook_entries_measure_id'))

    op.drop_table('step_handbook_entries')
    with op.batch_alter_table('step_measure_updates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_step_measure_updates_noted_on'))
        batch_op.drop_index(batch_op.f('ix_step_measure_updates_measure_id'))
        batch_op.drop_index(batch_op.f('ix_step_measure_updates_author_id'))

    op.drop_table('step_measure_updates')
    with op.batch_alter_table('step_measures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_step_measures_presentation_id'))
        batch_op.drop_index(batch_op.f('ix_step_measures_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_step_measures_created_by_id'))
        batch_op.drop_index('ix_step_measures_cohort_municipality')

    op.drop_table('step_measures')
    with op.batch_alter_table('step_cohort_steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_step_cohort_steps_cohort_id'))
        batch_op.drop_index(batch_op.f('ix_step_cohort_steps_assignment_id'))

    op.drop_table('step_cohort_steps')
    with op.batch_alter_table('step_presentations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_step_presentations_sha256'))
        batch_op.drop_index(batch_op.f('ix_step_presentations_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_step_presentations_meeting_at'))
        batch_op.drop_index(batch_op.f('ix_step_presentations_created_by_id'))
        batch_op.drop_index('ix_step_presentations_cohort_municipality')

    op.drop_table('step_presentations')
    with op.batch_alter_table('step_handbook_cohorts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_step_handbook_cohorts_cohort_id'))

    op.drop_table('step_handbook_cohorts')
    op.drop_table('step_cohort_settings')
    with op.batch_alter_table('step_handbooks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_step_handbooks_created_by_id'))

    op.drop_table('step_handbooks')
    op.drop_table('step_template_steps')
