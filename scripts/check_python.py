"""Stop early, with a sentence, when the Python running make is too old."""

import sys

if sys.version_info < (3, 11):  # noqa: UP036 - this file runs on any Python
    sys.exit(
        f"fieldkit needs Python 3.11 or newer; this is {sys.version.split()[0]}. "
        "Run: make PYTHON=python3.11 ..."
    )
