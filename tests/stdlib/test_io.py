"""std.io (stdlib/io.fx) over WASI: standard input by line and whole, arguments, files under preopened
directories, IOError for what cannot be done, exit codes; the same bytes on our VM and on node; lines(path)
reads lazily (counted at the WASI level on the VM)."""
from __future__ import annotations

import io
import subprocess
import sys

import pytest

from fxlang import driver
from tests.e2e.conftest import ROOT, node  # noqa: F401
from tests.stdlib.conftest import engine_options, ENGINES

PROGRAM = r"""
import std.io;
fn main() {
    let a = args();
    println("argv: " + str(len(a)) + " " + a[0] + " " + a[1]);
    print(read_file("data/in.txt"));
    write_file("data/out.txt", "first\n");
    append_file("data/out.txt", "second\n");
    for l in lines("data/out.txt") { println("line: " + l); }
    let bad = try { read_file("data/../secret.txt") } catch IOError(m) { "IOError: " + m };
    println(bad);
    let missing = try { read_file("data/none.txt") } catch IOError(m) { "IOError: " + m };
    println(missing);
    let outside = try { write_file("elsewhere/x.txt", "x"); "written" } catch IOError(m) { "IOError: " + m };
    println(outside);
    match read_line() { Some(l) => println("stdin line: [" + l + "]"), None => println("no line") }
    match read_line() { Some(l) => println("stdin line: [" + l + "]"), None => println("no line") }
    println("rest: [" + read_all() + "]");
    match read_line() { Some(l) => println("stdin line: [" + l + "]"), None => println("no line") }
    eprintln("to stderr");
    exit(4);
}
"""

EXPECTED = """argv: 2 prog.fx arg one
input file
line: first
line: second
IOError: data/../secret.txt: not permitted (outside every --dir)
IOError: data/none.txt: no such file or directory
IOError: elsewhere/x.txt: not under any preopened directory (fxc run --dir)
stdin line: [alpha]
stdin line: []
rest: [beta
gamma]
no line
"""


@pytest.mark.parametrize("engine", ENGINES)
def test_io_program(tmp_path, engine, request):
    if engine.startswith("node"):
        request.getfixturevalue("node")
    root = tmp_path / "root"
    (root / "data").mkdir(parents=True)
    (root / "data" / "in.txt").write_text("input file\n")
    (root / "secret.txt").write_text("secret")
    src = tmp_path / "prog.fx"
    src.write_text(PROGRAM)
    r = subprocess.run([sys.executable, "-m", "fxlang.cli", "run", str(src), *engine_options(engine),
                        "--dir", f"{root / 'data'}::data", "--", "arg one"],
                       input=b"alpha\n\nbeta\ngamma", capture_output=True, timeout=120, cwd=ROOT)
    assert (r.stdout.decode(), r.stderr.decode(), r.returncode) == (EXPECTED, "to stderr\n", 4)
    assert (root / "data" / "out.txt").read_text() == "first\nsecond\n"
    assert not (tmp_path / "elsewhere").exists()


LAZY = r"""
import std.io;
fn main() {
    for l in lines("big/big.txt") { println("first: " + l); break; }
    let mut n = 0;
    for l in lines("big/big.txt") { n += 1; }
    println(str(n) + " lines");
}
"""


def test_lines_reads_as_the_pipeline_pulls(tmp_path):
    """Leaving the first loop after one line reads the file once (4096 bytes); the second loop reads it all."""
    import vm
    from vm import wasi
    big = tmp_path / "big"
    big.mkdir()
    (big / "big.txt").write_text("".join(f"line {i}\n" for i in range(20000)))     # ~190 KB
    data = driver.compile_source(LAZY, tmp_path / "lazy.fx").wasm
    module = vm.decode(data)
    out = io.BytesIO()
    host = wasi.Wasi(["lazy.wasm"], stdout=out, preopens=[(big, "big")])
    imports = host.imports(module)
    events: list[str] = []
    calls = imports[wasi.MODULE]
    real_read, real_open = calls["fd_read"], calls["path_open"]

    def fd_read(fd, *rest):
        events.append("read" if fd > 2 else "stdin")
        return real_read(fd, *rest)

    def path_open(*args):
        events.append("open")
        return real_open(*args)
    calls["fd_read"], calls["path_open"] = fd_read, path_open
    try:
        assert host.run(vm.instantiate(module, imports)) == 0
    finally:
        host.close()
    assert out.getvalue().decode() == "first: line 0\n20000 lines\n"
    first, second = "".join(e[0] for e in events).split("o")[1:]
    assert first == "r"                      # one chunk, then the loop left: no more reads
    assert len(second) > 40                  # the whole file, 4096 bytes at a time
