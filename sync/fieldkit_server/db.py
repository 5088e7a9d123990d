"""Engines, sessions and migrations for SQLite (the default) and PostgreSQL.

SQLite runs in WAL mode with ``synchronous=FULL`` and takes its write lock when a
transaction begins (``BEGIN IMMEDIATE``), so a push never fails half-way on a lock upgrade.
On PostgreSQL pushes lock only the records they change; ``feed.py`` orders the pull feed.
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
from pathlib import Path

import platformdirs
from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from fieldkit.store.modes import FILE_MODE, make_dir, open_file
from fieldkit.store.platform import has_modes

log = logging.getLogger("fieldkit.server")

SERVER_DIR_ENV = "FIELDKIT_SERVER_DIR"
SERVER_DB_ENV = "FIELDKIT_SERVER_DB"
SQLITE_NAME = "fieldkit-server.sqlite3"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_MIGRATION_LOCK = 815_742_001  # any fixed number: pg_advisory_lock key for migrations


def server_dir() -> Path:
    override = os.environ.get(SERVER_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir("fieldkit-server", appauthor=False))


def default_url(folder: Path | None = None) -> str:
    folder = folder or server_dir()
    return f"sqlite:///{folder / SQLITE_NAME}"


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            sqlite_file_owner_only(Path(parsed.database))
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_connection, _record) -> None:
            dbapi_connection.isolation_level = None
            cur = dbapi_connection.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn) -> None:
            readonly = conn.get_execution_options().get("readonly", False)
            conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


def sqlite_file_owner_only(path: Path) -> None:
    """The database holds every personal value in full: its folder is made 0700 when
    missing, the file is created 0600 before SQLite opens it (SQLite gives its -wal and -shm
    files the database's mode), and a database an older version left readable to others is
    set to 0600 with its -wal and -shm, with a line in the log."""
    make_dir(path.parent)
    with contextlib.suppress(FileExistsError):
        os.close(open_file(path))
    if not has_modes():
        return
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            if stat.S_IMODE(os.stat(name).st_mode) & 0o077:
                os.chmod(name, FILE_MODE)
                log.warning("%s was readable by other users: now its owner's only", name)
        except (FileNotFoundError, PermissionError):
            pass  # no such file, or not ours: nothing to do here


class Database:
    """An engine and its session factory; ``read()`` gives a connection that takes no lock."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessions: sessionmaker[Session] = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def read(self) -> Connection:
        return self.engine.connect().execution_options(readonly=True)

    def dispose(self) -> None:
        self.engine.dispose()


def _alembic_config(connection) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision``; safe when several servers start at once."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _MIGRATION_LOCK})
            conn.commit()
            try:
                command.upgrade(_alembic_config(conn), revision)
                conn.commit()
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _MIGRATION_LOCK})
                conn.commit()
        else:
            command.upgrade(_alembic_config(conn), revision)
            conn.commit()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
