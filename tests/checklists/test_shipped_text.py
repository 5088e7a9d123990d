"""Chinese text in shipped checklists reads as written: no stray spaces from folded YAML, no
program text (a pair of names printed as a Python tuple once stood before every source)."""

import re

from fieldkit.checklists import load_folder, shipped_dir

CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
STRAY_SPACE = re.compile(rf"{CJK}\s+{CJK}")
PROGRAM_TEXT = re.compile(r"\('[^']*', '|\['|\bNone\b")


def _texts(node):
    if isinstance(node, dict):
        if set(node) == {"zh", "en"} and isinstance(node["zh"], str):
            yield node["zh"]
        else:
            for value in node.values():
                yield from _texts(value)
    elif isinstance(node, list):
        for value in node:
            yield from _texts(value)


def test_no_space_between_chinese_characters():
    results = load_folder(shipped_dir())
    assert results
    bad = []
    for result in results:
        assert result.checklist is not None, result.path
        bad += [
            (result.path, t) for t in _texts(result.checklist.to_dict()) if STRAY_SPACE.search(t)
        ]
    assert bad == []


def test_no_program_text_in_chinese():
    bad = []
    for result in load_folder(shipped_dir()):
        bad += [(result.path, t) for t in _texts(result.checklist.to_dict())
                if PROGRAM_TEXT.search(t)]  # fmt: skip
    assert bad == []
