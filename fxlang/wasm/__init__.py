"""fxlang.wasm: build, encode, read and print WebAssembly modules (WasmFX: GC, EH, stack switching, barrier).

    module.py   Module and its section builders (the API codegen writes against; contract in its docstring)
    types.py    value/reference/composite types, rec groups, the type section (interned by structure)
    body.py     Instr and the function-body builder (emit, locals, block helpers with Labels)
    names.py    the name section
    opcodes.py  the one opcode table (encoding, reading, printing)
    leb128.py   LEB128 integers
    encode.py   encode(module) -> bytes
    read.py     read(data) -> Module           (raises ReadError(message, offset), a ValueError)
    wat.py      disassemble(data) -> str, print_module(module) -> str
    stats.py    instruction_counts(data) for `fxc build --stats`

Nothing here imports the VM; the VM has its own decoder and opcode table.
"""

from .module import *  # noqa: F401,F403  (the builder API is this package's API)
from .module import __all__ as _module_all
from .encode import encode

__all__ = list(_module_all) + ['encode']
