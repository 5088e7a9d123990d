"""Every QR payload the docs show is one fieldkit reads (a reader who copies one gets what
the doc says), and the worked check-character example in docs/units.md adds up."""

from __future__ import annotations

import re
from pathlib import Path

from fieldkit.model.qr import Payload, check_char, decode

ROOT = Path(__file__).resolve().parents[2]
PAYLOAD = re.compile(r"FK\d:[A-Z]:[0-9A-Z$%*+\-./]+:[0-9A-Z$%*+\-./]+:[0-9A-Z$%*+\-./]")
KINDS = {"U": "unit", "A": "asset", "C": "checkpoint"}


def _docs() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_every_payload_in_the_docs_decodes():
    found = {
        (path.name, text) for path in _docs() for text in PAYLOAD.findall(path.read_text("utf-8"))
    }
    assert found, "the docs show no payload: this test would check nothing"
    for name, text in sorted(found):
        _, kind, site, code, _check = text.split(":")
        assert decode(text) == Payload(KINDS[kind], site, code), f"{name}: {text}"


def test_the_worked_example_is_the_codes_own_sum():
    doc = (ROOT / "docs" / "units.md").read_text("utf-8")
    total, mod, char = re.search(r"= (\d+), and \d+ mod\s+43 = (\d+), which is `(.)`", doc).groups()
    body = "FK1:U:CH:3-2-1502"
    assert int(total) % 43 == int(mod)
    assert check_char(body) == char
    assert f"{body}:{char}" in doc
