import re
from pathlib import Path

import pytest

import fieldkit_server  # noqa: F401  (its catalogues join the device's)
from fieldkit.config import LANGUAGES
from fieldkit.i18n import catalogue, set_language, t

ROOT = Path(__file__).resolve().parents[1]
PLACEHOLDER = re.compile(r"\{(\w*)\}|%\((\w+)\)[sr]|%[sr]")


def test_every_key_is_in_both_languages():
    zh, en = catalogue("zh"), catalogue("en")
    assert sorted(set(en) - set(zh)) == [], "missing in zh"
    assert sorted(set(zh) - set(en)) == [], "missing in en"


def test_placeholders_match_between_languages():
    zh, en = catalogue("zh"), catalogue("en")
    for key in en:
        assert sorted(PLACEHOLDER.findall(en[key])) == sorted(PLACEHOLDER.findall(zh[key])), key


def test_no_message_is_empty_or_untranslated():
    zh, en = catalogue("zh"), catalogue("en")
    for key in en:
        assert en[key].strip() and zh[key].strip(), key


KEY_USE = re.compile(r"""\bt\(\s*["']([a-z_]+(?:\.[a-z0-9_]+)+)["']""")


def test_every_key_used_in_code_exists():
    known = set(catalogue("en"))
    used = set()
    for path in [*(ROOT / "fieldkit").rglob("*.py"), *(ROOT / "sync").rglob("*.py")]:
        used.update(KEY_USE.findall(path.read_text("utf-8")))
    assert sorted(used - known) == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_t_fills_parameters(lang):
    assert "42" in t("cli.bad_lang", lang, value="42")


def test_current_language_switches():
    set_language("zh")
    assert t("cli.interrupted") == "已中断。"
    set_language("en")
    assert t("cli.interrupted") == "Interrupted."
    assert t("cli.interrupted", "zh") == "已中断。"  # a language asked for, whatever is set


def test_every_target_kind_has_a_name():
    from fieldkit.model.values import TARGET_KINDS

    for lang in LANGUAGES:
        names = catalogue(lang)
        assert [k for k in TARGET_KINDS if f"ui.target.{k}" not in names] == [], lang


def test_every_singular_form_has_its_plural_and_counts_read_right():
    from fieldkit.i18n import catalogue, plural

    for lang in ("zh", "en"):
        keys = catalogue(lang)
        orphans = [
            k
            for k in keys
            if k.endswith("_one") and k.removesuffix("_one") not in keys and ".argparse." not in k
        ]
        assert not orphans, (lang, orphans)
    assert plural("ui.finish.done", 1, "en") == "Submitted. 1 case raised."
    assert plural("ui.finish.done", 3, "en") == "Submitted. 3 cases raised."
    assert "1" in plural("ui.finish.done", 1, "zh")
    assert plural("checklists.words.duration.h", 1, "en", n=1) == "1 hour"
    assert "(s)" not in "".join(plural(k, 1, "en") for k in ("qr.cli.decoded", "store.export.done"))


def test_a_user_error_with_a_count_reads_in_the_singular():
    from fieldkit.i18n import UserError

    assert UserError("services.run.missing", count=1).message("en") == (
        "1 required item is not answered yet."
    )
    assert "2 required items" in UserError("services.run.missing", count=2).message("en")


def test_command_palette_lines_start_with_a_capital_in_english():
    """ctrl+p lists each command with a line saying what it does: a sentence, as the
    others in the list are."""
    en = catalogue("en")
    lines = {key: text for key, text in en.items()
             if re.search(r"cmd(\.|_)(\w+_)?help$", key)}  # fmt: skip
    assert len(lines) >= 10, sorted(lines)
    assert [key for key, text in lines.items() if not text[:1].isupper()] == []


# -- catalogue files read by the key's file (issue 17: the first screen reads only its own) --


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_key_reads_its_own_file_and_no_other(lang):
    from fieldkit.i18n import Catalogue

    fresh = Catalogue(lang)
    assert fresh["cases.dispute.no_who"] == catalogue(lang)["cases.dispute.no_who"]
    assert set(fresh._files) == {"cases"}
    assert "cases.no.such.key" not in fresh
    assert "nosuchfile.key" not in fresh
    assert set(fresh._files) == {"cases", "nosuchfile"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_key_read_alone_says_what_the_whole_catalogue_says(lang):
    """Each file's keys asked of a catalogue that has read nothing yet (aliases, the
    server's own files that share a stem with the device's) read as in the whole one."""
    from fieldkit.i18n import Catalogue

    whole = dict(Catalogue(lang))
    assert any(key.startswith("ui.severity.") for key in whole)  # aliases are in it
    assert any(key.startswith("console.") for key in whole)  # and the server's files
    by_file: dict[str, dict[str, str]] = {}
    for key, text in whole.items():
        by_file.setdefault(key.partition(".")[0], {})[key] = text
    for messages in by_file.values():
        fresh = Catalogue(lang)
        assert {key: fresh.get(key) for key in messages} == messages


def test_a_language_switch_reads_the_other_language_s_file(monkeypatch):
    from fieldkit import i18n

    monkeypatch.setattr(i18n, "catalogue", i18n.cache(i18n.Catalogue))
    i18n.set_language("zh")
    try:
        assert i18n.t("ui.severity.critical") == "紧急"  # an alias, from words.toml
        assert i18n.t("cli.interrupted") == "已中断。"
        assert set(i18n.catalogue("zh")._files) == {"ui", "words", "cli"}
        assert "cli" not in i18n.catalogue("en")._files
        i18n.set_language("en")
        assert i18n.t("cli.interrupted") == "Interrupted."
        assert i18n.t("ui.severity.critical") == "critical"
    finally:
        i18n.set_language("en")


def test_a_missing_key_falls_back_to_english_then_to_the_key(caplog):
    import logging

    from fieldkit import i18n

    # on the module's own logger: an earlier test in this process may have set up the app's
    # logging, which stops fieldkit's records reaching the root logger caplog listens on
    logger = logging.getLogger(i18n.log.name)
    logger.addHandler(caplog.handler)
    try:
        assert t("cases.no.such.key", "zh") == "cases.no.such.key"
    finally:
        logger.removeHandler(caplog.handler)
    assert "missing message cases.no.such.key in zh" in caplog.text
