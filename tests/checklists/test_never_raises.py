"""The loader returns diagnostics for anything at all; it never raises."""

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldkit.checklists import evaluate_run, expand, load_text
from fieldkit.checklists.expressions import ExprError, parse

from .helpers import GOOD

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

KEYS = st.sampled_from(
    [
        "id", "version", "title", "applies_to", "every", "sections", "items", "type", "label",
        "zh", "en", "options", "on_fail", "severity", "department", "due", "show_if",
        "required_if", "range", "expect", "repeat", "where", "for_each", "fails", "x",
    ]
)  # fmt: skip
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 10),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["check", "number", "choice", "pass", "a == 1", "x in y", "4h", "asset:x"]),
)
STRUCTURES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(KEYS, st.text(max_size=5)), inner, max_size=5),
    ),
    max_leaves=30,
)


def assert_clean(result):
    assert isinstance(result.diagnostics, tuple)
    for d in result.diagnostics:
        assert d.line >= 1 and d.column >= 1
        assert d.render("en") and d.render("zh")
    if result.checklist is not None:
        evaluate_run(result.checklist, {}, [{"id": "a", "kind": "extinguisher"}])


@FAST
@given(st.text(max_size=400))
def test_any_text(text):
    assert_clean(load_text(text))


@FAST
@given(st.binary(max_size=300))
def test_any_bytes(data):
    assert_clean(load_text(data))


@FAST
@given(STRUCTURES)
def test_any_yaml_structure(data):
    assert_clean(load_text(yaml.safe_dump(data, allow_unicode=True)))


@FAST
@given(st.dictionaries(KEYS, STRUCTURES, max_size=8))
def test_any_top_level_mapping(data):
    assert_clean(load_text(yaml.safe_dump(data, allow_unicode=True)))


@FAST
@given(st.data())
def test_edits_of_a_good_checklist(data):
    lines = GOOD.splitlines()
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["drop", "dup", "cut", "insert"]))
        line = lines[i]
        if action == "drop":
            del lines[i]
        elif action == "dup":
            lines.insert(i, line)
        elif action == "cut":
            j = data.draw(st.integers(0, max(len(line), 0)))
            lines[i] = line[:j]
        else:
            j = data.draw(st.integers(0, len(line)))
            lines[i] = line[:j] + data.draw(st.text(max_size=6)) + line[j:]
        if not lines:
            break
    result = load_text("\n".join(lines))
    assert_clean(result)
    if result.checklist is not None:
        expand(result.checklist, [{"id": 1, "kind": "extinguisher", "floor": 2}])


@FAST
@given(st.text(max_size=120))
def test_expressions_parse_or_say_why(text):
    try:
        parse(text)
    except ExprError as exc:
        assert 0 <= exc.offset <= len(text)


@pytest.mark.soak
@settings(max_examples=5000, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_soak_edits_of_a_good_checklist(data):
    test_edits_of_a_good_checklist.hypothesis.inner_test(data)
