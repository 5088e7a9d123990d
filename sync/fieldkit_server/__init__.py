"""The office server: FastAPI app, SQLAlchemy storage, Alembic migrations, CLI.

Its own installable package (``sync/pyproject.toml``, console script ``fieldkit-server``),
beside the device package ``fieldkit``, whose model, wire protocol (``fieldkit.sync.protocol``)
and record rules it imports; the device never imports this package. Its messages are in its
own ``catalog/`` and join the device's catalogues when this package is imported.
"""

from fieldkit.i18n import add_catalogues

add_catalogues("fieldkit_server")
