"""English says 回访 one way (nc25 read four: call-back, follow-up call, return call,
callback): "call-back" as a noun, "call back" as a verb — in the catalogs the desk and the
office console read, and in the docs about them. A visit owed to a resident (上门回访) is a
visit, its own kind of case."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = [*sorted((ROOT / "fieldkit/i18n/catalog/en").glob("*.toml")),
            ROOT / "sync/fieldkit_server/catalog/en/console.toml"]  # fmt: skip
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
#: Other spellings of the call-back: one of them back in what a person reads fails here.
OTHERS = re.compile(
    r"\bcall-?backs?\b(?<!call-back)(?<!call-backs)|\bfollow[- ]?up (?:phone )?calls?\b"
    r"|\breturn(?:ed)? calls?\b|\bfollow[- ]?up visits?\b|\bphone[- ]?backs?\b",
    re.IGNORECASE,
)
CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)


def _strings(node, path=""):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, f"{path}.{key}" if path else key)
    elif isinstance(node, str):
        yield path, node


def test_the_catalogs_say_call_back_one_way():
    found = [
        f"{file.name}:{key}: {text}"
        for file in CATALOGS
        for key, text in _strings(tomllib.loads(file.read_text(encoding="utf-8")))
        if OTHERS.search(text)
    ]
    assert not found, "\n".join(found)


def test_the_docs_say_call_back_one_way():
    """Prose only: a module named ``callback`` in a code span is code, not a word."""
    found = [
        f"{doc.name}: {match.group(0)}"
        for doc in DOCS
        for match in OTHERS.finditer(CODE.sub("", doc.read_text(encoding="utf-8")))
    ]
    assert not found, "\n".join(found)


def test_each_english_line_for_a_call_back_says_call_back():
    """Every English string whose Chinese says 回访 says call-back (or call back), or visit
    for the visit owed to a resident."""
    zh_dir = ROOT / "fieldkit/i18n/catalog/zh"
    missing = []
    for file in sorted(zh_dir.glob("*.toml")):
        zh = dict(_strings(tomllib.loads(file.read_text(encoding="utf-8"))))
        en_file = ROOT / "fieldkit/i18n/catalog/en" / file.name
        en = dict(_strings(tomllib.loads(en_file.read_text(encoding="utf-8"))))
        for key, text in zh.items():
            said = en.get(key, "").lower()
            if "回访" in text and not any(w in said for w in ("call-back", "call back", "visit")):
                missing.append(f"{file.stem}.{key}: {en.get(key)}")
    assert not missing, "\n".join(missing)


def test_the_rule_catches_each_other_spelling():
    for wrong in ("the callback", "a Callback", "follow-up call", "return call",
                  "Follow-up visit", "callbacks"):  # fmt: skip
        assert OTHERS.search(wrong), wrong
    for right in ("the call-back", "call-backs", "call the owner back", "call back"):
        assert not OTHERS.search(right), right
