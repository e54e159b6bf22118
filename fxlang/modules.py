"""Module loading: the main .fx file and everything it imports -> ast.Program.

    load_program(path) -> ast.Program        raises diagnostics.FxError

Import resolution: `import std.gen;` reads `stdlib/gen.fx` (the standard library, written in fx, beside the
fxlang package); any other `import a.b;` reads `a/b.fx` relative to the importing file's folder (`import util;`
is the sibling `util.fx`).  Each file is loaded once however often it is imported.  An import cycle is an
error at the import that closes it, naming the whole cycle.  Program.modules lists imports before importers
(depth-first post-order), the main module last.

The prelude (`prelude.fx` in the standard library folder) is loaded first of all as module "std.prelude";
the checker makes its declarations visible in every module (after the module's own and imported names), so
it needs no import.
"""

from __future__ import annotations

import os

from fxlang.diagnostics import FxError, Span
from fxlang.syntax import ast, parse

# The standard library folder: $FXLANG_STDLIB when set, else stdlib/ beside the fxlang package (the repo root).
BUNDLED_STDLIB_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "stdlib")
STDLIB_DIR = os.environ.get("FXLANG_STDLIB") or BUNDLED_STDLIB_DIR


PRELUDE_FILE = "prelude.fx"
PRELUDE_MODULE = "std.prelude"


def load_program(path: str, stdlib_dir: str | None = None) -> ast.Program:
    """Parse `path` and, transitively, every module it imports."""
    return _Loader(stdlib_dir or STDLIB_DIR).load(os.fspath(path))


def load_source(source: str, filename: str = "<input>", stdlib_dir: str | None = None) -> ast.Program:
    """Like load_program for a main module given as text (imports resolve relative to `filename`'s folder)."""
    loader = _Loader(stdlib_dir or STDLIB_DIR)
    return loader.load(os.fspath(filename), source)


class _Loader:
    def __init__(self, stdlib_dir: str):
        self.stdlib_dir = stdlib_dir
        self.done: dict[str, ast.Module] = {}        # real path -> module
        self.order: list[ast.Module] = []
        self.active: list[tuple[str, str]] = []      # (real path, module name) of files being loaded
        self.names: set[str] = set()

    def load(self, path: str, source: str | None = None) -> ast.Program:
        prelude = os.path.join(self.stdlib_dir, PRELUDE_FILE)
        if not os.path.isfile(prelude):     # a standard library folder without its own prelude
            prelude = os.path.join(BUNDLED_STDLIB_DIR, PRELUDE_FILE)
        if os.path.isfile(prelude) and os.path.realpath(prelude) != os.path.realpath(path):
            self._load_file(prelude, PRELUDE_MODULE, None)
        main = self._load_file(path, "main", None, source)
        return ast.Program(self.order, main)

    def _read(self, path: str, at: Span | None) -> str:
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            raise FxError(f"cannot read file '{path}': {e.strerror or e}", at) from None
        try:
            return data.decode("utf-8-sig")   # a leading byte-order mark is not part of the program
        except UnicodeDecodeError as e:
            raise FxError(f"file '{path}' is not valid UTF-8 (byte offset {e.start})", at) from None

    def _load_file(self, path: str, name: str, at: Span | None, source: str | None = None) -> ast.Module:
        real = os.path.realpath(path)
        if real in self.done:
            return self.done[real]
        for i, (p, _) in enumerate(self.active):
            if p == real:
                cycle = [n for _, n in self.active[i:]] + [name]
                raise FxError("import cycle: " + " -> ".join(cycle), at)
        text = self._read(path, at) if source is None else source
        module = parse(text, self._shown(path), self._unique(name))
        self.active.append((real, name))
        for imp in module.imports:
            imp.module = self._load_import(imp, path)
        self.active.pop()
        self.done[real] = module
        self.order.append(module)
        return module

    def _shown(self, path: str) -> str:
        """The file name diagnostics and the source map give a file: `std/gen.fx` for the standard library's
        (the same on every machine, so binaries do not carry where fxlang is installed), else `path`."""
        real = os.path.realpath(path)
        for root in (self.stdlib_dir, BUNDLED_STDLIB_DIR):
            rel = os.path.relpath(real, os.path.realpath(root))
            if not rel.startswith(os.pardir + os.sep) and rel != os.pardir and not os.path.isabs(rel):
                return "std/" + rel.replace(os.sep, "/")
        return path

    def _unique(self, name: str) -> str:
        base, n = name, 1
        while name in self.names:
            n += 1
            name = f"{base}{n}"
        self.names.add(name)
        return name

    def _load_import(self, imp: ast.Import, importer: str) -> ast.Module:
        name = ".".join(imp.path)
        if imp.path[0] == "std":
            if len(imp.path) < 2:
                raise FxError("expected a module name after 'std.' (e.g. 'import std.gen;')", imp.span)
            candidate = os.path.join(self.stdlib_dir, *imp.path[1:]) + ".fx"
        else:
            candidate = os.path.join(os.path.dirname(os.path.abspath(importer)), *imp.path) + ".fx"
        if not os.path.isfile(candidate):
            raise FxError(f"cannot find module '{name}' (looked for {candidate})", imp.span)
        return self._load_file(candidate, name, imp.span)
