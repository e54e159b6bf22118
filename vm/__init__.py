"""vm: the bundled WasmFX virtual machine.

Public API (the only names `fxlang/cli.py` and the tests may use):

    module = vm.decode(data)            # bytes -> Module;            raises DecodeError(msg, offset)
    vm.validate(module)                 # None;                       raises ValidationError
    inst = vm.instantiate(module, imports=None, *, fuel=None, trace=None, stats=False)
                                        # -> Instance;                raises LinkError, Trap
    inst.exports.main(*args)            # call an exported function (also inst.exports["main"])
    inst.exports.memory                 # exported Memory / Table / Global / Tag objects

`imports` maps module name -> field name -> value: a Python callable for a function import, or a
Memory/Table/Global/Tag/exported function taken from another instance. Values crossing the API:
i32/i64 as signed Python ints, f32/f64 as Python floats, null references as None.

Errors live in vm.errors and are re-exported here. Nothing in this package imports fxlang.

Details of the implementation's side of the contract:
    * An exported function returns None (no results), the value (one result) or a tuple.
    * A host function receives API values and returns None / a value / a sequence of values.
    * Traps raise Trap (or a subclass: Exhaustion "call stack exhausted", OutOfFuel "out of fuel",
      UnhandledSuspension "unhandled tag $t", BarrierTrap "suspension across barrier") with
      `.msg` and `.func_name` ("$name" from the name section, else "func[N]"); an exception that
      escapes to the host raises WasmException(tag, payload).
    * Memory(min_pages, max_pages=None): `.data` is the byte buffer (an mmap committed lazily; a
      bytearray while empty), `.read(addr, n)`, `.write(addr, b)`,
      `.size()`, `.grow(delta)`. Table(elem_type, min, max=None, init=None): `.elems`, `.size()`,
      `.grow(delta, init)`. Global(type, mutable=False, value=0): `.get()`, `.set(v)` (API values;
      `.value` is the internal one). Tag(FuncType(params, results), name=None): compared by identity.
      Types here are 'i32' 'i64' 'f32' 'f64' or vm.syntax.RefType (e.g. vm.syntax.FUNCREF).
    * fuel=N: each function entry and loop iteration costs 1, a tail call 5 more (it takes about as
      long as six iterations); below 0 the call traps "out of fuel".
      `inst.fuel[0]` is the fuel left.
    * trace=callable receives one line per cont.new/cont.bind/resume/resume_throw/suspend/switch;
      stats=True makes `inst.stats()` return counts per continuation instruction, the peak number of
      live continuations and the peak call depth.
"""

from .errors import (VMError, DecodeError, ValidationError, LinkError, Trap, Exhaustion, OutOfFuel,
                     UnhandledSuspension, BarrierTrap, WasmException, Frame, printable)
from .binary import decode
from .api import validate, instantiate
from .runtime.memory import Memory
from .runtime.table import Table
from .runtime.entities import Global, Tag, Func
from .runtime.instance import Instance, Exports

__all__ = ['decode', 'validate', 'instantiate', 'Instance', 'Exports', 'Memory', 'Table', 'Global',
           'Tag', 'Func', 'VMError', 'DecodeError', 'ValidationError', 'LinkError', 'Trap',
           'Exhaustion', 'OutOfFuel', 'UnhandledSuspension', 'BarrierTrap', 'WasmException', 'Frame',
           'printable']
