"""The office console: people who sign in, their sessions, failed sign-ins (shared by every
server process), the audit trail of what they did, and the case index the console's case
list filters and pages by (filled here from the cases already stored).

Revision ID: 0004_console
Revises: 0003_enrol_failures
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_console"
down_revision = "0005_change_feed"
branch_labels = None
depends_on = None

_TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "console_users",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("site", sa.String(100), nullable=False),
        sa.Column("password_hash", sa.Text),
        sa.Column("device_id", sa.String(36), sa.ForeignKey("devices.id"), nullable=False),
        sa.Column("created_at", _TZ, nullable=False),
        sa.Column("disabled_at", _TZ),
        sa.Column("last_login_at", _TZ),
    )
    op.create_table(
        "console_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.String(36), sa.ForeignKey("console_users.id"), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", _TZ, nullable=False),
        sa.Column("seen_at", _TZ, nullable=False),
    )
    op.create_index("ix_console_sessions_user", "console_sessions", ["user_id"])
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("account", sa.String(100), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("failed_at", _TZ, nullable=False),
    )
    op.create_index("ix_login_failures_account", "login_failures", ["account", "failed_at"])
    op.create_index("ix_login_failures_address", "login_failures", ["address", "failed_at"])
    op.create_table(
        "console_actions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", _TZ, nullable=False),
        sa.Column("user_id", sa.String(36)),
        sa.Column("user_name", sa.String(100), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("record_id", sa.String(200), nullable=False),
        sa.Column("site", sa.String(100), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_index("ix_console_actions_record", "console_actions", ["kind", "record_id"])
    op.create_table(
        "case_index",
        sa.Column("record_id", sa.String(200), primary_key=True),
        sa.Column("site", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("status", sa.String(40), nullable=False),
        sa.Column("done", sa.Boolean, nullable=False),
        sa.Column("waiting", sa.Boolean, nullable=False),
        sa.Column("department", sa.String(40), nullable=False),
        sa.Column("category", sa.String(80), nullable=False),
        sa.Column("severity", sa.String(20), nullable=False),
        sa.Column("building", sa.String(100), nullable=False),
        sa.Column("due_at", _TZ),
        sa.Column("search", sa.Text, nullable=False),
        sa.Column("deleted", sa.Boolean, nullable=False),
    )
    for name, columns in (
        ("site", ["site", "record_id"]),
        ("open", ["done", "record_id"]),
        ("status", ["status", "record_id"]),
        ("department", ["department", "record_id"]),
        ("category", ["category", "record_id"]),
        ("building", ["building", "record_id"]),
        ("due", ["waiting", "due_at"]),
    ):
        op.create_index(f"ix_case_index_{name}", "case_index", columns)

    from fieldkit_server.case_index import rebuild

    rebuild(op.get_bind())


def downgrade() -> None:
    op.drop_table("case_index")
    op.drop_table("console_actions")
    op.drop_table("login_failures")
    op.drop_table("console_sessions")
    op.drop_table("console_users")
