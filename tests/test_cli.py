import os
import subprocess
import sys

import pytest

from fieldkit.cli import main


def run(*args, env=None):
    full = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "fieldkit", *args], capture_output=True, text=True, env=full
    )


def test_version():
    out = run("--version")
    assert out.returncode == 0
    assert out.stdout.startswith("fieldkit ")


def test_help_in_english_and_chinese():
    en = run("--help")
    assert en.returncode == 0 and "usage: fieldkit" in en.stdout and "options" in en.stdout
    zh = run("--help", env={"LANG": "zh_CN.UTF-8"})
    assert zh.returncode == 0 and "用法：fieldkit" in zh.stdout and "选项" in zh.stdout
    assert "离线优先" in run("--lang", "zh", "--help").stdout
    headings = [line for line in zh.stdout.splitlines() if line and not line[0].isspace()]
    assert "选项：" in headings and "命令：" in headings  # full-width colons in Chinese
    assert not [line for line in headings if line.endswith(":")], zh.stdout
    assert "options:" in en.stdout.splitlines()


def test_bad_language_is_refused(capsys):
    assert main(["--lang", "fr", "--help"]) == 2
    assert "fr" in capsys.readouterr().err


def test_bad_config_is_reported_not_raised(tmp_path, monkeypatch, capsys):
    cfg = tmp_path / "bad.toml"
    cfg.write_text("language = [")
    monkeypatch.setenv("FIELDKIT_CONFIG", str(cfg))
    assert main(["--version"]) == 2
    assert "not valid TOML" in capsys.readouterr().err


def test_unknown_option_is_localised():
    out = run("--lang", "zh", "--frobnicate")
    assert out.returncode == 2
    assert "无法识别的参数" in out.stderr


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_command_says_what_to_do(lang, capsys):
    assert main(["--lang", lang]) == 2
    assert "fieldkit --help" in capsys.readouterr().err


def test_subcommand_usage_has_one_prefix():
    out = run("checklist", "validate", "--help")
    assert out.returncode == 0
    assert out.stdout.count("usage:") == 1
    zh = run("--lang", "zh", "checklist", "validate", "--help")
    assert zh.stdout.count("用法：") == 1


@pytest.mark.parametrize(
    ("lang", "said"),
    [("zh", "本机还有 1 条记录未发送到办公室"), ("en", "1 change on this device has not reached")],
)
def test_leaving_the_app_says_what_has_not_reached_the_office(tmp_path, capsys, lang, said):
    from fieldkit.cli.app import _say_unsent
    from fieldkit.i18n import set_language
    from fieldkit.model import Target
    from fieldkit.store import Store

    set_language(lang)
    _say_unsent(tmp_path / "none")  # no data folder yet: nothing to say
    with Store.open(tmp_path / "d") as store:
        _say_unsent(tmp_path / "d")  # the folder in use by another: nothing either
        store.create_case("repair", Target("unit", "u1"))
    assert capsys.readouterr().out == ""
    _say_unsent(tmp_path / "d")
    assert said in capsys.readouterr().out
