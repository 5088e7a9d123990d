"""docs/sync.md, the boundary half: every number is the code's. Each number with a unit
is written beside the constant it comes from (`limits.MAX_DEPTH`, in the same table row,
bullet or paragraph, in the same order); this test reads both and compares them, and
fails on a number written without its constant. The nginx snippet's sizes and timeouts
are checked against the limits they must clear."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "sync.md"
MODULES = {
    "limits": "fieldkit.sync.limits",
    "protocol": "fieldkit.sync.protocol",
    "stamps": "fieldkit.sync.stamps",
    "client": "fieldkit.sync.client",
    "enrol_failures": "fieldkit_server.enrol_failures",
    "uploads": "fieldkit_server.uploads",
    "gate": "fieldkit_server.limits",
}
MIB = 1024 * 1024
#: unit -> (kind, factor to the kind's base: bytes, seconds, or a plain count)
UNITS = {
    "KiB": ("bytes", 1024),
    "MiB": ("bytes", MIB),
    "MB": ("bytes", MIB),
    "minutes": ("seconds", 60),
    "seconds": ("seconds", 1),
    "s": ("seconds", 1),
    **dict.fromkeys(
        ("levels", "characters", "keys", "items", "operations", "changes", "failures"),
        ("count", 1),
    ),
}
NUMBER = re.compile(r"(?<![\w.:-])(\d[\d,]*)\s+(" + "|".join(UNITS) + r")\b(?!\()")
CONSTANT = re.compile(r"`(" + "|".join(MODULES) + r")\.([A-Z][A-Z0-9_]*)`")


def boundary() -> str:
    text = DOC.read_text("utf-8")
    start = text.index("## The boundary")
    return text[start : text.index("\n## ", start + 1)]


def units_of_text(section: str) -> list[str]:
    """Table rows, bullets and paragraphs, outside code blocks."""
    prose = re.sub(r"```.*?```", "\n\n", section, flags=re.DOTALL)
    units: list[str] = []
    for block in re.split(r"\n\s*\n", prose):
        for line in block.splitlines():
            if line.startswith(("|", "- ")) or not units or units[-1].startswith("|"):
                units.append(line)
            else:
                units[-1] += " " + line.strip()
        units.append("")
    return [u for u in units if u.strip()]


def in_base_units(module: str, name: str) -> tuple[str, float]:
    value = getattr(importlib.import_module(MODULES[module]), name)
    if name.endswith("_BYTES"):
        return "bytes", value
    if name.endswith("_MB"):
        return "bytes", value * MIB
    if name.endswith("_MS"):
        return "seconds", value / 1000
    if name.endswith(("_S", "TIMEOUT")):
        return "seconds", value
    return "count", value


def test_every_number_of_the_boundary_half_is_the_codes():
    pairs = 0
    for unit in units_of_text(boundary()):
        numbers = NUMBER.findall(unit)
        constants = CONSTANT.findall(unit)
        assert len(numbers) == len(constants), f"a number without its constant: {unit!r}"
        for (number, word), (module, name) in zip(numbers, constants, strict=True):
            kind, factor = UNITS[word]
            assert (kind, int(number.replace(",", "")) * factor) == in_base_units(module, name), (
                f"{number} {word} is not {module}.{name}: {unit!r}"
            )
            pairs += 1
    assert pairs >= 20, pairs  # the tables and the prose were read


def test_the_nginx_snippet_clears_the_servers_limits():
    from fieldkit.sync import client, protocol

    snippet = re.search(r"```nginx\n(.*?)```", boundary(), re.DOTALL).group(1)

    def setting(name: str) -> str:
        return re.search(rf"^\s*{name}\s+([^;]+);", snippet, re.MULTILINE).group(1)

    body = setting("client_max_body_size")
    assert body.endswith("m") and int(body[:-1]) * MIB > protocol.MAX_ATTACHMENT_BYTES
    assert setting("proxy_request_buffering") == "off"
    assert setting("proxy_set_header X-Forwarded-For") == "$remote_addr"
    for name in ("proxy_read_timeout", "proxy_send_timeout"):
        assert int(setting(name).rstrip("s")) > client.READ_TIMEOUT, name
    assert int(setting("proxy_connect_timeout").rstrip("s")) >= client.CONNECT_TIMEOUT


def test_a_number_that_is_not_the_codes_is_caught():
    wrong = "| nesting of one record | 33 levels | `limits.MAX_DEPTH` | `record_too_deep` |"
    [(number, word)] = NUMBER.findall(wrong)
    [(module, name)] = CONSTANT.findall(wrong)
    kind, factor = UNITS[word]
    assert (kind, int(number) * factor) != in_base_units(module, name)
    assert NUMBER.findall("a 200 MB body") and not CONSTANT.findall("a 200 MB body")
