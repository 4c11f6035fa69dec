"""Released grades kept apart from the grade being worked on: a grade changed after its
release stays hidden until it is released again, and the owners keep seeing the last
released grade, feedback and feedback files meanwhile.

Revision ID: 7c1d2e3f4a5b
Revises: 7c3e9d21a4f6
Create Date: 2026-12-04 22:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c1d2e3f4a5b'
down_revision = '7c3e9d21a4f6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assignment_reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shown_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('shown_outcome', sa.Enum('graded', 'returned', name='review_shown_outcome', native_enum=False, create_constraint=False, length=20), nullable=True))
        batch_op.add_column(sa.Column('shown_points', sa.Numeric(precision=6, scale=2, asdecimal=False), nullable=True))
        batch_op.add_column(sa.Column('shown_passed', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('shown_feedback', sa.Text(), nullable=True))
    # the column first, then its check (SQLite copies the table with the check otherwise
    # before the column exists)
    with op.batch_alter_table('assignment_reviews', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f('ck_assignment_reviews_review_shown_outcome'),
                                         "shown_outcome IN ('graded', 'returned')")
    with op.batch_alter_table('assignment_review_files', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shown_at', sa.DateTime(timezone=True), nullable=True))

    # what was released so far is what the owners see
    op.execute("UPDATE assignment_reviews SET shown_at = released_at, shown_outcome = outcome, "
               "shown_points = points, shown_passed = passed, shown_feedback = feedback "
               "WHERE released_at IS NOT NULL")
    op.execute("UPDATE assignment_review_files SET shown_at = (SELECT released_at FROM "
               "assignment_reviews WHERE assignment_reviews.id = assignment_review_files.review_id)")


def downgrade():
    with op.batch_alter_table('assignment_review_files', schema=None) as batch_op:
        batch_op.drop_column('shown_at')
    with op.batch_alter_table('assignment_reviews', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_assignment_reviews_review_shown_outcome'), type_='check')
    with op.batch_alter_table('assignment_reviews', schema=None) as batch_op:
        batch_op.drop_column('shown_feedback')
        batch_op.drop_column('shown_passed')
        batch_op.drop_column('shown_points')
        batch_op.drop_column('shown_outcome')
        batch_op.drop_column('shown_at')
