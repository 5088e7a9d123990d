"""The core never loads Textual, and the device never loads the server stack."""

import json
import subprocess
import sys

CORE = [
    "fieldkit.model",
    "fieldkit.checklists",
    "fieldkit.store",
    "fieldkit.services",
    "fieldkit.sync",
    "fieldkit.i18n",
    "fieldkit.config",
]
SERVER_STACK = ["fastapi", "sqlalchemy", "alembic", "uvicorn", "psycopg"]


def loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_core_does_not_load_textual():
    import pkgutil

    import fieldkit

    modules = [
        m.name
        for m in pkgutil.walk_packages(fieldkit.__path__, "fieldkit.")
        if m.name.split(".")[1] in {c.split(".")[1] for c in CORE}
        and not m.name.startswith("fieldkit.sync.server")
    ]
    code = "\n".join(f"import {m}" for m in sorted(set(modules) | set(CORE)))
    loaded = loaded_after(code)
    assert "textual" not in loaded
    assert not [m for m in loaded if m.startswith("textual.")]


def test_device_cli_does_not_load_server_stack():
    loaded = loaded_after(
        "from fieldkit.cli import build_parser, Context\n"
        "from fieldkit.config import Config\n"
        "build_parser(Context(config=Config()))"
    )
    assert not {m.split(".")[0] for m in loaded} & set(SERVER_STACK)
