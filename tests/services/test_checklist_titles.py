"""Checklist titles kept beside the data (``catalog.titles``): a card naming a checklist
reads them without parsing every checklist file, and they follow the files."""

from __future__ import annotations

import orjson
import pytest

from fieldkit.checklists import loader
from fieldkit.services import catalog


def test_titles_are_kept_and_read_again_when_a_checklist_file_changes(tmp_path, monkeypatch):
    first = catalog.titles(tmp_path)
    assert first["renovation.permit_check"] == {
        "zh": "装修开工检查",
        "en": "Renovation start check",
    }
    assert (tmp_path / catalog.TITLES_FILE).exists()

    def refuse(folder):
        raise AssertionError("the checklist files were parsed again")

    with monkeypatch.context() as patched:
        patched.setattr(loader, "load_folder", refuse)
        assert catalog.titles(tmp_path) == first  # nothing changed: the kept titles
    office = tmp_path / "checklists"
    office.mkdir()
    text = (catalog.shipped_folder() / "renovation" / "permit-check.yaml").read_text("utf-8")
    text = text.replace("id: renovation.permit_check", "id: office.permit_check", 1)
    text = text.replace("title: {zh: 装修开工检查, en: Renovation start check}",
                        "title: {zh: 开工复核, en: Start recheck}", 1)  # fmt: skip
    (office / "recheck.yaml").write_text(text, "utf-8")
    again = catalog.titles(tmp_path)  # the office sent one: read from the files
    assert again["office.permit_check"] == {"zh": "开工复核", "en": "Start recheck"}
    assert again["renovation.permit_check"] == first["renovation.permit_check"]


@pytest.mark.parametrize("kept", [b"{not json", b'{"files": {}, "titles": {"x": 3}}'])
def test_a_damaged_titles_file_is_read_from_the_checklists_again(tmp_path, kept):
    (tmp_path / catalog.TITLES_FILE).write_bytes(kept)
    assert "renovation.permit_check" in catalog.titles(tmp_path)


def test_the_home_shows_a_round_in_progress_parsing_only_its_checklist(tmp_path, monkeypatch):
    """A draft on the home names its checklist and counts its answers from that checklist's
    own file (named in the kept titles file), not from every checklist parsed (issue 17)."""
    from fieldkit.services.demo import generate
    from fieldkit.services.workspace import Workspace

    generate(tmp_path / "d", cases=20, floors=4, now=1_800_000_000.0)
    ws = Workspace.open(tmp_path / "d")
    run = ws.start_run("fire.extinguisher.floor_round", ws.lookup_scan("R-1-1").target)
    run.answer(run.steps()[0].key, "here")
    (whole,) = ws.drafts()  # every checklist loaded: the figures to match
    ws.close()
    first = Workspace.open(tmp_path / "d")  # no titles kept yet: every file read, once
    assert first.home(with_due=False).drafts == (whole,)
    first.close()
    (tmp_path / "d" / "draft-progress.json").unlink()  # its count not kept: counted again

    parsed: list[str] = []
    real_load_file = loader.load_file

    def spied(path):
        parsed.append(str(path))
        return real_load_file(path)

    def refuse(folder):
        raise AssertionError("every checklist file was parsed for the home")

    fresh = Workspace.open(tmp_path / "d")
    try:
        with monkeypatch.context() as patched:
            patched.setattr(loader, "load_folder", refuse)
            patched.setattr(loader, "load_file", spied)
            (draft,) = fresh.home(with_due=False).drafts
    finally:
        fresh.close()
    assert [p.rsplit("/", 1)[-1] for p in parsed] == ["extinguisher-floor-round.yaml"]
    assert draft == whole
    assert draft.title == {"zh": whole.title["zh"], "en": whole.title["en"]}
    assert draft.answered == 1 < draft.total


def test_a_titles_file_from_before_the_file_names_is_read_again(tmp_path):
    """A kept titles file without the checklists' files (written by an earlier version) is
    read from the checklists once, then names each checklist's file."""
    kept = tmp_path / catalog.TITLES_FILE
    catalog.titles(tmp_path)
    old = orjson.loads(kept.read_bytes())
    del old["paths"]
    kept.write_bytes(orjson.dumps(old))
    checklist = catalog.load_one(tmp_path, "renovation.permit_check")
    assert checklist is not None and checklist.id == "renovation.permit_check"
    assert "renovation.permit_check" in orjson.loads(kept.read_bytes())["paths"]
    assert catalog.load_one(tmp_path, "no.such_checklist") is None
