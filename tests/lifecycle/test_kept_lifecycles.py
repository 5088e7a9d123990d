"""The case lifecycles kept beside the data (``case-lifecycles.json``): a start reads them
instead of the YAML file (issue 17), and any copy that is missing, read from another file
or another version of it, or damaged is read from the file again, kept again atomically,
and said by ``fieldkit doctor``."""

from __future__ import annotations

import os

import orjson
import pytest

from fieldkit.cli import main
from fieldkit.services import lifecycle
from fieldkit.services.demo import generate
from fieldkit.services.workspace import Workspace
from fieldkit.store import Store


@pytest.fixture
def folder(tmp_path, monkeypatch):
    data = tmp_path / "data"
    Store.open(data).close()
    monkeypatch.setenv("FIELDKIT_DATA_DIR", str(data))
    lifecycle._cache.clear()  # each test reads as a fresh start of the app does
    lifecycle._kept_in.clear()
    yield data
    lifecycle._cache.clear()
    lifecycle._kept_in.clear()


MARKS_ZH = ("[已修复]", "[正常]")


def kept(folder):
    return orjson.loads((folder / lifecycle.KEPT_FILE).read_bytes())


def fresh_use(folder):
    """``use`` as a new process makes it: nothing read yet."""
    lifecycle._cache.clear()
    lifecycle._kept_in.clear()
    return lifecycle.use(folder)


def stamp_of(folder):
    """The stamp of the lifecycle file in use (not the kept copy's own: that always agrees)."""
    path = lifecycle.lifecycle_path(folder)
    return lifecycle._stamp(path, path.read_bytes())


def refuse_parsing(monkeypatch):
    def refuse(path, data):
        raise AssertionError("the lifecycle file was parsed again")

    monkeypatch.setattr(lifecycle, "_parse", refuse)


def office_copy(folder, received="收到了", en="Taken"):
    text = lifecycle.SHIPPED.read_text("utf-8")
    text = text.replace("{id: received, label: {zh: 已受理, en: Received}}",
                        f"{{id: received, label: {{zh: {received}, en: {en}}}}}")  # fmt: skip
    assert received in text
    (folder / lifecycle.FILE_NAME).write_text(text, "utf-8")


def test_a_start_reads_the_kept_copy_and_reads_as_the_file_does(folder, monkeypatch):
    from_file = lifecycle.load()  # the shipped file, parsed
    fresh_use(folder)
    first = kept(folder)
    assert first["source"] == str(lifecycle.SHIPPED) and first["format"] == lifecycle.KEPT_FORMAT
    refuse_parsing(monkeypatch)
    from_kept = fresh_use(folder)
    assert from_kept == from_file  # every state, move, role, need, category and due time
    complaint = from_kept.kinds["complaint"]
    assert complaint.label("received", "zh") == "已受理"
    assert complaint.next_states("received", "desk") == ("registered", "cancelled")
    assert kept(folder) == first  # read, not written again


def test_an_office_copy_replaces_the_kept_one_and_its_edits_show(folder, monkeypatch):
    fresh_use(folder)
    office_copy(folder)
    found = fresh_use(folder)  # another file in use: read from it, kept anew
    assert found.kinds["complaint"].label("received", "zh") == "收到了"
    assert kept(folder)["source"] == str(folder / lifecycle.FILE_NAME)
    st = (folder / lifecycle.FILE_NAME).stat()
    office_copy(folder, received="已接单", en="Began")  # the office edits its copy...
    os.utime(folder / lifecycle.FILE_NAME, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (folder / lifecycle.FILE_NAME).stat().st_size == st.st_size  # ...size and mtime alike
    found = fresh_use(folder)  # another version of the same file: read again
    assert found.kinds["complaint"].label("received", "en") == "Began"
    refuse_parsing(monkeypatch)
    assert fresh_use(folder).kinds["complaint"].label("received", "zh") == "已接单"


def test_a_wrong_office_copy_is_refused_not_hidden_by_the_kept_one(folder):
    fresh_use(folder)
    (folder / lifecycle.FILE_NAME).write_text("version: 1\nkinds:\n  complaint: [", "utf-8")
    with pytest.raises(lifecycle.LifecycleFileError):
        fresh_use(folder)
    assert kept(folder)["source"] == str(lifecycle.SHIPPED)  # nothing kept for it


def test_the_file_in_use_going_wrong_under_a_running_app_keeps_its_last_good_reading(folder):
    """nc15: the lifecycle file changed under a running desk (an upgrade); the move said so,
    then the next status label read the file again on the screen's thread and the app ended
    in a traceback. The screens keep naming states as the last good reading did."""
    office_copy(folder, received="已接单", en="Began")
    fresh_use(folder)
    (folder / lifecycle.FILE_NAME).write_text("version: 1\nkinds:\n  complaint: [", "utf-8")
    with pytest.raises(lifecycle.LifecycleFileError):
        lifecycle.use(folder)  # the move's check says so and names the command
    assert lifecycle.status_label("complaint", "received", "zh") == "已接单"  # no re-read


@pytest.mark.parametrize(
    "damage",
    [
        b"{not json",
        b"[]",
        b'{"format": 1}',
        "states as text",
        "a state with no label",
        "a due time of minus one second",
        "a move of four parts",
    ],
)
def test_a_damaged_copy_is_read_from_the_file_and_kept_again(folder, damage):
    expected = fresh_use(folder)
    if isinstance(damage, str):
        broken = kept(folder)
        life = broken["lifecycles"]["repair"]
        if damage == "states as text":
            life["states"] = "received"
        elif damage == "a state with no label":
            life["states"][0] = [life["states"][0][0]]
        elif damage == "a due time of minus one second":
            life["urgency"]["urgent"] = -1
        else:
            life["moves"][0] = life["moves"][0][:4]
        damage = orjson.dumps(broken)
    (folder / lifecycle.KEPT_FILE).write_bytes(damage)
    assert fresh_use(folder) == expected
    assert lifecycle._read_kept(folder, stamp_of(folder))[0] == "ok"  # the file's own stamp


def test_an_interrupted_write_leaves_the_kept_copy_whole(folder, monkeypatch):
    """Kept with ``atomic_write``: a write that fails before its rename leaves the copy
    there was, whole, and no temporary file; the start still has its lifecycles."""
    fresh_use(folder)
    before = (folder / lifecycle.KEPT_FILE).read_bytes()
    office_copy(folder)

    def fail(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("fieldkit.store.atomic.os.replace", fail)
    assert fresh_use(folder).kinds["complaint"].label("received", "zh") == "收到了"
    assert (folder / lifecycle.KEPT_FILE).read_bytes() == before
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) == []


def test_a_folder_only_read_gets_no_copy(tmp_path):
    data = tmp_path / "data"
    generate(data, cases=5)
    (data / lifecycle.KEPT_FILE).unlink(missing_ok=True)
    store = Store.open(data, readonly=True)
    try:
        Workspace(data, store)
    finally:
        store.close()
    assert not (data / lifecycle.KEPT_FILE).exists()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_doctor_says_the_kept_copy_agrees_or_writes_it_again(folder, capsys, lang):
    words = {
        "en": ("agrees with", "was missing; written", "another version of", "could not be read"),
        "zh": ("一致", "原先没有，已按", "另一个版本", "无法读取，已按"),
    }[lang]  # fmt: skip

    def doctor() -> list[str]:
        assert main(["--lang", lang, "doctor"]) == 0
        return [line for line in capsys.readouterr().out.splitlines() if "lifecycles" in line
                or "工单流程" in line]  # fmt: skip

    fixed, ok = {"en": ("[fixed]", "[ok]"), "zh": MARKS_ZH}[lang]
    (line,) = doctor()  # no copy yet: the doctor writes it
    assert line.strip().startswith(fixed) and words[1] in line
    (line,) = doctor()
    assert line.strip().startswith(ok) and words[0] in line and str(lifecycle.SHIPPED) in line
    office_copy(folder)
    (line,) = doctor()
    assert line.strip().startswith(fixed) and words[2] in line
    (line,) = doctor()
    assert line.strip().startswith(ok) and str(folder / lifecycle.FILE_NAME) in line
    (folder / lifecycle.KEPT_FILE).write_bytes(b"\x00garbage")
    (line,) = doctor()
    assert line.strip().startswith(fixed) and words[3] in line
    assert lifecycle._read_kept(folder, stamp_of(folder))[0] == "ok"  # the file's own stamp


def test_doctor_names_a_wrong_lifecycle_file_as_a_problem(folder, capsys):
    (folder / lifecycle.FILE_NAME).write_text("version: 2\nkinds: {}\n", "utf-8")
    assert main(["--lang", "en", "doctor"]) == 1
    out = capsys.readouterr().out
    path = folder / lifecycle.FILE_NAME
    assert f"The lifecycle file {path} has mistakes; run 'fieldkit lifecycle validate" in out
