"""Indexes for the shift handover at 100,000 cases (bench/README.md, console.py): the
records a device changed since a time (``records.kind, updated_at``: without it the
handover read every case of the table), and a site's open cases by due time
(``case_index.site, done, deleted, due_at``: the first due, and the counts, from the
index alone).

Revision ID: 0008_handover_indexes
Revises: 0007_console_first_password
"""

from alembic import op

revision = "0008_handover_indexes"
down_revision = "0007_console_first_password"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_records_kind_updated_at", "records", ["kind", "updated_at"])
    op.create_index("ix_case_index_open_due", "case_index", ["site", "done", "deleted", "due_at"])


def downgrade() -> None:
    op.drop_index("ix_case_index_open_due", table_name="case_index")
    op.drop_index("ix_records_kind_updated_at", table_name="records")
