"""Legal texts: the Impressum, Datenschutzerklärung and Erklärung zur Barrierefreiheit,
each with every saved version.

Revision ID: de3a80506ca4
Revises: 9bb09b6d125c
Create Date: 2026-12-05 04:22:31.545984

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'de3a80506ca4'
down_revision = '9bb09b6d125c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('legal_texts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('page', sa.Enum('impressum', 'datenschutz', 'barrierefreiheit', name='legal_page', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_legal_texts')),
    sa.UniqueConstraint('page', name=op.f('uq_legal_texts_page'))
    )
    op.create_table('legal_text_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('legal_text_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('restored_from', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_legal_text_revisions_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['legal_text_id'], ['legal_texts.id'], name=op.f('fk_legal_text_revisions_legal_text_id_legal_texts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_legal_text_revisions')),
    sa.UniqueConstraint('legal_text_id', 'number', name=op.f('uq_legal_text_revisions_legal_text_id'))
    )
    with op.batch_alter_table('legal_text_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_legal_text_revisions_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_legal_text_revisions_legal_text_id'), ['legal_text_id'], unique=False)



def downgrade():
    with op.batch_alter_table('legal_text_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_legal_text_revisions_legal_text_id'))
        batch_op.drop_index(batch_op.f('ix_legal_text_revisions_author_id'))

    op.drop_table('legal_text_revisions')
    op.drop_table('legal_texts')
