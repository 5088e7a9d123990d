"""Every broken file in ``broken/`` gets exactly the diagnostics in its ``.expected`` file.

Each ``.expected`` line is ``line:column: CODE: message`` in English, warnings marked, in
the order ``fieldkit checklist validate`` prints them.
"""

from pathlib import Path

import pytest

from fieldkit.checklists import load_file

BROKEN = Path(__file__).parent / "broken"
CASES = sorted(BROKEN.glob("*.yaml"))


def test_corpus_is_there():
    assert len(CASES) >= 20
    for case in CASES:
        assert case.with_suffix(".expected").is_file(), case.name


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_broken_file_gets_exact_diagnostics(case):
    expected = case.with_suffix(".expected").read_text("utf-8").splitlines()
    result = load_file(case)
    prefix = f"{case}:"
    got = [d.render("en").removeprefix(prefix) for d in result.diagnostics]
    assert got == expected
    assert all(d.path == str(case) for d in result.diagnostics)
    if any(d.severity == "error" for d in result.diagnostics):
        assert result.checklist is None


def test_warnings_only_file_still_loads_but_not_strictly():
    result = load_file(BROKEN / "warnings_only.yaml")
    assert result.checklist is not None
    assert result.ok() and not result.ok(strict=True)
    assert {d.severity for d in result.diagnostics} == {"warning"}


def test_messages_in_chinese():
    result = load_file(BROKEN / "keys_misspelt.yaml")
    first = result.diagnostics[0]
    assert first.render("zh") == (
        f"{BROKEN / 'keys_misspelt.yaml'}:3:1: FK200: "
        "检查表中有未知的键 'titel'。你是不是想写 'title'？"
    )
    result = load_file(BROKEN / "warnings_only.yaml")
    assert (
        result.diagnostics[0]
        .render("zh")
        .endswith("FK900: 警告：'title' 缺少 en 文字，请补上 en:，中英文都要有。")
    )
    assert "FK900: 'title'" in result.diagnostics[0].render("zh", strict=True)
