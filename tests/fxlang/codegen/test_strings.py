"""Strings: literals and escapes, concatenation, comparison, str(x), print/println, UTF-8, long output."""


def test_escapes_and_utf8(run):
    src = r"""
    fn main() {
        println("tab\there \"quoted\" back\\slash");
        println("héllo wörld ✓");
        println(len("héllo"));
        print("no newline");
        print("\n");
    }"""
    assert run(src) == 'tab\there "quoted" back\\slash\nhéllo wörld ✓\n6\nno newline\n'


def test_concatenation_and_str_conversions(run):
    src = """
    fn main() {
        let s = "a" + "b" + "" + "c";
        println(s + str(len(s)));
        println(str(0) + " " + str(-9223372036854775807 - 1) + " " + str(9223372036854775807));
        println(str(true) + "/" + str(false));
        println(str(2.5) + " " + str(100.0) + " " + str(1e100) + " " + str(0.0001));
        println(str("same"));
    }"""
    assert run(src) == ("abc3\n0 -9223372036854775808 9223372036854775807\ntrue/false\n"
                        "2.5 100.0 1e+100 0.0001\nsame\n")


def test_print_of_each_printable_type(run):
    src = """
    fn main() { print(1); print(" "); print(2.0); print(" "); print(true); println(); println(42); }"""
    assert run(src) == "1 2.0 true\n42\n"


def test_string_equality_and_ordering(run):
    src = """
    fn main() {
        let a = "apple";
        println(a == "app" + "le");
        println(a != "apple");
        println("abc" < "abd");
        println("ab" < "abc");
        println("abc" <= "abc");
        println("b" > "abc");
        println("" < "a");
        println("é" > "z");
        println("x" >= "y");
    }"""
    assert run(src) == "true\nfalse\ntrue\ntrue\ntrue\ntrue\ntrue\ntrue\nfalse\n"


def test_long_output_crosses_scratch_chunks(run):
    src = """
    fn main() {
        let mut s = "";
        let mut i = 0;
        while i < 1500 { s = s + "abcdefgh"; i += 1; }
        println(len(s));
        println(s);
    }"""
    out = run(src)
    assert out == "12000\n" + "abcdefgh" * 1500 + "\n"


def test_strings_in_arrays_and_building(run):
    src = """
    fn join(parts: [str], sep: str) -> str {
        let mut out = "";
        let mut i = 0;
        while i < len(parts) {
            if i > 0 { out = out + sep; }
            out = out + parts[i];
            i += 1;
        }
        out
    }
    fn main() {
        let words = ["fx", "to", "wasm"];
        push(words, "fx!");
        println(join(words, ", "));
    }"""
    assert run(src) == "fx, to, wasm, fx!\n"


def test_byte_slice_chr(run):
    src = """
    fn main() {
        let s = "héllo";
        println(byte(s, 0)); println(byte(s, 1)); println(byte(s, 2));
        println(slice(s, 1, 3) + "|" + slice(s, 0, 0) + "|" + slice(s, 3, 6));
        println(chr(65) + chr(233) + chr(8364) + chr(128512));
        println(len(chr(128512)));
        let mut out = "";
        let mut i = len(s) - 1;
        while i >= 0 { if byte(s, i) < 128 { out = out + slice(s, i, i + 1); } i -= 1; }
        println(out);
    }"""
    assert run(src) == "104\n195\n169\né||llo\nAé€😀\n4\nollh\n"


import pytest  # noqa: E402


@pytest.mark.parametrize("expr", ['byte("abc", 3)', 'byte("abc", -1)', 'slice("abc", 2, 1)', 'slice("abc", 0, 4)',
                                  'slice("abc", -1, 2)'])
def test_string_builtins_trap_out_of_range(run_trap, expr):
    out, err = run_trap(f'fn main() {{ println("x"); let v = {expr}; println("after"); }}')
    assert out == "x\n" and "out of bounds" in err


@pytest.mark.parametrize("expr", ["chr(55296)", "chr(1114112)", "chr(-1)"])
def test_chr_of_a_non_scalar_value_panics_with_a_message(run_trap, tmp_path, expr):
    from .test_vm import run_vm
    src = f'fn main() {{ println("x"); let v = chr({expr[4:-1]}); println("after"); }}'
    out, err = run_trap(src)
    assert out == "x\n" and err.startswith("fxc: trap: chr: not a Unicode scalar value at ")
    assert err.endswith("/prog.fx:1:35 (in fn main)\n")        # the chr helper's caller
    vm_out, trap = run_vm(src, tmp_path)
    assert vm_out == "x\n" and str(trap) == "chr: not a Unicode scalar value"
