"""Module loading: std and sibling imports, loading order, sharing, cycles and missing files."""

import os

import pytest

from fxlang.diagnostics import FxError
from fxlang.modules import load_program, load_source


def write(root, rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    return path


def test_std_and_sibling_imports_in_dependency_order(tmp_path):
    std = tmp_path / "std"
    app = tmp_path / "app"
    write(std, "gen.fx", "fn gen_helper() -> int { 1 }\n")
    write(app, "util.fx", "import std.gen;\nfn twice(x: int) -> int { x * 2 }\n")
    write(app, "pkg/deep.fx", "import std.gen;\nfn deep() {}\n")
    main = write(app, "main.fx", "import util;\nimport pkg.deep;\nimport std.gen;\nfn main() {}\n")
    prog = load_program(main, stdlib_dir=str(std))
    assert [m.name for m in prog.modules] == ["std.prelude", "std.gen", "util", "pkg.deep", "main"]
    assert prog.main is prog.modules[-1]
    gen = prog.modules[1]
    # std.gen is loaded once and shared by every importer
    assert all(i.module is gen for m in prog.modules for i in m.imports if i.path == ["std", "gen"])


def test_missing_module(tmp_path):
    main = write(tmp_path, "main.fx", "fn main() {}\nimport nope;\n")
    with pytest.raises(FxError) as info:
        load_program(main)
    assert info.value.message.startswith("cannot find module 'nope'")
    assert (info.value.span.line, info.value.span.col) == (2, 1)


def test_import_cycle_names_the_cycle(tmp_path):
    write(tmp_path, "a.fx", "import b;\n")
    write(tmp_path, "b.fx", "\nimport a;\n")
    main = write(tmp_path, "main.fx", "import a;\nfn main() {}\n")
    with pytest.raises(FxError) as info:
        load_program(main)
    e = info.value
    assert e.message == "import cycle: a -> b -> a"
    assert e.span.file.endswith("b.fx") and e.span.line == 2


def test_missing_main_file_and_bad_encoding(tmp_path):
    with pytest.raises(FxError) as info:
        load_program(str(tmp_path / "absent.fx"))
    assert "cannot read file" in info.value.message
    bad = tmp_path / "bad.fx"
    bad.write_bytes(b"fn main() { \xff }")
    with pytest.raises(FxError) as info:
        load_program(str(bad))
    assert "not valid UTF-8" in info.value.message


def test_syntax_error_in_imported_module_has_its_location(tmp_path):
    write(tmp_path, "lib.fx", "fn f( {}\n")
    main = write(tmp_path, "main.fx", "import lib;\nfn main() {}\n")
    with pytest.raises(FxError) as info:
        load_program(main)
    assert info.value.span.file.endswith("lib.fx")


def test_load_source(tmp_path):
    write(tmp_path, "lib.fx", "fn f() -> int { 3 }\n")
    prog = load_source("import lib;\nfn main() {}\n", str(tmp_path / "main.fx"))
    assert [m.name for m in prog.modules] == ["std.prelude", "lib", "main"]


def test_byte_order_mark_is_ignored(tmp_path):
    main = tmp_path / "main.fx"
    main.write_bytes(b"\xef\xbb\xbffn main() {}\n")
    prog = load_program(str(main))
    assert prog.main.items[0].name == "main"


def test_prelude_is_loaded_first_even_from_a_stdlib_folder_without_one(tmp_path):
    std = tmp_path / "std"
    write(std, "gen.fx", "fn gen_helper() -> int { 1 }\n")
    main = write(tmp_path, "main.fx", "import std.gen;\nfn main() {}\n")
    prog = load_program(main, stdlib_dir=str(std))
    assert [m.name for m in prog.modules] == ["std.prelude", "std.gen", "main"]
    assert prog.modules[0].file.endswith("prelude.fx")
    assert any(getattr(d, "name", "") == "Option" for d in prog.modules[0].items)
