"""Exhaustiveness of match: witnesses for what is missing, guards, nesting, recursive enums."""

import pytest

from fxlang.check import check
from fxlang.diagnostics import FxError
from fxlang.modules import load_source

HEADER = """
enum Opt { Some(int), None }
enum Pair { P(bool, Opt) }
enum List { Cons(int, List), Nil }
"""


def missing(arms: str, scrutinee_type: str) -> str | None:
    src = HEADER + f"fn f(v: {scrutinee_type}) -> int {{ match v {{ {arms} }} }}\nfn main() {{}}\n"
    try:
        check(load_source(src, "m.fx"))
    except FxError as e:
        msgs = [x.message for x in getattr(e, "errors", [e])]
        assert len(msgs) == 1, msgs
        return msgs[0]
    return None


@pytest.mark.parametrize("arms, ty", [
    ("Some(x) => x, None => 0", "Opt"),
    ("_ => 0", "Opt"),
    ("x => 0", "int"),
    ("true => 1, false => 0", "bool"),
    ("P(true, _) => 1, P(false, Some(_)) => 2, P(false, None) => 3", "Pair"),
    ("Cons(_, Cons(_, _)) => 2, Cons(_, Nil) => 1, Nil => 0", "List"),
    ("Nil => 0, Cons(x, rest) => x", "List"),
    ('"a" => 1, _ => 0', "str"),
])
def test_exhaustive(arms, ty):
    assert missing(arms, ty) is None


@pytest.mark.parametrize("arms, ty, witness", [
    ("Some(x) => x", "Opt", "None"),
    ("None => 0", "Opt", "Some(_)"),
    ("Some(1) => 1, None => 0", "Opt", "Some(_)"),
    ("true => 1", "bool", "false"),
    ("P(true, _) => 1, P(false, None) => 3", "Pair", "P(false, Some(_))"),
    ("Cons(_, Nil) => 1, Nil => 0", "List", "Cons(_, Cons(_, _))"),
    ("Some(x) if x > 0 => x, None => 0", "Opt", "Some(_)"),
])
def test_missing_pattern(arms, ty, witness):
    assert missing(arms, ty) == f"non-exhaustive match: pattern '{witness}' is not covered"


def test_infinite_types_need_a_catch_all():
    assert missing("0 => 1, 1 => 2", "int") == \
        "non-exhaustive match: not all values of type int are covered; add a '_' arm"
    assert missing('"x" => 1', "str") == \
        "non-exhaustive match: not all values of type str are covered; add a '_' arm"


def test_empty_enum_needs_no_arms_but_others_do():
    src = "enum Void {}\nfn absurd(v: Void) -> int { match v {} }\nfn main() {}\n"
    check(load_source(src, "v.fx"))
    assert missing("", "Opt") == "non-exhaustive match: not all values of type Opt are covered; add a '_' arm"
