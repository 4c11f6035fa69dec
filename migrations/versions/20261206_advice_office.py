"""The central conflict advice office (issue 18): its pool of mediators and advisers,
and cases with assignments, a dated state history, appointments, notes and documents.

Revision ID: 706d05dba116
Revises: 1cb1fd194789
Create Date: 2026-12-06 01:12:54.654459

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '706d05dba116'
down_revision = '1cb1fd194789'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('advice_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('requester_id', sa.Integer(), nullable=True),
    sa.Column('contact_name', sa.String(length=120), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('kind', sa.Enum('advice', 'mediation', 'training', 'moderation', name='advice_case_kind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('description_html', sa.Text(), server_default='', nullable=False),
    sa.Column('parties', sa.Text(), nullable=False),
    sa.Column('urgency', sa.Enum('low', 'normal', 'high', name='advice_urgency', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('preferred_dates', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=60), nullable=False),
    sa.Column('topic', sa.String(length=120), nullable=False),
    sa.Column('consent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('state', sa.Enum('new', 'triage', 'assigned', 'in_progress', 'concluded', 'declined', name='advice_case_state', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('decline_reason', sa.Text(), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('outcome_kind', sa.Enum('agreement', 'partial', 'no_agreement', 'referred', name='advice_outcome_kind', native_enum=False, create_constraint=True, length=20), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('outcome_html', sa.Text(), server_default='', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('first_answer_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('concluded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('feedback_rating', sa.Integer(), nullable=True),
    sa.Column('feedback_text', sa.Text(), nullable=False),
    sa.Column('feedback_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('demo_key', sa.String(length=40), nullable=True),
    sa.CheckConstraint("requester_id IS NOT NULL OR contact_email <> ''", name=op.f('ck_advice_cases_someone_to_answer')),
    sa.CheckConstraint('feedback_rating IS NULL OR feedback_rating BETWEEN 1 AND 5', name=op.f('ck_advice_cases_rating_in_range')),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_advice_cases_municipality_id_municipalities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['requester_id'], ['users.id'], name=op.f('fk_advice_cases_requester_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_advice_cases')),
    sa.UniqueConstraint('demo_key', name=op.f('uq_advice_cases_demo_key'))
    )
    with op.batch_alter_table('advice_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_advice_cases_contact_email'), ['contact_email'], unique=False)
        batch_op.create_index(batch_op.f('ix_advice_cases_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_advice_cases_requester_id'), ['requester_id'], unique=False)
        batch_op.create_index('ix_advice_cases_state', ['state'], unique=False)

    op.create_table('advice_pool_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('qualifications', sa.Text(), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('regions', sa.JSON(), nullable=False),
    sa.Column('topics', sa.JSON(), nullable=False),
    sa.Column('availability', sa.String(length=500), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('demo_key', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_advice_pool_members_user_id_users'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_advice_pool_members')),
    sa.UniqueConstraint('demo_key', name=op.f('uq_advice_pool_members_demo_key')),
    sa.UniqueConstraint('user_id', name=op.f('uq_advice_pool_members_user_id'))
    )
    op.create_table('advice_appointments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=False),
    sa.Column('cancelled', sa.Boolean(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_advice_appointments_times_in_order')),
    sa.ForeignKeyConstraint(['case_id'], ['advice_cases.id'], name=op.f('fk_advice_appointments_case_id_advice_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_advice_appointments_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_advice_appointments'))
    )
    with op.batch_alter_table('advice_appointments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_advice_appointments_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_advice_appointments_created_by_id'), ['created_by_id'], unique=False)

    op.create_table('advice_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('proposed', 'accepted', 'declined', name='advice_assignment_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decline_reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['advice_cases.id'], name=op.f('fk_advice_assignments_case_id_advice_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['advice_pool_members.id'], name=op.f('fk_advice_assignments_member_id_advice_pool_members'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_advice_assignments')),
    sa.UniqueConstraint('case_id', 'member_id', name=op.f('uq_advice_assignments_case_id'))
    )
    with op.batch_alter_table('advice_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_advice_assignments_member_id'), ['member_id'], unique=False)

    op.create_table('advice_case_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('from_state', sa.Enum('new', 'triage', 'assigned', 'in_progress', 'concluded', 'declined', name='advice_from_state', native_enum=False, create_constraint=True, length=20), nullable=True),
    sa.Column('to_state', sa.Enum('new', 'triage', 'assigned', 'in_progress', 'concluded', 'declined', name='advice_to_state', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_advice_case_events_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['case_id'], ['advice_cases.id'], name=op.f('fk_advice_case_events_case_id_advice_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_advice_case_events'))
    )
    with op.batch_alter_table('advice_case_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_advice_case_events_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_advice_case_events_case_id'), ['case_id'], unique=False)

    op.create_table('advice_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['advice_cases.id'], name=op.f('fk_advice_documents_case_id_advice_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_advice_documents_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_advice_documents'))
    )
    with op.batch_alter_table('advice_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_advice_documents_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_advice_documents_sha256'), ['sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_advice_documents_uploaded_by_id'), ['uploaded_by_id'], unique=False)

    op.create_table('advice_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), server_default='', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_advice_notes_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['case_id'], ['advice_cases.id'], name=op.f('fk_advice_notes_case_id_advice_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_advice_notes'))
    )
    with op.batch_alter_table('advice_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_advice_notes_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_advice_notes_case_id'), ['case_id'], unique=False)



def downgrade():
    with op.batch_alter_table('advice_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_advice_notes_case_id'))
        batch_op.drop_index(batch_op.f('ix_advice_notes_author_id'))

    op.drop_table('advice_notes')
    with op.batch_alter_table('advice_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_advice_documents_uploaded_by_id'))
        batch_op.drop_index(batch_op.f('ix_advice_documents_sha256'))
        batch_op.drop_index(batch_op.f('ix_advice_documents_case_id'))

    op.drop_table('advice_documents')
    with op.batch_alter_table('advice_case_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_advice_case_events_case_id'))
        batch_op.drop_index(batch_op.f('ix_advice_case_events_actor_id'))

    op.drop_table('advice_case_events')
    with op.batch_alter_table('advice_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_advice_assignments_member_id'))

    op.drop_table('advice_assignments')
    with op.batch_alter_table('advice_appointments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_advice_appointments_created_by_id'))
        batch_op.drop_index(batch_op.f('ix_advice_appointments_case_id'))

    op.drop_table('advice_appointments')
    op.drop_table('advice_pool_members')
    with op.batch_alter_table('advice_cases', schema=None) as batch_op:
        batch_op.drop_index('ix_advice_cases_state')
        batch_op.drop_index(batch_op.f('ix_advice_cases_requester_id'))
        batch_op.drop_index(batch_op.f('ix_advice_cases_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_advice_cases_contact_email'))

    op.drop_table('advice_cases')
