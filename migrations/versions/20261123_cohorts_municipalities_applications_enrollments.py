"""The cohort plugin: municipalities, cohorts with their lecturers, applications with their
nominees and history, enrollments and mediator pairings.

A municipality holds at most one place per cohort through UNIQUE(cohort_id,
municipality_id) on applications; a person is in a cohort at most once at a time through a
partial unique index on current enrollments. The official list of municipalities is data,
loaded by ``flask lms cohorts load-municipalities`` (or the demo), not by this revision.

Revision ID: 16161ff7b03a
Revises: d2b565b6e148
Create Date: 2026-11-23 19:33:20.135929

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '16161ff7b03a'
down_revision = 'd2b565b6e148'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('municipalities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ags', sa.String(length=8), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.Enum('kreisfreie_stadt', 'kreis', 'kreisangehoerige_stadt', 'gemeinde', name='municipality_kind', native_enum=False, create_constraint=True, length=30), nullable=False),
    sa.Column('region', sa.String(length=60), nullable=False),
    sa.Column('reference', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('contact_name', sa.String(length=120), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('contact_phone', sa.String(length=40), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('length(ags) = 8', name=op.f('ck_municipalities_ags_has_eight_digits')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_municipalities')),
    sa.UniqueConstraint('ags', name=op.f('uq_municipalities_ags'))
    )
    with op.batch_alter_table('municipalities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_municipalities_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_municipalities_region'), ['region'], unique=False)

    op.create_table('cohorts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('seats_per_municipality', sa.Integer(), nullable=False),
    sa.Column('procedure', sa.Enum('full', 'shortened', name='cohort_procedure', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('application_opens_on', sa.Date(), nullable=False),
    sa.Column('application_closes_on', sa.Date(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('ask_motivation', sa.Enum('required', 'optional', 'hidden', name='motivation_rule', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('ask_structures', sa.Enum('required', 'optional', 'hidden', name='structures_rule', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('ask_phone', sa.Enum('required', 'optional', 'hidden', name='phone_rule', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('calendar_sequence', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('demo_key', sa.String(length=40), nullable=True),
    sa.CheckConstraint("procedure = 'full' OR ask_motivation = 'hidden'", name=op.f('ck_cohorts_shortened_without_motivation')),
    sa.CheckConstraint('application_closes_on >= application_opens_on', name=op.f('ck_cohorts_window_in_order')),
    sa.CheckConstraint('capacity > 0', name=op.f('ck_cohorts_capacity_positive')),
    sa.CheckConstraint('ends_on > starts_on', name=op.f('ck_cohorts_dates_in_order')),
    sa.CheckConstraint('seats_per_municipality BETWEEN 1 AND 10', name=op.f('ck_cohorts_seats_in_range')),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_cohorts_course_id_courses'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohorts')),
    sa.UniqueConstraint('demo_key', name=op.f('uq_cohorts_demo_key'))
    )
    with op.batch_alter_table('cohorts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohorts_course_id'), ['course_id'], unique=False)

    op.create_table('cohort_applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('submitted', 'shortlisted', 'accepted', 'waitlisted', 'rejected', 'withdrawn', name='application_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('status_changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('contact_name', sa.String(length=120), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('contact_phone', sa.String(length=40), nullable=False),
    sa.Column('motivation', sa.Text(), nullable=False),
    sa.Column('structures', sa.Text(), nullable=False),
    sa.Column('consent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_cohort_applications_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_cohort_applications_municipality_id_municipalities'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohort_applications')),
    sa.UniqueConstraint('cohort_id', 'municipality_id', name=op.f('uq_cohort_applications_cohort_id'))
    )
    with op.batch_alter_table('cohort_applications', schema=None) as batch_op:
        batch_op.create_index('ix_cohort_applications_cohort_status', ['cohort_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_cohort_applications_municipality_id'), ['municipality_id'], unique=False)

    op.create_table('cohort_enrollments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('municipality', 'mediator', name='enrollment_kind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=True),
    sa.Column('function', sa.String(length=120), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('share_contact', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_reason', sa.String(length=500), nullable=False),
    sa.Column('replaced_by_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('ended_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind = 'mediator' OR municipality_id IS NOT NULL", name=op.f('ck_cohort_enrollments_municipality_person_has_municipality')),
    sa.CheckConstraint("kind = 'municipality' OR municipality_id IS NULL", name=op.f('ck_cohort_enrollments_mediator_pairs_separately')),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_cohort_enrollments_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_cohort_enrollments_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ended_by_id'], ['users.id'], name=op.f('fk_cohort_enrollments_ended_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_cohort_enrollments_municipality_id_municipalities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['replaced_by_id'], ['cohort_enrollments.id'], name=op.f('fk_cohort_enrollments_replaced_by_id_cohort_enrollments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_cohort_enrollments_user_id_users'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohort_enrollments'))
    )
    with op.batch_alter_table('cohort_enrollments', schema=None) as batch_op:
        batch_op.create_index('ix_cohort_enrollments_cohort_municipality', ['cohort_id', 'municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cohort_enrollments_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cohort_enrollments_ended_by_id'), ['ended_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cohort_enrollments_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cohort_enrollments_replaced_by_id'), ['replaced_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cohort_enrollments_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_cohort_enrollments_current_person', ['cohort_id', 'user_id'], unique=True, sqlite_where=sa.text('ended_at IS NULL'), postgresql_where=sa.text('ended_at IS NULL'))

    op.create_table('cohort_lecturers',
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_cohort_lecturers_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_cohort_lecturers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('cohort_id', 'user_id', name=op.f('pk_cohort_lecturers'))
    )
    with op.batch_alter_table('cohort_lecturers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_lecturers_user_id'), ['user_id'], unique=False)

    op.create_table('cohort_application_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('from_status', sa.Enum('submitted', 'shortlisted', 'accepted', 'waitlisted', 'rejected', 'withdrawn', name='from_status', native_enum=False, create_constraint=True, length=20), nullable=True),
    sa.Column('to_status', sa.Enum('submitted', 'shortlisted', 'accepted', 'waitlisted', 'rejected', 'withdrawn', name='to_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_cohort_application_events_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['application_id'], ['cohort_applications.id'], name=op.f('fk_cohort_application_events_application_id_cohort_applications'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohort_application_events'))
    )
    with op.batch_alter_table('cohort_application_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_application_events_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cohort_application_events_application_id'), ['application_id'], unique=False)

    op.create_table('cohort_mediator_pairings',
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['enrollment_id'], ['cohort_enrollments.id'], name=op.f('fk_cohort_mediator_pairings_enrollment_id_cohort_enrollments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_cohort_mediator_pairings_municipality_id_municipalities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('enrollment_id', 'municipality_id', name=op.f('pk_cohort_mediator_pairings'))
    )
    with op.batch_alter_table('cohort_mediator_pairings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_mediator_pairings_municipality_id'), ['municipality_id'], unique=False)

    op.create_table('cohort_nominees',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('function', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['cohort_applications.id'], name=op.f('fk_cohort_nominees_application_id_cohort_applications'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohort_nominees')),
    sa.UniqueConstraint('application_id', 'position', name=op.f('uq_cohort_nominees_application_id'))
    )
    with op.batch_alter_table('cohort_nominees', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_nominees_email'), ['email'], unique=False)



def downgrade():
    with op.batch_alter_table('cohort_nominees', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_nominees_email'))

    op.drop_table('cohort_nominees')
    with op.batch_alter_table('cohort_mediator_pairings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_mediator_pairings_municipality_id'))

    op.drop_table('cohort_mediator_pairings')
    with op.batch_alter_table('cohort_application_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_application_events_application_id'))
        batch_op.drop_index(batch_op.f('ix_cohort_application_events_actor_id'))

    op.drop_table('cohort_application_events')
    with op.batch_alter_table('cohort_lecturers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_lecturers_user_id'))

    op.drop_table('cohort_lecturers')
    with op.batch_alter_table('cohort_enrollments', schema=None) as batch_op:
        batch_op.drop_index('uq_cohort_enrollments_current_person', sqlite_where=sa.text('ended_at IS NULL'), postgresql_where=sa.text('ended_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_cohort_enrollments_user_id'))
        batch_op.drop_index(batch_op.f('ix_cohort_enrollments_replaced_by_id'))
        batch_op.drop_index(batch_op.f('ix_cohort_enrollments_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_cohort_enrollments_ended_by_id'))
        batch_op.drop_index(batch_op.f('ix_cohort_enrollments_created_by_id'))
        batch_op.drop_index('ix_cohort_enrollments_cohort_municipality')

    op.drop_table('cohort_enrollments')
    with op.batch_alter_table('cohort_applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_applications_municipality_id'))
        batch_op.drop_index('ix_cohort_applications_cohort_status')

    op.drop_table('cohort_applications')
    with op.batch_alter_table('cohorts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohorts_course_id'))

    op.drop_table('cohorts')
    with op.batch_alter_table('municipalities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_municipalities_region'))
        batch_op.drop_index(batch_op.f('ix_municipalities_name'))

    op.drop_table('municipalities')
