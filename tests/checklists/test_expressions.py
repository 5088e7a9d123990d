import pytest

from fieldkit.checklists.expressions import (
    BoolOp,
    Compare,
    ExprError,
    Literal,
    Not,
    Ref,
    evaluate,
    parse,
    refs,
    to_source,
)


def test_precedence_not_binds_looser_than_comparison_and_tighter_than_and():
    tree = parse("not a == 1 and b == 2 or c == 3")
    assert isinstance(tree, BoolOp) and tree.op == "or"
    left = tree.operands[0]
    assert isinstance(left, BoolOp) and left.op == "and"
    assert isinstance(left.operands[0], Not) and isinstance(left.operands[0].operand, Compare)


@pytest.mark.parametrize(
    "text",
    [
        "in_place == 'fail' or pressure < 1.0",
        "not (a == 1 or b == 2) and c != 'x'",
        "'cracked' in hose and 'x' not in hose",
        "a in ['x', 'y'] and b not in [1, 2.5, -3]",
        "answered(photo) and not answered(note)",
        "flag == true or flag == false",
        "a <= -1 and a >= -2.5 and a > 0 and a < 10",
    ],
)
def test_canonical_source_round_trips(text):
    tree = parse(text)
    assert parse(to_source(tree)) == tree
    assert to_source(parse(to_source(tree))) == to_source(tree)


def test_whitespace_and_quotes_do_not_change_the_tree():
    assert to_source(parse("a=='x'")) == to_source(parse('a  ==  "x"'))
    assert to_source(parse("a=='x'")) == "a == 'x'"


def test_refs():
    assert refs(parse("a == 1 or (b in ['x'] and answered(c)) or not d == 'y'")) == {
        "a",
        "b",
        "c",
        "d",
    }


@pytest.mark.parametrize(
    ("text", "offset", "key"),
    [
        ("", 0, "empty"),
        ("   ", 0, "empty"),
        ("a = 1", 2, "single_equals"),
        ("a == 1 && b == 2", 7, "use_word"),
        ("a == 1 || b == 2", 7, "use_word"),
        ("!a", 0, "use_word"),
        ("a == 'x", 5, "unclosed_string"),
        ("(a == 1", 7, "missing"),
        ("(a == 1]", 7, "expected"),
        ("a < b < c", 6, "chained"),
        ("a ==", 4, "unexpected_end"),
        ("a == 1 b", 7, "unexpected"),
        ("a == 1x", 5, "bad_number"),
        ("a ? b", 2, "bad_char"),
        ("a == 压力", 5, "bad_char"),
        ("a in [b]", 6, "list_literal"),
        ("a in []", 5, "empty_list"),
        ("a == and", 5, "unexpected"),
        ("__import__('os').system('x')", 16, "bad_char"),
    ],
)
def test_syntax_errors_say_where(text, offset, key):
    with pytest.raises(ExprError) as caught:
        parse(text)
    assert caught.value.offset == offset
    assert caught.value.problem.key == f"checklists.expr.{key}"


def test_nesting_and_length_limits_are_errors_not_crashes():
    for text in (
        "(" * 500 + "a == 1" + ")" * 500,
        "not " * 500 + "a == 1",
        "a == 1 or " * 400 + "b",
    ):
        with pytest.raises(ExprError):
            parse(text)


def answers(**values):
    return lambda name: values.get(name)


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        ("p < 1.0", {"p": 0.5}, True),
        ("p < 1.0", {"p": 1.0}, False),
        ("p <= 1", {"p": 1.0}, True),
        ("p == 2", {"p": 2.0}, True),
        ("p != 2", {}, False),  # unanswered: every comparison is false
        ("not p == 2", {}, True),
        ("c == 'fail'", {"c": "fail"}, True),
        ("c in ['fail', 'na']", {"c": "na"}, True),
        ("c not in ['fail', 'na']", {"c": "pass"}, True),
        ("c not in ['fail', 'na']", {}, False),
        ("'x' in m", {"m": ["x", "y"]}, True),
        ("'z' in m", {"m": ["x", "y"]}, False),
        ("'z' not in m", {"m": []}, True),
        ("answered(p)", {"p": 0}, True),
        ("answered(p)", {}, False),
        ("d >= '2024-01-31'", {"d": "2024-02-01"}, True),
        ("p == 'x' or c == 'fail'", {"p": 3, "c": "fail"}, True),
        ("p < 'x'", {"p": 3}, False),  # mismatched shapes never raise
        ("p == 1 and c == 'a'", {"p": 1, "c": "a"}, True),
        ("p == true", {"p": True}, True),
    ],
)
def test_evaluate(text, values, expected):
    assert evaluate(parse(text), answers(**values)) is expected


def test_evaluate_uses_the_given_answered_check():
    tree = parse("answered(t)")
    assert evaluate(tree, answers(t=""), answered=lambda name: False) is False


def test_literals_are_values_not_code():
    tree = parse("a == '__import__(\"os\")'")
    assert isinstance(tree, Compare) and isinstance(tree.right, Literal)
    assert isinstance(tree.left, Ref)
    assert evaluate(tree, answers(a='__import__("os")')) is True
