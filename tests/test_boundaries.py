"""The core never loads Textual, the device never loads the office server or its stack, and
the device's install carries none of the server (it is its own package, ``sync/``)."""

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
SERVER_STACK = ["fieldkit_server", "fastapi", "sqlalchemy", "alembic", "uvicorn", "psycopg"]


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


def test_no_device_module_loads_the_server():
    """Every module of the device package, the screens and the command line included."""
    import pkgutil

    import fieldkit

    modules = sorted(
        m.name
        for m in pkgutil.walk_packages(fieldkit.__path__, "fieldkit.")
        if not m.name.endswith("__main__")  # runs the command line when imported
    )
    loaded = loaded_after("\n".join(f"import {m}" for m in modules))
    assert not {m.split(".")[0] for m in loaded} & set(SERVER_STACK)


def test_the_device_wheel_holds_no_server(tmp_path):
    """What a field laptop installs: the fieldkit wheel has no server module or message."""
    import zipfile
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(root)],
        check=True, capture_output=True,
    )  # fmt: skip
    (wheel,) = tmp_path.glob("fieldkit-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.startswith("fieldkit/ui/") for n in names)
    assert not [n for n in names if "fieldkit_server" in n or "/server/" in n]
    assert not [n for n in names if n.endswith("catalog/en/server.toml")]
