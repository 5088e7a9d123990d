"""The counts of the rounds in progress kept beside the data (``draft-progress.json``): the
home's next start shows them without its checklist parsed (issue 17); anything a count
depends on changing — an answer, the checklist's file — or a copy missing or damaged, and
the round is counted again; ``fieldkit doctor`` checks the kept counts against a count."""

from __future__ import annotations

import os
from pathlib import Path

import orjson
import pytest

from fieldkit.cli import main
from fieldkit.services import draft_progress
from fieldkit.services.catalog import shipped_folder
from fieldkit.services.demo import generate
from fieldkit.services.workspace import Workspace

ROUND = "fire.extinguisher.floor_round"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    data = tmp_path / "d"
    generate(data, cases=10, floors=4, now=1_800_000_000.0)
    ws = Workspace.open(data)
    try:
        run = ws.start_run(ROUND, ws.lookup_scan("R-1-1").target)
        for step in run.steps()[:3]:
            run.answer(step.key, value_for(step.item))
    finally:
        ws.close()
    monkeypatch.setenv("FIELDKIT_DATA_DIR", str(data))
    return data


def value_for(item):
    """An answer the item takes, as a person would give it."""
    if item.type == "check":
        return "pass"
    if item.type == "choice":
        return item.options[0].id
    if item.type == "multi":
        return [item.options[0].id]
    if item.type == "number":
        low, high = item.expect or item.range or (1, 1)
        return str(low if low is not None else high)
    return "here"


def drafts(folder, monkeypatch=None, counted=True):
    """The home's rounds in progress from a fresh workspace; with ``counted=False`` any
    round counted with its checklist fails the test (the kept count must be used)."""
    ws = Workspace.open(folder)
    try:
        if not counted:

            def refuse(*args):
                raise AssertionError("the round was counted with its checklist")

            monkeypatch.setattr(ws, "count_draft", refuse)
        return ws.home(with_due=False).drafts
    finally:
        ws.close()


def counted_now(folder):
    """The counts as the runner makes them: every checklist loaded, each round counted."""
    ws = Workspace.open(folder)
    try:
        ws.checklists()
        out = []
        for inspection in ws.newest_drafts():
            target, assets, _ = ws.draft_inputs(inspection)
            out.append(ws.count_draft(inspection, target, assets))
        return out
    finally:
        ws.close()


def kept(folder):
    return orjson.loads((folder / draft_progress.KEPT_FILE).read_bytes())


def test_the_count_is_kept_and_shown_without_the_checklist(folder, monkeypatch):
    (first,) = drafts(folder)
    assert (first.title, first.answered, first.total) == counted_now(folder)[0]
    assert first.answered == 3 and first.total > 3
    assert kept(folder)["drafts"][first.inspection_id]["answered"] == 3
    (again,) = drafts(folder, monkeypatch, counted=False)
    assert again == first


def test_an_answer_since_is_counted_again(folder, monkeypatch):
    (first,) = drafts(folder)
    ws = Workspace.open(folder)
    try:
        run = ws.resume_run(first.inspection_id)
        step = next(s for s in run.steps() if not run.answered(s))
        run.answer(step.key, value_for(step.item))
    finally:
        ws.close()
    (after,) = drafts(folder)
    assert after.answered == first.answered + 1
    assert (after.title, after.answered, after.total) == counted_now(folder)[0]
    (again,) = drafts(folder, monkeypatch, counted=False)  # kept anew
    assert again == after


def test_another_version_of_the_checklist_is_counted_again(folder, monkeypatch):
    (first,) = drafts(folder)
    office = folder / "checklists"
    office.mkdir()
    text = (shipped_folder() / "fire" / "extinguisher-floor-round.yaml").read_text("utf-8")
    zh = first.title["zh"]
    assert zh in text
    (office / "floor-round.yaml").write_text(text.replace(zh, "灭火器楼层月检（新版）", 1), "utf-8")
    (after,) = drafts(folder)
    assert after.title["zh"] == "灭火器楼层月检（新版）"
    assert (after.answered, after.total) == (first.answered, first.total)
    (again,) = drafts(folder, monkeypatch, counted=False)
    assert again == after


@pytest.mark.parametrize(
    "damage",
    [b"{not json", b"[]", b'{"format": 99, "drafts": {}}', "a count as text", "no title"],
)
def test_a_damaged_copy_is_counted_again_and_kept_again(folder, monkeypatch, damage):
    (first,) = drafts(folder)
    if isinstance(damage, str):
        broken = kept(folder)
        entry = broken["drafts"][first.inspection_id]
        if damage == "a count as text":
            entry["answered"] = "3"
        else:
            del entry["title"]
        damage = orjson.dumps(broken)
    (folder / draft_progress.KEPT_FILE).write_bytes(damage)
    assert drafts(folder) == (first,)
    assert drafts(folder, monkeypatch, counted=False) == (first,)


def test_a_write_that_fails_leaves_the_kept_counts_whole(folder, monkeypatch):
    """Kept with ``atomic_write``: a write that fails before its rename leaves the file
    there was, whole, and no temporary file; the home still has its count."""
    (first,) = drafts(folder)
    path = folder / draft_progress.KEPT_FILE
    stale = kept(folder)
    stale["drafts"][first.inspection_id]["digest"] = "0" * 64  # counted for another state
    path.write_bytes(orjson.dumps(stale))
    before = path.read_bytes()

    real_replace = os.replace

    def fail(src, dst):
        if Path(dst).name == draft_progress.KEPT_FILE:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)  # the store's own files

    with monkeypatch.context() as patched:
        patched.setattr("fieldkit.store.atomic.os.replace", fail)
        assert drafts(folder) == (first,)  # counted again; the count could not be kept
    assert path.read_bytes() == before
    assert not [p for p in folder.iterdir() if p.name.startswith(".draft-progress")]


def test_a_round_submitted_leaves_the_kept_counts(folder):
    (first,) = drafts(folder)
    ws = Workspace.open(folder)
    try:
        ws.discard_draft(first.inspection_id)
    finally:
        ws.close()
    assert drafts(folder) == ()
    assert first.inspection_id in kept(folder)["drafts"]  # nothing to show: left as it was
    assert counted_now(folder) == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_doctor_checks_the_kept_counts_against_a_count(folder, capsys, lang):
    def doctor() -> str:
        assert main(["--lang", lang, "doctor"]) == 0
        (line,) = [
            line
            for line in capsys.readouterr().out.splitlines()
            if "rounds in progress" in line or "未完成的巡检" in line
        ]
        return line.strip()

    fixed, ok = {"en": ("[fixed]", "[ok]"), "zh": ("[已修复]", "[正常]")}[lang]
    said = {
        "en": ("rounds in progress: 1, each one's count", "are written again"),
        "zh": ("未完成的巡检：1 项，为加快启动保存的答题进度与其答案一致", "已重新写入"),
    }[lang]
    line = doctor()  # no counts kept yet
    assert line.startswith(fixed) and said[1] in line
    line = doctor()
    assert line.startswith(ok) and said[0] in line
    (first,) = drafts(folder)
    tampered = kept(folder)
    tampered["drafts"][first.inspection_id]["answered"] = 0  # a count that is not so
    (folder / draft_progress.KEPT_FILE).write_bytes(orjson.dumps(tampered))
    line = doctor()
    assert line.startswith(fixed) and said[1] in line
    assert kept(folder)["drafts"][first.inspection_id]["answered"] == first.answered
