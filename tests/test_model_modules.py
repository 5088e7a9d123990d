"""The model is split by record kind on one base, with no import cycle: every module of
``fieldkit.model`` imports on its own in a fresh interpreter (a cycle shows up as an
ImportError for one order or another), and the package exports the names it always has."""

import pkgutil
import subprocess
import sys

import pytest

import fieldkit.model

MODULES = sorted(m.name for m in pkgutil.iter_modules(fieldkit.model.__path__, "fieldkit.model."))


@pytest.mark.parametrize("module", MODULES)
def test_each_model_module_imports_first_and_alone(module):
    done = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True)
    assert done.returncode == 0, done.stderr.decode()


def test_the_package_exports_the_record_types_and_helpers():
    names = set(fieldkit.model.__all__)
    assert {
        "Case", "Incident", "Inspection", "Unit", "Target", "ChecklistRef", "Event",
        "ModelError", "RECORD_TYPES", "REFERENCE_ENTITIES", "record_from_dict",
        "merge_record", "new_id", "now_iso", "SEVERITIES", "INCIDENT_TYPES",
    } <= names  # fmt: skip
    assert all(hasattr(fieldkit.model, name) for name in names)
    kinds = fieldkit.model.RECORD_TYPES
    assert {"reveal", "patrol_round", "resident"} <= set(kinds)
    assert set(fieldkit.model.REFERENCE_ENTITIES) < set(kinds)


def test_no_model_module_imports_at_its_bottom():
    """Every import of a model module sits in its head, before the first definition."""
    from pathlib import Path

    for path in Path(fieldkit.model.__path__[0]).glob("*.py"):
        lines = path.read_text("utf-8").splitlines()
        first_def = next(
            (n for n, line in enumerate(lines) if line.startswith(("def ", "class ", "@"))),
            len(lines),
        )
        late = [
            n + 1
            for n, line in enumerate(lines[first_def:], start=first_def)
            if line.startswith(("import ", "from "))
        ]
        assert late == [], f"{path.name}: imports at line(s) {late}"
