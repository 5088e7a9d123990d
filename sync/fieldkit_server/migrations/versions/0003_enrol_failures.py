"""Failed enrolment attempts per client address, shared by every server process (the
rate limit of ``/v1/enroll`` was kept in each process's memory).

Revision ID: 0003_enrol_failures
Revises: 0002_uploads
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_enrol_failures"
down_revision = "0002_uploads"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "enrol_failures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_enrol_failures_address", "enrol_failures", ["address", "failed_at"])


def downgrade() -> None:
    op.drop_index("ix_enrol_failures_address", "enrol_failures")
    op.drop_table("enrol_failures")
