"""Both command lines alike, as an IT person types them: the options every command takes go
before or after it (``fieldkit-server serve --data DIR``, ``fieldkit sync --lang zh``);
argparse's own words in zh when the language is zh; a list piped into ``head`` ends quietly."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fieldkit_server.cli import main as server_main

ROOT = Path(__file__).resolve().parents[2]
ARGPARSE_ENGLISH = ("usage:", "positional arguments", "options:", "show this help message",
                    "error:", "the following arguments are required", "invalid choice")  # fmt: skip


def leaf_parsers(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """(command path, parser) of every command and subcommand."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from leaf_parsers(sub, (*path, name))


def run(command: str, *args: str, lang: str = "zh", **kwargs) -> subprocess.CompletedProcess:
    module = "fieldkit_server.cli" if command == "fieldkit-server" else "fieldkit"
    env = {**os.environ, "LANG": "zh_CN.UTF-8" if lang == "zh" else "en_US.UTF-8"}
    env.pop("LC_ALL", None)
    return subprocess.run([sys.executable, "-m", module, *args], text=True, env=env, **kwargs)


def test_every_command_of_both_command_lines_takes_lang_and_the_server_its_folder():
    from fieldkit.cli import Context, build_parser
    from fieldkit.config import Config
    from fieldkit_server.cli import _parser

    for path, parser in leaf_parsers(build_parser(Context(Config()))):
        assert "--lang" in parser._option_string_actions, ("fieldkit", *path)
    for path, parser in leaf_parsers(_parser()):
        for option in ("--lang", "--data", "--db"):
            assert option in parser._option_string_actions, ("fieldkit-server", *path, option)


def test_the_servers_options_work_after_the_command(tmp_path, capsys):
    folder = tmp_path / "office"
    assert server_main(["migrate", "--data", str(folder)]) == 0
    assert (folder / "fieldkit-server.sqlite3").is_file()
    assert server_main(["enroll", "--site", "s1", "--role", "patrol", "--name", "笔记本 1",
                        "--no-qr", "--data", str(folder)]) == 0  # fmt: skip
    capsys.readouterr()
    assert server_main(["devices", "--data", str(folder), "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("编号 | 名称") and "笔记本 1" in out
    assert server_main(["--lang", "zh", "devices", "--lang", "en", "--data", str(folder)]) == 0
    assert capsys.readouterr().out.startswith("id | name")  # the one after the command wins


def test_the_servers_help_and_errors_are_chinese_in_chinese(tmp_path):
    for args in (["--help"], ["serve", "--help"], ["report", "trends", "--help"]):
        out = run("fieldkit-server", *args, capture_output=True)
        assert out.returncode == 0, out.stderr
        assert "用法：fieldkit-server" in out.stdout and "显示本帮助并退出" in out.stdout
        assert not [w for w in ARGPARSE_ENGLISH if w in out.stdout], (args, out.stdout)
    for args in (["serve", "--frobnicate"], ["enroll", "--site", "s"], ["import", "flats", "f"],
                 ["devices", "--format", "xml"], []):  # fmt: skip
        out = run("fieldkit-server", "--data", str(tmp_path), *args, capture_output=True)
        assert out.returncode == 2
        assert "fieldkit-server" in out.stderr and "错误：" in out.stderr, out.stderr
        assert not [w for w in ARGPARSE_ENGLISH if w in out.stderr], (args, out.stderr)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_tls_cert_without_its_key_is_said_in_the_users_language(tmp_path, lang):
    cert = tmp_path / "cert.pem"
    cert.write_text("not used")
    out = run("fieldkit-server", "serve", "--data", str(tmp_path / "office"), "--tls-cert",
              str(cert), lang=lang, capture_output=True)  # fmt: skip
    assert out.returncode == 2
    expected = {"zh": "--tls-cert 和 --tls-key 要一起给", "en": "--tls-cert and --tls-key go"}
    assert expected[lang] in out.stderr


def closed_stdout_run(command: str, *args: str, env: dict | None = None):
    """Run with stdout a pipe whose reader has gone (as ``| head -1`` after its line)."""
    read, write = os.pipe()
    os.close(read)
    try:
        module = "fieldkit_server.cli" if command == "fieldkit-server" else "fieldkit"
        return subprocess.run([sys.executable, "-m", module, *args], stdout=write,
                              stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})},
                              timeout=120)  # fmt: skip
    finally:
        os.close(write)


def test_a_list_into_a_closed_pipe_ends_quietly(tmp_path):
    from fieldkit.services import demo_office

    folder = str(tmp_path / "office")
    assert server_main(["migrate", "--data", folder]) == 0
    for name in ("A", "B"):
        assert server_main(["enroll", "--site", "s1", "--role", "patrol", "--name", name,
                            "--no-qr", "--data", folder]) == 0  # fmt: skip
    server_lists = [["devices"], ["devices", "--format", "json"], ["reveals"],
                    ["report", "trends"], ["repair", "--dry-run"]]  # fmt: skip
    for args in server_lists:
        out = closed_stdout_run("fieldkit-server", *args, "--data", folder)
        assert "Traceback" not in out.stderr and "BrokenPipe" not in out.stderr, (args, out)
        assert out.returncode == 0, (args, out.stderr)
    demo = tmp_path / "demo"
    demo_office.make(demo, cases=10, lang="en")
    env = {"FIELDKIT_DATA_DIR": str(demo / "office"), "FIELDKIT_CONFIG": str(tmp_path / "no")}
    device_lists = [
        ["checklist", "validate", str(ROOT / "checklists")],
        ["checklist", "show", str(next((ROOT / "checklists" / "fire").glob("*.yaml")))],
        ["export"],
        ["export", "--format", "csv", "--kind", "case"],
        ["doctor"],
        ["reveals"],
        ["report", "trends"],
        ["report", "handover"],
        ["equipment", "due", "--days", "90"],
        ["lifecycle", "validate"],
        ["--help"],
    ]
    for args in device_lists:
        out = closed_stdout_run("fieldkit", *args, env=env)
        assert "Traceback" not in out.stderr and "BrokenPipe" not in out.stderr, (args, out)
        assert out.returncode in (0, 1), (args, out.stderr)
