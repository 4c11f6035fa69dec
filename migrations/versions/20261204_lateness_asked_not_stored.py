"""Submission versions: drop the late flag; lateness is the one deadline rule, asked anew.

A flag frozen at hand-in stayed set after an extension was granted, so the gradebook and
the grading queue called work late that the work page showed as on time. Lateness is now
computed from the version's ``submitted_at`` and its owner's effective due date whenever
it is shown (``SubmissionVersion.late``).

Revision ID: 3b9e6f0c2d71
Revises: 7c1d2e3f4a5b
Create Date: 2026-12-04 23:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3b9e6f0c2d71'
down_revision = '7c1d2e3f4a5b'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assignment_versions', schema=None) as batch_op:
        batch_op.drop_column('late')


def downgrade():
    # the flag comes back unset; nothing reads it any more
    with op.batch_alter_table('assignment_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('late', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
