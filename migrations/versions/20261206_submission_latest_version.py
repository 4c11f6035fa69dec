"""Each submission keeps the id of its newest version, so that the grading queue, the
gradebook, the progress board and the Handbuch join it by key instead of matching
``number = version_count`` across every version.

Revision ID: 7c2d4e6f8a10
Revises: 5b1e0a7c9d21
Create Date: 2026-12-06 02:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c2d4e6f8a10'
down_revision = '5b1e0a7c9d21'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assignment_submissions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('latest_version_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_assignment_submissions_latest_version_id_assignment_versions'),
            'assignment_versions', ['latest_version_id'], ['id'], ondelete='SET NULL')
    op.execute(
        "UPDATE assignment_submissions SET latest_version_id = ("
        " SELECT v.id FROM assignment_versions v"
        " WHERE v.submission_id = assignment_submissions.id"
        " AND v.number = assignment_submissions.version_count)")


def downgrade():
    with op.batch_alter_table('assignment_submissions', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_assignment_submissions_latest_version_id_assignment_versions'),
            type_='foreignkey')
        batch_op.drop_column('latest_version_id')
