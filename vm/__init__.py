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
"""
