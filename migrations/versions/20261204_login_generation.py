"""Users: a login generation, raised on signing out, that ends remembered logins everywhere.

Revision ID: 7c4d2e9f1a03
Revises: 5e7b0a11d3c4
Create Date: 2026-12-04 22:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c4d2e9f1a03'
down_revision = '5e7b0a11d3c4'
branch_labels = None
depends_on = None


def upgrade():
    # NOT NULL with a server default, so existing people start at generation 0.
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('login_generation', sa.Integer(), server_default='0',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('login_generation')
