"""Diagnostics: rendering with source line and caret, notes, several errors, errors without a location."""

from fxlang.check import check
from fxlang.diagnostics import FxError, FxErrors, Span, raise_all, register_source
from fxlang.modules import load_source

import pytest


def test_render_single_line_span():
    register_source("r.fx", "let x = 1;\nlet yy = foo;\n")
    e = FxError("unknown variable 'foo'", Span("r.fx", 2, 10, 2, 13))
    assert e.render() == ("r.fx:2:10: error: unknown variable 'foo'\n"
                          "    let yy = foo;\n"
                          "             ^~~")


def test_render_keeps_tabs_so_the_caret_lines_up():
    register_source("t.fx", "\tlet\tx = y;\n")
    e = FxError("m", Span("t.fx", 1, 10, 1, 11))
    lines = e.render().splitlines()
    assert lines[1] == "    \tlet\tx = y;"
    assert lines[2] == "    \t   \t    ^"


def test_render_multi_line_span_underlines_to_end_of_first_line():
    register_source("m.fx", "foo(1,\n    2)\n")
    e = FxError("m", Span("m.fx", 1, 1, 2, 7))
    assert e.render().splitlines()[2] == "    ^~~~~~"


def test_notes_and_missing_location():
    register_source("n.fx", "fn f() {}\nfn f() {}\n")
    e = FxError("duplicate definition of 'f'", Span("n.fx", 2, 4, 2, 5), [("first defined here", Span("n.fx", 1, 4, 1, 5)),
                                                                          ("plain note", None)])
    lines = e.render().splitlines()
    assert lines[3] == "n.fx:1:4: note: first defined here"
    assert lines[4] == "    fn f() {}"
    assert lines[6] == "note: plain note"
    assert FxError("cannot read file 'x'").render() == "error: cannot read file 'x'"


def test_several_errors_sorted_and_raise_all():
    a = FxError("second", Span("s.fx", 3, 1, 3, 2))
    b = FxError("first", Span("s.fx", 1, 5, 1, 6))
    raise_all([])
    with pytest.raises(FxError) as one:
        raise_all([a])
    assert one.value is a
    with pytest.raises(FxErrors) as many:
        raise_all([a, b])
    assert [e.message for e in many.value.errors] == ["first", "second"]
    assert str(many.value) == "s.fx:1:5: error: first\ns.fx:3:1: error: second"
    assert many.value.message == "first"


def test_did_you_mean_notes():
    with pytest.raises(FxError) as info:
        check(load_source("fn main() { let count = 1; println(cout); }", "d.fx"))
    assert info.value.message == "unknown variable 'cout'"
    assert info.value.render().splitlines()[-1] == "note: did you mean 'count'?"
    with pytest.raises(FxError) as info:
        check(load_source("fn main() { let xs = [1]; println(xs.len); }", "d.fx"))
    assert "note: builtins are called as functions: len(...)" in info.value.render()
