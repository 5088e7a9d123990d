"""A scanned label resolves to its unit, asset or checkpoint; anything else gets a clear
sentence and changes nothing."""

from __future__ import annotations

import hashlib

import pytest

from fieldkit.i18n import set_language
from fieldkit.model.qr import check_char, encode
from fieldkit.services.labels import LabelIndex


def fingerprint(folder):
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*.json"))
    }


def test_every_label_resolves_to_its_record(workspace):
    index = LabelIndex.load(workspace.store)
    counts = {
        kind: len(workspace.store.reference(kind)) for kind in ("unit", "asset", "checkpoint")
    }
    assert index.skipped == []
    assert {k: sum(1 for lb in index.labels if lb.kind == k) for k in counts} == counts
    for label in index.labels:
        found = workspace.lookup_scan(label.payload)
        assert found.status == "found", label
        assert found.target.id == label.id
        assert found.target.code.upper() == label.code
    flat = workspace.lookup_scan("fk1:u:ch:2-1-201:" + check_char("FK1:U:CH:2-1-201").lower())
    assert flat.target.kind == "unit" and flat.target.code == "2-1-201"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_bad_scans_say_what_to_do_and_change_nothing(workspace, compound, lang):
    set_language(lang)
    good = encode("unit", "CH", "3-2-201")
    wrong_check = good[:-1] + ("0" if good[-1] != "0" else "1")
    cases = {
        "misread": wrong_check,
        "other_site": encode("unit", "XY", "3-2-201"),
        "unknown": encode("unit", "CH", "9-9-901"),
        "version": "FK2:U:CH:3-2-201:" + check_char("FK2:U:CH:3-2-201"),
        "junk": "FK1:%%%",
    }
    before = fingerprint(compound)
    outbox = workspace.store.outbox_count()
    messages = {}
    for what, code in cases.items():
        lookup = workspace.lookup_scan(code)
        assert lookup.status in ("unknown", "malformed"), what
        assert lookup.target is None and lookup.message, what
        messages[what] = lookup.message
    assert fingerprint(compound) == before
    assert workspace.store.outbox_count() == outbox
    again = {"zh": "再扫一次", "en": "Scan it again"}[lang]
    assert again in messages["misread"] and again in messages["junk"]
    assert "XY" in messages["other_site"] and "CH" in messages["other_site"]
    assert "9-9-901" in messages["unknown"]
    assert "2" in messages["version"]
    set_language("en")


def test_plain_codes_still_work(workspace):
    assert workspace.lookup_scan("3-2-201").target.code == "3-2-201"
    assert workspace.lookup_scan("fk:EXT-1-1-2").target.code == "EXT-1-1-2"
