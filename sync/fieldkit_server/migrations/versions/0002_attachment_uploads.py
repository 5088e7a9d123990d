"""Who uploaded each attachment, when, and whether a record names it yet: per-device
quotas on files no record names, and the sweep that deletes them after a while.

Revision ID: 0002_uploads
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_uploads"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attachment_uploads",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("device_id", sa.String(36), sa.ForeignKey("devices.id"), primary_key=True),
        sa.Column("site", sa.String(100), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("referenced", sa.Boolean, nullable=False),
    )
    op.create_index(
        "ix_attachment_uploads_device", "attachment_uploads", ["device_id", "referenced"]
    )


def downgrade() -> None:
    op.drop_index("ix_attachment_uploads_device", "attachment_uploads")
    op.drop_table("attachment_uploads")
