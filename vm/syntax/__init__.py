"""The WasmFX data model: types (vm.syntax.types) and modules/instructions (vm.syntax.module).

The docstrings of those two modules are the contract between decoder, validator and executor.
"""

from .types import *  # noqa: F401,F403
from .types import (RefType, FieldType, FuncType, StructType, ArrayType, ContType, SubType, RecGroup,
                    Limits, TableType, MemoryType, GlobalType, TagType, type_name, is_num, is_vec, is_ref)
from .module import (Instr, MemArg, Catch, Handler, Import, Export, Func, Table, Memory, Global, Tag,
                     Elem, Data, Custom, Names, Module)
