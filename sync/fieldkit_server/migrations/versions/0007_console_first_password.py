"""A console account whose password an administrator set (a new account, a reset) must
choose its own at its next sign-in: ``password_change_due``.

Revision ID: 0007_console_first_password
Revises: 0006_console
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_console_first_password"
down_revision = "0006_console"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("console_users") as batch:
        batch.add_column(
            sa.Column("password_change_due", sa.Boolean, nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("console_users") as batch:
        batch.drop_column("password_change_due")
