"""Pending uploads: files chosen in a form and kept for their owner between a preview or
a confirmation page and the save, so that no page drops them.

Revision ID: 9bb09b6d125c
Revises: e3211ca9dd31
Create Date: 2026-12-05 03:29:48.746581

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9bb09b6d125c'
down_revision = 'e3211ca9dd31'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pending_uploads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_pending_uploads_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_uploads'))
    )
    with op.batch_alter_table('pending_uploads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pending_uploads_sha256'), ['sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_pending_uploads_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('pending_uploads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_uploads_user_id'))
        batch_op.drop_index(batch_op.f('ix_pending_uploads_sha256'))

    op.drop_table('pending_uploads')
