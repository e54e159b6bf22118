"""print/println in parts (fxlang/codegen/printing.py): the same bytes as formatting the whole string first, on
node and on our VM, with only the helpers a program needs."""

import subprocess

from .conftest import _wasm_tools, compile_source, run_vm


def test_ints_literals_and_other_strings(both):
    src = """
    fn main() {
        let min = -9223372036854775807 - 1;
        println(min); println(9223372036854775807); println(0); print(-5); print(7); println();
        println("sum = " + str(499999500000));
        print("a" + "b"); print(""); print("c\\n");
        let s = "mid";
        println(s + s + str(min) + s);
        println(str(1) + str(-2) + "|" + str(1.5) + str(true) + "()é");
        println(1.25); println(false); print(3); println("");
    }"""
    assert both(src) == ("-9223372036854775808\n9223372036854775807\n0\n-57\nsum = 499999500000\n"
                         "abc\nmidmid-9223372036854775808mid\n1-2|1.5true()é\n1.25\nfalse\n3\n")


def test_parts_are_all_evaluated_before_anything_is_written(both):
    src = """
    fn f(x: int) -> int { println("f" + str(x)); x }
    fn main() {
        println("x" + str(f(1)) + "-" + str(f(2)) + "!");
        let mut k = 0;
        println(str(k) + str({ k += 1; k }) + str(k));
    }"""
    assert both(src) == "f1\nf2\nx1-2!\n011\n"


def test_a_trapping_part_writes_nothing_of_its_line(run_trap, tmp_path):
    src = 'fn z() -> int { 0 }\nfn main() { println("ok"); println("lost " + str(1 / z())); }'
    out, _ = run_trap(src)
    assert out == "ok\n"
    assert run_vm(compile_source(src, tmp_path / "vm.fx")) == ("ok\n", 1)


def test_literals_longer_than_the_scratch_area(both):
    long = "0123456789" * 500                  # 5000 bytes: more than one fx.write chunk of 4096
    src = f'fn main() {{ println("{long}"); println("<" + "{long}" + str(42)); }}'
    assert both(src) == f"{long}\n<{long}42\n"


def test_only_the_helpers_a_line_needs(tmp_path):
    data = compile_source('fn main() { let n = 41; println("n = " + str(n + 1)); }', tmp_path / "p.fx")
    (tmp_path / "p.wasm").write_bytes(data)
    wat = subprocess.run([_wasm_tools(), "print", str(tmp_path / "p.wasm")], capture_output=True, text=True,
                         check=True).stdout
    assert "(func $print.int" in wat and "(func $print.lit" in wat
    for absent in ("$str.concat", "$int.to_str", "(func $print ", "(func $println"):
        assert absent not in wat, absent
