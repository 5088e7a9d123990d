import re
import time
from datetime import timedelta
from pathlib import Path

import pytest

from fieldkit.checklists import CODES, load_file, load_folder, load_text, shipped_dir
from fieldkit.checklists.source import MAX_BYTES, MAX_DEPTH
from fieldkit.i18n import catalogue

from .helpers import GOOD, lines_of

ROOT = Path(__file__).resolve().parents[2]


def test_good_checklist_loads_into_typed_objects():
    result = load_text(GOOD, "good.yaml")
    assert result.diagnostics == ()
    c = result.checklist
    assert (c.id, c.version, c.applies_to, c.every) == (
        "fire.extinguisher.monthly",
        3,
        "asset:extinguisher",
        "month",
    )
    assert c.target == ("asset", "extinguisher")
    assert c.title.get("zh") == "灭火器月度检查" and c.title.get("en").startswith("Fire")
    assert c.tags == ("fire", "monthly")
    assert [s.id for s in c.sections] == ["general", "condition", "sign_off"]
    condition = c.section("condition")
    assert condition.repeat.where == (("kind", ("extinguisher",)), ("floor", (2, 3)))
    assert condition.show_if.source == "area_ok != 'na'"
    pressure = c.item("pressure")
    assert pressure.range == (0, 4) and pressure.expect == (1.0, 1.4) and pressure.decimals == 2
    assert (
        pressure.on_fail.due == timedelta(hours=4) and pressure.on_fail.department == "engineering"
    )
    assert pressure.section_id == "condition" and pressure.can_fail
    hose = c.item("hose")
    assert [o.id for o in hose.options] == ["sound", "cracked", "missing"]
    assert hose.option("missing").on_fail.severity == "critical"
    assert c.item("note").show_if.refs == {"in_place", "pressure", "hose"}
    assert c.item("note").required is False  # text is optional by default
    assert c.item("photo").required is False  # required_if replaces the default
    assert c.item("checked_on").required is False
    assert c.item("signature").required is True
    assert c.ref.to_dict() == {"id": c.id, "version": 3, "hash": c.content_hash}
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", c.content_hash)
    with pytest.raises(AttributeError):
        c.version = 4  # frozen


def test_hash_ignores_layout_comments_key_order_and_quoting():
    base = load_text(GOOD).checklist.content_hash
    relaid = (
        "# a comment\n"
        + GOOD.replace("version: 3\n", "")
        .replace("every: month", "every: 'month'   # monthly")
        .replace("\"area_ok != 'na'\"", "'area_ok  !=  \"na\"'")
        + "version: 3\n"
    )
    assert load_text(relaid).checklist.content_hash == base
    changed = GOOD.replace("expect: [1.0, 1.4]", "expect: [1.0, 1.5]")
    assert load_text(changed).checklist.content_hash != base
    assert load_text(GOOD.replace("en: Note}", "en: Notes}")).checklist.content_hash != base


def test_unquoted_yes_and_numbers_read_as_words_where_text_is_expected():
    text = GOOD.replace("{id: ok, label: {zh: 合格, en: OK}}", "{id: ok, label: {zh: 是, en: yes}}")
    text = text.replace("unit: MPa", "unit: 100")
    c = load_text(text).checklist
    assert c.item("result").option("ok").label.en == "yes"
    assert c.item("pressure").unit == "100"


def test_every_accepts_periods_and_durations():
    for every in ("shift", "on_demand", "2h", "3d", "1w"):
        assert load_text(GOOD.replace("every: month", f"every: {every}")).checklist.every == every


def test_condition_positions_map_into_the_file():
    text = GOOD.replace(
        """show_if: "in_place == 'fail' or pressure < 1.0 or 'cracked' in hose\"""",
        "show_if: >-\n          in_place == 'fail' or presure < 1.0",
    )
    result = load_text(text, "x.yaml")
    # a folded scalar cannot be mapped character by character: the value's start is used
    assert lines_of(result) == ["54:18: FK301"]
    text = GOOD.replace(
        """show_if: "in_place == 'fail' or pressure < 1.0 or 'cracked' in hose\"""",
        "show_if: |\n          in_place == 'fail'\n          or presure < 1.0",
    )
    assert lines_of(load_text(text)) == ["56:14: FK301"]


def test_all_errors_of_a_file_come_at_once():
    text = GOOD.replace("type: check", "type: chek").replace(
        "department: security", "department: guard"
    )
    result = load_text(text)
    codes = [d.code for d in result.diagnostics]
    assert codes.count("FK210") == 2 and codes.count("FK219") == 2
    assert result.checklist is None


def test_missing_file_and_folder(tmp_path):
    result = load_file(tmp_path / "nope.yaml")
    assert lines_of(result) == ["1:1: FK100"]
    assert result.checklist is None


def test_huge_file_is_refused_quickly(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"a: " + b"x" * (MAX_BYTES + 10))
    start = time.perf_counter()
    result = load_file(path)
    assert time.perf_counter() - start < 0.5
    assert lines_of(result) == ["1:1: FK101"]
    assert lines_of(load_text("a: " + "x" * MAX_BYTES)) == ["1:1: FK101"]


def test_billion_laughs_is_refused_quickly():
    bomb = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    start = time.perf_counter()
    result = load_text(bomb)
    assert time.perf_counter() - start < 0.5
    assert lines_of(result) == ["1:4: FK103"]
    assert lines_of(load_text("a: *x\n")) == ["1:4: FK103"]


def test_deep_nesting_is_refused_without_recursion_errors():
    assert lines_of(load_text("a: " + "[" * 5000)) == [
        f"1:{3 + MAX_DEPTH}: FK109"
    ]  # the top mapping is level 1
    deep = load_text("id: " + "{a: " * 200 + "1" + "}" * 200)
    assert [d.code for d in deep.diagnostics] == ["FK109"]


def test_bytes_with_bom_and_not_utf8():
    assert load_text(b"\xef\xbb\xbf" + GOOD.encode()).checklist is not None
    assert lines_of(load_text(b"id: \xff\xfe")) == ["1:5: FK100"]
    assert lines_of(load_text("id: a\x00b")) == ["1:6: FK100"]


def test_duplicate_checklist_ids_across_a_folder(tmp_path):
    (tmp_path / "a.yaml").write_text(GOOD, "utf-8")
    sub = tmp_path / "more"
    sub.mkdir()
    (sub / "b.yml").write_text(GOOD.replace("version: 3", "version: 4"), "utf-8")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "c.yaml").write_text("junk: [", "utf-8")
    (tmp_path / "notes.txt").write_text("not a checklist", "utf-8")
    results = load_folder(tmp_path)
    assert [Path(r.path).name for r in results] == ["a.yaml", "b.yml"]
    assert results[0].ok() and results[1].checklist is None
    assert lines_of(results[1]) == ["1:5: FK225"]
    assert str(tmp_path / "a.yaml") in results[1].diagnostics[0].message("en")


def test_every_code_has_a_message_in_both_languages_and_in_the_docs():
    docs = (ROOT / "docs" / "checklists.md").read_text("utf-8")
    for lang in ("en", "zh"):
        messages = catalogue(lang)
        for code in CODES:
            assert f"checklists.diag.{code.lower()}" in messages, (lang, code)
    for code in CODES:
        assert f"`{code}`" in docs, code
    assert all(CODES[c] == "warning" for c in CODES if c.startswith("FK9"))
    assert all(CODES[c] == "error" for c in CODES if not c.startswith("FK9"))


def test_shipped_dir_is_the_repo_checklists_folder():
    assert shipped_dir() == ROOT / "checklists"


def test_shipped_checklists_validate_strict():
    folder = shipped_dir()
    results = load_folder(folder)
    if not results:
        pytest.skip("checklists/ is still empty")
    problems = [d.render("en") for r in results for d in r.diagnostics]
    assert problems == []
    assert all(r.checklist is not None for r in results)
    assert len({r.checklist.id for r in results}) == len(results)


def _event_view(text, loader):
    import yaml

    return [
        (
            type(e).__name__,
            getattr(e, "value", None),
            getattr(e, "tag", None),
            getattr(e, "implicit", None),
            getattr(e, "style", None) or None,
            (e.start_mark.line, e.start_mark.column, e.end_mark.line, e.end_mark.column),
        )
        for e in yaml.parse(text, Loader=loader)
    ]


def test_libyaml_and_pure_python_give_the_same_events():
    yaml = pytest.importorskip("yaml")
    if not getattr(yaml, "__with_libyaml__", False):
        pytest.skip("libyaml not available: the pure-Python parser is used alone")
    texts = [GOOD] + [p.read_text("utf-8") for p in sorted(shipped_dir().rglob("*.yaml"))]
    texts += [
        p.read_text("utf-8")
        for p in sorted((Path(__file__).parent / "broken").glob("*.yaml"))
        if p.stem not in ("not_utf8",)
    ]
    compared = 0
    for text in texts:
        try:
            fast = _event_view(text, yaml.CSafeLoader)
        except yaml.YAMLError:
            continue  # the loader then re-reads with the pure-Python parser
        assert fast == _event_view(text, yaml.SafeLoader)
        compared += 1
    assert compared >= 20
