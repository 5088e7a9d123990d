"""The pull feed without one counter row that every push waits on: on PostgreSQL a
changed record is written with a negative ``change_seq`` (pending, in the order written,
from the sequence ``change_pending``) and given its place after its commit from the
sequence ``change_feed`` (``feed.py``); SQLite keeps numbering from the counter.

Revision ID: 0005_change_feed
Revises: 0004_attachment_blobs
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_change_feed"
down_revision = "0004_attachment_blobs"
branch_labels = None
depends_on = None

PENDING = sa.text("change_seq < 0")


def upgrade() -> None:
    op.create_index(
        "ix_records_pending",
        "records",
        ["change_seq"],
        postgresql_where=PENDING,
        sqlite_where=PENDING,
    )
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        last = bind.execute(
            sa.text("SELECT value FROM counters WHERE name = 'changes'")
        ).scalar_one_or_none()
        op.execute(f"CREATE SEQUENCE change_feed START WITH {int(last or 0) + 1}")
        op.execute("CREATE SEQUENCE change_pending")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("UPDATE records SET change_seq = nextval('change_feed') WHERE change_seq < 0")
        op.execute(
            "UPDATE counters SET value = (SELECT coalesce(max(change_seq), 0) FROM records) "
            "WHERE name = 'changes'"
        )
        op.execute("DROP SEQUENCE change_pending")
        op.execute("DROP SEQUENCE change_feed")
    op.drop_index("ix_records_pending", "records")
