"""Attachments may live in an S3-compatible object store: each row says where its bytes
are (``location``: ``db`` or ``s3``; ``data`` is empty for ``s3``) and keeps the file's
media type, so the database holds only hash, size and type for a file in the store.

Revision ID: 0004_attachment_blobs
Revises: 0003_enrol_failures
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_attachment_blobs"
down_revision = "0003_enrol_failures"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("attachments") as batch:
        batch.add_column(sa.Column("location", sa.String(8), nullable=False, server_default="db"))
        batch.add_column(
            sa.Column(
                "media_type",
                sa.String(100),
                nullable=False,
                server_default="application/octet-stream",
            )
        )
        batch.alter_column("data", existing_type=sa.LargeBinary, nullable=True)
    op.create_index("ix_attachments_location", "attachments", ["location"])


def downgrade() -> None:
    op.drop_index("ix_attachments_location", "attachments")
    with op.batch_alter_table("attachments") as batch:
        batch.alter_column("data", existing_type=sa.LargeBinary, nullable=False)
        batch.drop_column("media_type")
        batch.drop_column("location")
