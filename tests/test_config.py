from pathlib import Path

import pytest

from fieldkit.config import (
    ConfigError,
    config_path,
    data_dir,
    language_from_environment,
    load_config,
    normalise_language,
)


def test_env_overrides_folders(tmp_path, monkeypatch):
    monkeypatch.setenv("FIELDKIT_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.setenv("FIELDKIT_CONFIG", str(tmp_path / "c.toml"))
    assert data_dir() == tmp_path / "d"
    assert config_path() == tmp_path / "c.toml"


def test_missing_config_gives_defaults():
    cfg = load_config()
    assert cfg.language is None and cfg.theme == "default"


def test_config_values_are_read(tmp_path):
    p = tmp_path / "config.toml"
    p.write_text('language = "zh-CN"\ntheme = "high-contrast"\nserver_url = "http://x"\n')
    cfg = load_config(p)
    assert (cfg.language, cfg.theme, cfg.server_url) == ("zh", "high-contrast", "http://x")
    assert cfg.scan_prefix == ""
    p.write_text('scan_prefix = "ctrl+b"\n')
    assert load_config(p).scan_prefix == "ctrl+b"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("language = ", "cli.config.syntax"),
        ('colour = "red"', "cli.config.unknown_key"),
        ('language = "fr"', "cli.config.bad_language"),
        ('theme = "neon"', "cli.config.bad_theme"),
        ("language = 3", "cli.config.not_text"),
        ('scan_prefix = "ctrl+q"', "cli.config.bad_scan_prefix"),  # the app's quit key
        ('scan_prefix = "ctrl+m"', "cli.config.bad_scan_prefix"),  # a terminal's Enter
        ("scan_prefix = 2", "cli.config.not_text"),
    ],
)
def test_bad_config_is_a_clear_error(tmp_path, text, key):
    p = tmp_path / "config.toml"
    p.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_config(p)
    assert info.value.key == key


def test_unreadable_config(tmp_path):
    p: Path = tmp_path / "config.toml"
    p.mkdir()
    with pytest.raises(ConfigError) as info:
        load_config(p)
    assert info.value.key == "cli.config.unreadable"


@pytest.mark.parametrize(
    ("env", "lang"),
    [
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "C"}, "en"),
        ({}, "en"),
        ({"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US"}, "zh"),
        ({"LANGUAGE": "fr:zh_CN"}, "zh"),
    ],
)
def test_language_from_environment(env, lang):
    assert language_from_environment(env) == lang


def test_normalise_language():
    assert normalise_language("zh_CN.UTF-8") == "zh"
    assert normalise_language("EN") == "en"
    assert normalise_language("de") is None
