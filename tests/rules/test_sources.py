"""Every shipped checklist names the rule it serves, in both languages, and its rhythm
matches the rule; ``show`` prints it; a shipped checklist without one is warned about."""

from __future__ import annotations

from fieldkit.checklists import load_folder, load_text, shipped_dir
from fieldkit.cli import main
from tests.checklists.helpers import GOOD

#: checklist → the rhythm its rule sets (checked against ``every`` as written)
RHYTHMS = {
    "fire.control_room.duty_log": {"hours": 2, "from": "calendar"},  # every 2 h (GB 25201)
    "fire.control_room.shift": {"times": 1, "per": "shift", "from": "calendar"},
    "fire.doors_evacuation.daily": {"times": 1, "per": "day", "from": "calendar"},  # art. 25
    "fire.extinguisher.monthly": "month",
    "fire.extinguisher.floor_round": "month",
}


def test_every_shipped_checklist_names_its_source_in_both_languages():
    results = load_folder(shipped_dir())
    assert len(results) >= 23
    for result in results:
        checklist = result.checklist
        assert checklist is not None and result.ok(strict=True), result.path
        assert checklist.source and checklist.source.zh and checklist.source.en, result.path
        assert "TODO" not in checklist.source.en
    found = {r.checklist.id: r.checklist for r in results}
    for checklist_id, every in RHYTHMS.items():
        assert found[checklist_id].every == every, checklist_id
    assert "第二十五条" in found["fire.doors_evacuation.daily"].source.zh
    assert "art. 25" in found["fire.doors_evacuation.daily"].source.en
    unverified = found["fire.control_room.duty_log"].source
    assert "通常引用" in unverified.zh and "as commonly cited" in unverified.en


def test_a_shipped_checklist_without_a_source_is_warned_about_and_fails_strict():
    result = load_text(GOOD, "checklists/fire/x.yaml", shipped=True)
    assert result.checklist is not None  # a warning: it still loads
    assert [(d.line, d.column, d.code) for d in result.warnings] == [(1, 5, "FK906")]
    assert not result.ok(strict=True)
    assert load_text(GOOD).diagnostics == ()  # the office's own: no source needed
    cited = GOOD.replace("applies_to:", "source: {zh: 第一条, en: art. 1}\napplies_to:")
    assert load_text(cited, shipped=True).diagnostics == ()


def test_show_prints_the_source_and_where_a_missed_run_goes(capsys):
    path = str(shipped_dir() / "fire" / "control-room-duty-log.yaml")
    assert main(["checklist", "show", path, "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "频次：每 2 小时（按固定时段）" in out
    assert "依据：GB 25201-2010《建筑消防设施的维护管理》" in out
    assert "漏检时：严重 → 安保部，2 小时内处理" in out
    assert main(["checklist", "show", path, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "How often: every 2 hours, in fixed slots" in out
    assert "Source: GB 25201-2010 Maintenance and management" in out
    assert "A missed run: major → Security, within 2 hours" in out
