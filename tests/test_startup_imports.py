"""What a launch of the app loads before its first screen with data: not the other commands,
not the HTTP and protocol stack (``bench/app.py`` times the whole process; issue 17)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from fieldkit.cli import opens_the_app

ROOT = Path(__file__).resolve().parents[1]


def loaded_after(code: str, env: dict[str, str] | None = None) -> set[str]:
    """The modules a fresh interpreter holds after ``code``."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT,
        env=env,
    )  # fmt: skip
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    ("argv", "app"),
    [
        ([], True),
        (["app"], True),
        (["--lang", "zh"], True),
        (["app", "--lang=en"], True),
        (["--help"], False),
        (["app", "--help"], False),
        (["sync"], False),
        (["demo"], False),
    ],
)
def test_a_launch_of_the_app_is_told_from_a_command(argv, app):
    assert opens_the_app(argv) is app


def test_launching_the_app_reads_no_other_command(tmp_path):
    """``fieldkit app`` (here without a terminal, so it stops at the check for one) parses
    its command line with the app's command alone."""
    import os

    env = dict(os.environ, FIELDKIT_DATA_DIR=str(tmp_path), FIELDKIT_CONFIG=str(tmp_path / "c"))
    code = "from fieldkit.cli import main\nassert main(['app']) == 2"
    loaded = loaded_after(code, env)
    assert "fieldkit.cli.app" in loaded
    assert not loaded & {"fieldkit.cli.sync", "fieldkit.cli.store", "fieldkit.cli.report"}


def test_the_home_data_needs_no_http_or_protocol_stack(tmp_path):
    """The home's cases, drafts and sync line read the enrolment from its file
    (``fieldkit.sync.credentials``), not through the sync client."""
    from fieldkit.services.demo import generate

    demo_dir = tmp_path / "compound"
    generate(demo_dir, cases=20)
    code = (
        "from pathlib import Path\n"
        "from fieldkit.services.workspace import Workspace\n"
        f"ws = Workspace.open(Path({str(demo_dir)!r}))\n"
        "home = ws.home(with_due=False)\n"
        "ws.close()"
    )
    loaded = loaded_after(code)
    assert "fieldkit.sync.credentials" in loaded
    assert not loaded & {"fieldkit.sync.client", "requests", "pydantic"}


def test_the_first_screen_makes_only_its_own_messages():
    """Each message is a dataclass made at import (~0.3 ms each): the app and its home
    import the app's and the home's, not every screen's."""
    loaded = loaded_after("import fieldkit.ui.app, fieldkit.ui.screens.home")
    messages = {name for name in loaded if name.startswith("fieldkit.ui.messages.")}
    assert messages == {"fieldkit.ui.messages.app", "fieldkit.ui.messages.home"}


def test_the_lifecycles_in_use_need_no_yaml_reader():
    """What names a case's status (the home's case table) holds the lifecycles as plain
    data (``checklists.lifecycle_rules``); the reader and PyYAML come only when the file
    is read rather than the copy kept beside the data."""
    loaded = loaded_after("import fieldkit.services.lifecycle")
    assert "fieldkit.checklists.lifecycle_rules" in loaded
    assert not loaded & {"yaml", "fieldkit.checklists.source", "fieldkit.checklists.lifecycle"}


def test_the_lifecycle_reader_makes_no_checklist_classes():
    """The case lifecycle file is read with the checklists' YAML composer and diagnostics;
    the package imports its loader, runtime and condition language only when one of their
    names is asked for (``fieldkit/checklists/__init__.py``)."""
    loaded = loaded_after("import fieldkit.checklists.lifecycle")
    assert "fieldkit.checklists.source" in loaded
    heavy = {
        "fieldkit.checklists.loader",
        "fieldkit.checklists.runtime",
        "fieldkit.checklists.expressions",
        "fieldkit.checklists.definition",
        "fieldkit.checklists.typecheck",
    }
    assert not loaded & heavy
    names = "from fieldkit.checklists import load_text, evaluate_run, Checklist, CODES"
    assert heavy - {"fieldkit.checklists.typecheck"} <= loaded_after(names)


def test_a_home_with_no_round_in_progress_needs_no_checklist_loader(tmp_path):
    """The compound's clock (``services.compound_clock``), the incidents' rows and an empty
    list of rounds in progress need neither the checklist loader nor the runtime and its
    condition language; the due rounds, asked for after the data is drawn, load them."""
    from fieldkit.services.demo import generate

    demo_dir = tmp_path / "compound"
    generate(demo_dir, cases=20)
    code = (
        "from pathlib import Path\n"
        "from fieldkit.services.workspace import Workspace\n"
        f"ws = Workspace.open(Path({str(demo_dir)!r}))\n"
        "home = ws.home(with_due=False)\n"
        "assert home.cases and not home.drafts\n"
        "ws.close()"
    )
    loaded = loaded_after(code)
    assert "fieldkit.services.workspace" in loaded
    assert not loaded & {
        "fieldkit.checklists.loader",
        "fieldkit.checklists.runtime",
        "fieldkit.checklists.expressions",
        "fieldkit.services.runs",
        "fieldkit.services.schedules",
    }


def test_a_second_start_reads_the_kept_lifecycles_and_round_counts(tmp_path):
    """After a first start has kept the case lifecycles and the count of a round in
    progress beside the data, the next start's home (a round open, as on a patrol laptop)
    needs neither PyYAML, the checklist loader nor the runtime before its data; the due
    rounds, asked for after the data is drawn, load them."""
    from fieldkit.services.demo import generate
    from fieldkit.services.workspace import Workspace

    demo_dir = tmp_path / "compound"
    generate(demo_dir, cases=20, floors=4)
    ws = Workspace.open(demo_dir)
    run = ws.start_run("fire.extinguisher.floor_round", ws.lookup_scan("R-1-1").target)
    run.answer(run.steps()[0].key, "here")
    ws.close()
    code = (
        "from pathlib import Path\n"
        "from fieldkit.services.workspace import Workspace\n"
        f"ws = Workspace.open(Path({str(demo_dir)!r}))\n"
        "home = ws.home(with_due=False)\n"
        "(draft,) = home.drafts\n"
        "assert draft.answered == 1 and draft.total > 1, draft\n"
        "ws.close()"
    )
    first = loaded_after(code)  # the round's count not kept yet: counted, and kept
    assert {"yaml", "fieldkit.checklists.loader", "fieldkit.services.runs"} <= first
    second = loaded_after(code)
    assert "fieldkit.services.draft_progress" in second
    assert not second & {
        "yaml",
        "fieldkit.checklists.source",
        "fieldkit.checklists.lifecycle",
        "fieldkit.checklists.loader",
        "fieldkit.checklists.runtime",
        "fieldkit.checklists.expressions",
        "fieldkit.services.runs",
        "fieldkit.services.registry",  # a patrol laptop's home lists no flats under renovation
        "fieldkit.services.renovation",
    }
