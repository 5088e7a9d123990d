"""One vocabulary for the office server, the enrolment code, enrolling and revoking, in the
device app, both command lines and the docs: the words are defined once in ``words.toml``
(``words.sync.*``); every message that names one of these things uses that word, and none
uses another name for it (an IT newcomer met 办公室服务器 / 物业中心服务器 and 登记码 / 接入码
for the same things)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import fieldkit_server  # noqa: F401 - its catalogues join the device's
from fieldkit.i18n import catalogue, t

ROOT = Path(__file__).resolve().parents[2]

#: Other names people used for the same things: none may appear.
OTHER_NAMES = {
    "zh": ["物业中心", "中心服务器", "同步服务器", "接入码", "接入本机", "重新接入", "激活码",
           "注册码", "授权码", "吊销", "禁用设备", "注销设备", "一次性码"],
    "en": ["enrollment", "access code", "one-time code", "activation code", "registration code",
           "central server", "sync server", "deactivate", "property centre", "property center"],
}  # fmt: skip

#: Messages that name the office server (server), the code, enrolling or revoking, and the
#: words of ``words.sync`` each must use.
NAMED = {
    "sync.cli.enroll_help": ["server"],
    "sync.cli.code_help": ["code"],
    "sync.cli.not_enrolled": ["enrol", "code"],
    "sync.cli.sync_help": ["server"],
    "sync.cli.offline": ["server"],
    "sync.refused.device_revoked": ["revoked", "code"],
    "sync.refused.token_invalid": ["server", "code"],
    "services.sync.not_enrolled": ["server", "code"],
    "services.sync.offline": ["server"],
    "ui.cmd.sync_help": ["server"],
    "ui.sync.revoked": ["revoked", "code"],
    "trust.enrol.offline": ["server"],
    "attachments.offline": ["server"],
    "demo.cli.starting": ["server"],
    "server.cli.description": ["server"],
    "server.cli.enroll_help": ["code"],
    "server.cli.revoke_help": ["revoke"],
    "server.cli.revoked": ["revoked"],
    "server.cli.state_revoked": ["revoked"],
    "server.errors.device_revoked": ["revoked", "code"],
    "server.errors.code_invalid": ["code"],
    "server.errors.token_invalid": ["server", "code"],
}


def words(lang: str) -> dict[str, str]:
    return {key.split(".")[-1]: text for key, text in catalogue(lang).items()
            if key.startswith("words.sync.")}  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_words_are_defined_once_and_named_messages_use_them(lang):
    mine = words(lang)
    assert set(mine) == {"server", "code", "enrol", "enrolled", "revoke", "revoked"}
    for key, wanted in NAMED.items():
        text = t(key, lang).lower()
        for name in wanted:
            assert mine[name].lower() in text, (lang, key, name, text)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_message_of_either_package_uses_another_name(lang):
    found = [
        (key, other)
        for key, text in catalogue(lang).items()
        for other in OTHER_NAMES[lang]
        if other in text.lower()
    ]
    assert found == []


def test_the_docs_use_the_same_words():
    mine = words("en")
    for path in [
        ROOT / "README.md",
        ROOT / "sync" / "README.md",
        *sorted((ROOT / "docs").glob("*.md")),
    ]:
        text = path.read_text("utf-8").lower()
        others = [o for o in OTHER_NAMES["en"] if re.search(rf"\b{re.escape(o)}", text)]
        assert others == [], path
    sync_doc = (ROOT / "docs" / "sync.md").read_text("utf-8").lower()
    for name in ("server", "code", "enrol", "revoke"):
        assert mine[name] in sync_doc, name
