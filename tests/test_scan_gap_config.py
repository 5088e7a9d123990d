"""The scanner key gap: a typed setting in config.toml, overridden by FIELDKIT_SCAN_GAP_MS."""

from __future__ import annotations

import pytest

from fieldkit.config import SCAN_GAP_DEFAULT_MS, ConfigError, load_config
from fieldkit.i18n import t


def test_default_file_value_and_environment(tmp_path, monkeypatch):
    monkeypatch.delenv("FIELDKIT_SCAN_GAP_MS", raising=False)
    path = tmp_path / "config.toml"
    assert load_config(path).scan_gap_ms == SCAN_GAP_DEFAULT_MS  # no file
    path.write_text("scan_gap_ms = 0\n")
    assert load_config(path).scan_gap_ms == 0
    monkeypatch.setenv("FIELDKIT_SCAN_GAP_MS", "12")
    assert load_config(path).scan_gap_ms == 12
    assert load_config(tmp_path / "none.toml").scan_gap_ms == 12


@pytest.mark.parametrize("text", ['scan_gap_ms = "25"', "scan_gap_ms = -1",
                                  "scan_gap_ms = 2.5", "scan_gap_ms = 900",
                                  "scan_gap_ms = true"])  # fmt: skip
def test_a_bad_value_is_a_sentence(tmp_path, monkeypatch, text):
    monkeypatch.delenv("FIELDKIT_SCAN_GAP_MS", raising=False)
    path = tmp_path / "config.toml"
    path.write_text(text + "\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.key == "cli.config.bad_scan_gap"
    assert "scan_gap_ms" in t(info.value.key, **info.value.params)


def test_a_bad_environment_value_names_the_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("FIELDKIT_SCAN_GAP_MS", "fast")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "config.toml")
    assert info.value.params["path"] == "FIELDKIT_SCAN_GAP_MS"
