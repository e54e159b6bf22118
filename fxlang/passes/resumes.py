"""What the passes that build `resume` drivers (lower-switch, lower-barrier) share.

    tag_type(m, tag) -> FuncType           the type of a tag, imported or defined
    keep_out_of_liftoff(m) -> [Instr]      the dead `cont.new` a function calling a driver starts with

V8 (node 26) aborts compiling a `resume` with handler clauses next to an instruction that may trap, also
after inlining the driver into its caller; a function holding a WasmFX instruction is not compiled by Liftoff,
so TurboFan compiles it without call feedback and never inlines the driver into it (docs/codegen.md, "Engine
constraints"; codegen's own drivers do the same, fxlang/codegen/control/handlers.py keep_out_of_liftoff).
"""

from __future__ import annotations

import operator

from fxlang.wasm import Instr, Module
from fxlang.wasm.types import FuncType


def tag_type(m: Module, tag) -> FuncType:
    i = operator.index(tag)
    imported = m.imports.of_kind('tag')
    return m.types.func_type(imported[i].desc if i < len(imported) else m.tags.entries[i - len(imported)].type)


def keep_out_of_liftoff(m: Module) -> list:
    """`i32.const 0  if  ref.null $ft  cont.new (cont $ft)  drop  end`, $ft = (func): never runs."""
    ft = m.types.func([], [])
    return [Instr('i32.const', (0,)), Instr('if', (None,)), Instr('ref.null', (ft,)),
            Instr('cont.new', (m.types.cont(ft),)), Instr('drop', ()), Instr('end', ())]
