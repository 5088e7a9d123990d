"""The office server: FastAPI app, SQLAlchemy storage, Alembic migrations, CLI.

Install with the ``server`` extra; the device never imports this package.
"""
