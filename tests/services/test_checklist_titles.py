"""Checklist titles kept beside the data (``catalog.titles``): a card naming a checklist
reads them without parsing every checklist file, and they follow the files."""

from __future__ import annotations

import pytest

from fieldkit.services import catalog


def test_titles_are_kept_and_read_again_when_a_checklist_file_changes(tmp_path, monkeypatch):
    first = catalog.titles(tmp_path)
    assert first["renovation.permit_check"] == {
        "zh": "装修开工检查",
        "en": "Renovation start check",
    }
    assert (tmp_path / catalog.TITLES_FILE).exists()

    def refuse(data_dir):
        raise AssertionError("the checklist files were parsed again")

    with monkeypatch.context() as patched:
        patched.setattr(catalog, "load_checklists", refuse)
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
