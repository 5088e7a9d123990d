"""The first schema: devices, ops, records, conflicts, sequence gaps, attachments.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    counters = op.create_table(
        "counters",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("value", sa.BigInteger, nullable=False),
    )
    op.bulk_insert(counters, [{"name": "changes", "value": 0}])
    op.create_table(
        "devices",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("site", sa.String(100), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("token_hash", sa.String(64), unique=True),
        sa.Column("code_hash", sa.String(64), unique=True),
        sa.Column("code_expires_at", TZ),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("enrolled_at", TZ),
        sa.Column("revoked_at", TZ),
        sa.Column("last_seen_at", TZ),
        sa.Column("last_seq", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "ops",
        sa.Column("device_id", sa.String(36), sa.ForeignKey("devices.id"), primary_key=True),
        sa.Column("op_id", sa.String(200), primary_key=True),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("record_id", sa.String(200), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("code", sa.String(40)),
        sa.Column("detail", sa.Text),
        sa.Column("received_at", TZ, nullable=False),
    )
    op.create_table(
        "records",
        sa.Column("kind", sa.String(40), primary_key=True),
        sa.Column("record_id", sa.String(200), primary_key=True),
        sa.Column("site", sa.String(100), nullable=False),
        sa.Column("hlc", sa.String(80), nullable=False),
        sa.Column("device", sa.String(36), nullable=False),
        sa.Column("deleted", sa.Boolean, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("change_seq", sa.BigInteger, nullable=False, unique=True),
        sa.Column("updated_at", TZ, nullable=False),
    )
    op.create_index("ix_records_site_change_seq", "records", ["site", "change_seq"])
    op.create_table(
        "conflicts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("record_id", sa.String(200), nullable=False),
        sa.Column("site", sa.String(100), nullable=False),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("op_id", sa.String(200), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_index("ix_conflicts_record", "conflicts", ["kind", "record_id"])
    op.create_table(
        "seq_gaps",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("device_id", sa.String(36), sa.ForeignKey("devices.id"), nullable=False),
        sa.Column("first_seq", sa.BigInteger, nullable=False),
        sa.Column("last_seq", sa.BigInteger, nullable=False),
        sa.Column("detected_at", TZ, nullable=False),
    )
    op.create_table(
        "attachments",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_table(
        "attachment_sites",
        sa.Column("sha256", sa.String(64), sa.ForeignKey("attachments.sha256"), primary_key=True),
        sa.Column("site", sa.String(100), primary_key=True),
    )


def downgrade() -> None:
    for table in (
        "attachment_sites",
        "attachments",
        "seq_gaps",
        "conflicts",
        "records",
        "ops",
        "devices",
        "counters",
    ):
        op.drop_table(table)
