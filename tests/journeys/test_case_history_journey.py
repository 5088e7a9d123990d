"""The desk looks back through every case on a device with months of history, in a real
terminal (tmux), in zh and en.

The compound's history was archived by month; the months were written by a fieldkit from
before they carried their case index, so the first list of every status indexes them once
(a line says which month it is at) and then shows the page. A search for an old case's
number finds it among all of them, and it opens from its month (its record read from its
bytes) as finished. Every later list reads the months' indexes as they are now on disk."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid

import orjson
import pytest

from fieldkit.services.demo import generate
from fieldkit.store import Store
from fieldkit.store import months as month_files
from tests.terminal import Pane

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

CASES = 2000

WORDS = {
    "en": {
        "home": "Unfinished cases",
        "open": "Status: unfinished",
        "every": "Status: any",
        "pick": "2  Any",
        "count": f"1–50 of {CASES} (] or PgDn for the next page)",
        "finding": "Search: #{ref}",
        "one": "1–1 of 1",
        "final": "nothing more to do on it",
    },
    "zh": {
        "home": "未完结工单",
        "open": "状态：未完结",
        "every": "状态：全部",
        "pick": "2  全部",
        "count": f"第 1–50 条，共 {CASES} 条（按 ] 或 PgDn 翻到下一页）",
        "finding": "查找：#{ref}",
        "one": "第 1–1 条，共 1 条",
        "final": "，不再流转。",
    },
}


def as_before_the_index(data) -> list[str]:
    """Write the months as an older fieldkit did (no case index, no table of contents)."""
    months = sorted((data / "archive").glob("*.json"))
    for path in months:
        whole = orjson.loads(path.read_bytes())
        kept = {k: v for k, v in whole.items() if k not in month_files.EXTRA_KEYS}
        path.write_bytes(orjson.dumps(kept))
    return [p.stem for p in months]


def an_old_case(data) -> dict:
    """A closed case from the oldest month but one, as stored."""
    month = sorted((data / "archive").glob("*.json"))[1]
    cases = orjson.loads(month.read_bytes())["case"]
    return next(c for c in cases.values() if c["status"] == "closed")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_desk_finds_an_old_case_among_every_case_on_the_device(tmp_path, lang):
    words = WORDS[lang]
    data = tmp_path / "compound"
    generate(data, cases=CASES, floors=2)
    old = an_old_case(data)
    months = as_before_the_index(data)
    assert len(months) > 3
    ref = old["id"][-6:]
    titles = old.get("titles") or (old.get("extra") or {}).get("titles") or {}
    title = titles.get(lang) or old["title"]  # as the list names it in this language
    socket = f"history17-{uuid.uuid4().hex[:8]}"
    env = {"FIELDKIT_DATA_DIR": str(data), "FIELDKIT_CONFIG": str(tmp_path / "none.toml"),
           "LANG": "en_US.UTF-8", "TERM": "xterm-256color"}  # fmt: skip
    command = " ".join(f"{k}={v}" for k, v in env.items())
    command += f" {sys.executable} -m fieldkit --lang {lang} app"
    subprocess.run(
        ["tmux", "-L", socket, "new-session", "-d", "-s", "desk", "-x", "120", "-y", "40",
         command],
        check=True, env={**os.environ, **env},
    )  # fmt: skip
    pane = Pane("desk", socket)
    try:
        pane.wait_for(words["home"])
        pane.keys("c")
        pane.wait_for(words["open"])
        pane.keys("o")  # the statuses to pick from; 2: every status, the history, indexed once
        pane.wait_for(words["pick"])
        pane.keys("2")
        screen = pane.wait_for(words["count"])
        assert words["every"] in screen
        top = screen.splitlines()[3]  # the first row: a case still to do, not an archived one
        assert old["id"][-6:] not in top
        pane.keys("/")
        pane.typed(f"#{ref}")
        screen = pane.wait_for(words["one"])
        assert words["finding"].format(ref=ref) in screen
        lines = screen.splitlines()
        at = next(n for n, line in enumerate(lines) if line.strip().startswith(ref))
        row = lines[at]
        # a long title wraps in its column: its last words are on the row's next line
        said = row.split() + lines[at + 1].split()
        assert title in row or all(w in said for w in title.split()), (row, lines[at + 1])
        pane.keys("Enter")
        screen = pane.wait_for(words["final"])
        assert f"#{ref}" in screen and title in screen
        pane.keys("Escape", "Escape")
        pane.wait_for(words["home"])
        pane.keys("C-q")
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)

    with Store.open(data, readonly=True) as store:
        assert store.months_without_index() == []  # indexed once, kept on disk
        for month in months:
            path = data / "archive" / f"{month}.json"
            assert month_files.check(path) == (True, True)
        assert store.get_case(old["id"]).status == "closed"
