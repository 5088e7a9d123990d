import json
import os
import subprocess
import sys
from pathlib import Path

from .helpers import GOOD

BROKEN = Path(__file__).parent / "broken"


def fieldkit(*args, env=None):
    full = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "fieldkit", *map(str, args)],
        capture_output=True,
        text=True,
        env=full,
    )


def good_file(tmp_path, name="good.yaml", text=GOOD):
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def test_validate_good_file_exits_0(tmp_path):
    out = fieldkit("checklist", "validate", good_file(tmp_path))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "1 file(s) checked: all valid (0 warning(s))."


def test_validate_broken_files_exits_1_with_every_problem(tmp_path):
    out = fieldkit("checklist", "validate", BROKEN / "values_wrong.yaml", good_file(tmp_path))
    assert out.returncode == 1
    lines = out.stdout.strip().splitlines()
    expected = (BROKEN / "values_wrong.expected").read_text("utf-8").splitlines()
    assert lines[:-1] == [f"{BROKEN / 'values_wrong.yaml'}:{e}" for e in expected]
    assert lines[-1] == "2 file(s) checked, 1 with problems: 13 error(s), 0 warning(s)."


def test_validate_folder_recurses_and_strict_turns_warnings_into_errors(tmp_path):
    good_file(tmp_path)
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "w.yml").write_text((BROKEN / "warnings_only.yaml").read_text("utf-8"), "utf-8")
    relaxed = fieldkit("checklist", "validate", tmp_path)
    assert relaxed.returncode == 0
    assert "FK900: warning: 'title' has no en text" in relaxed.stdout
    strict = fieldkit("checklist", "validate", tmp_path, "--strict")
    assert strict.returncode == 1
    assert "FK900: 'title' has no en text" in strict.stdout
    assert strict.stdout.strip().splitlines()[-1] == (
        "2 file(s) checked, 1 with problems: 8 error(s), 0 warning(s)."
    )


def test_validate_json(tmp_path):
    out = fieldkit(
        "checklist", "validate", "--format", "json", good_file(tmp_path), BROKEN / "yaml_tab.yaml"
    )
    assert out.returncode == 1
    doc = json.loads(out.stdout)
    good, tab = doc["files"]
    assert good["ok"] and good["checklist"]["id"] == "fire.extinguisher.monthly"
    assert good["checklist"]["hash"].startswith("sha256:")
    assert not tab["ok"] and tab["checklist"] is None
    assert tab["diagnostics"] == [
        {
            "path": str(BROKEN / "yaml_tab.yaml"),
            "line": 5,
            "column": 1,
            "code": "FK110",
            "severity": "error",
            "message": "A tab character is used for indentation. Indent with spaces only.",
        }
    ]
    assert doc["summary"] == {"files": 2, "invalid": 1, "errors": 1, "warnings": 0}


def test_validate_in_chinese():
    out = fieldkit("--lang", "zh", "checklist", "validate", BROKEN / "yaml_tab.yaml")
    assert out.returncode == 1
    assert "FK110: 缩进里用了制表符（Tab），请全部改用空格缩进。" in out.stdout
    assert "共检查 1 个文件，其中 1 个有问题：1 个错误，0 个警告。" in out.stdout
    after = fieldkit("checklist", "validate", BROKEN / "yaml_tab.yaml", "--lang", "zh")
    assert after.stdout == out.stdout


def test_usage_errors_exit_2(tmp_path):
    missing = fieldkit("checklist", "validate", tmp_path / "nope.yaml")
    assert missing.returncode == 2
    assert "nope.yaml: there is no such file or folder." in missing.stderr
    assert "Traceback" not in missing.stderr
    empty = fieldkit("checklist", "validate", tmp_path)
    assert empty.returncode == 2 and "no .yaml or .yml files" in empty.stderr
    assert fieldkit("checklist", "validate").returncode == 2
    assert fieldkit("checklist").returncode == 2
    assert fieldkit("checklist", "show", tmp_path).returncode == 2


def test_show_reads_like_a_checklist(tmp_path):
    out = fieldkit("checklist", "show", good_file(tmp_path))
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert text.startswith("Fire extinguisher monthly check\n")
    assert "For: equipment: fire extinguisher · How often: monthly" in text
    assert (
        "Repeated for each asset where kind is fire extinguisher and floor is one of 2, 3" in text
    )
    assert "number · in MPa · can enter 0 to 4 · passes at 1.0 to 1.4 · 2 decimal place(s)" in text
    assert "If it fails: critical → Engineering, within 4 hours" in text
    assert "✗ Missing [missing]  fails: critical → Security, within 4 hours" in text
    assert "✗ Cracked [cracked]  fails: minor → Engineering, within 1 week" in text
    assert (
        "Shown only when “In its place and unobstructed” is Fail or “Pressure” is less than 1.0"
        " or “Hose” includes “Cracked”"
    ) in text
    assert "photo · required when “Pressure” is less than 1.0" in text
    assert "checklists." not in text  # no message key left untranslated


def test_show_in_chinese(tmp_path):
    out = fieldkit("checklist", "show", good_file(tmp_path), "--lang", "zh")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("灭火器月度检查\n")
    assert "适用于：设备：灭火器 · 频次：每月" in out.stdout
    assert "不合格时：紧急 → 工程部，4 小时内处理" in out.stdout
    assert "仅当 “在指定位置且无遮挡” 为 不合格 或者 “压力” 小于 1.0" in out.stdout
    assert "checklists." not in out.stdout


def test_show_broken_file_lists_errors_and_exits_1():
    out = fieldkit("checklist", "show", BROKEN / "numbers.yaml")
    assert out.returncode == 1
    assert "FK215" in out.stderr and "cannot be shown" in out.stderr
