"""fxlang.wasm: build, encode, read and print WebAssembly modules (WasmFX: GC, EH, stack switching, barrier).

    module.py   Module and its section builders + the function-body builder (the API codegen writes against)
    opcodes.py  the one opcode table (encoding, reading, printing)
    leb128.py   LEB128 integers
    encode.py   encode(module) -> bytes
    read.py     read(data) -> Module           (raises ReadError with a byte offset)
    wat.py      disassemble(data) -> str, print_module(module) -> str
"""

from .module import *  # noqa: F401,F403  (the builder API is this package's API)
from .module import __all__ as _module_all
from .encode import encode

__all__ = list(_module_all) + ['encode']
