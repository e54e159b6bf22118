"""Instructions and the function-body builder.

An instruction is `Instr(op, imms, loc)`: `op` a key of opcodes.OPS, `imms` its immediates in binary order,
`loc` the source location it was generated from (a diagnostics.Span, or None); the encoder writes the locations
into the source map (srcmap.py), and passes that rebuild an instruction keep them with `ins._replace(imms=...)`.
`Function` is a defined function and its own builder: `emit()` checks each instruction against the opcode
table and stamps it with the builder's current `loc`, `local()` declares locals, the block helpers hand out
`Label`s that `emit` turns into relative depths.  `fx_name` is the source-level name the source map gives the
function (None for runtime helpers).
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from . import opcodes
from .types import ABSTRACT_HEAPS, RefType, WasmBuildError, valtype

if TYPE_CHECKING:
    from .module import Module


@dataclass(frozen=True)
class MemArg:
    align: int                 # log2 of the alignment
    offset: int = 0
    mem: int = 0


@dataclass(frozen=True)
class FloatBits:
    """An exact float constant given by its bit pattern (keeps NaN payloads intact)."""
    bits: int
    width: int                 # 32 or 64


class Instr(NamedTuple):
    op: str                    # key in opcodes.OPS
    imms: tuple = ()
    loc: object = None         # source location (a Span) for the source map; not part of the encoding

    # an instruction is its op and immediates: equal instructions from different places are equal (and
    # equal to the plain (op, imms) pair)
    def __eq__(self, other):
        return isinstance(other, tuple) and self[:2] == other[:2]

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash(self[:2])


class Label:
    """A branch target handed out by a block helper; `emit('br', label)` turns it into a relative depth.
    Used as a context manager, leaving the `with` block emits the block's `end`."""

    def __init__(self, body: Function, level: int):
        self.body, self.level = body, level

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *_):
        if exc_type is None:
            self.body.end()


def to_expr(code) -> list[Instr]:
    """A constant expression from a list of Instr / (op, *imms) tuples / a single such tuple."""
    if code is None:
        return None
    if isinstance(code, tuple) and code and isinstance(code[0], str):
        code = [code]
    out = []
    for ins in code:
        if isinstance(ins, Instr):
            out.append(ins)
        else:
            op, *imms = ins
            out.append(_check(op, tuple(imms)))
    return out


# The immediate kinds of each op without the `castflags` marker; the ops whose immediates need no
# normalisation, by their count (the fast path of `_check`, which runs once per emitted instruction); the ops
# whose immediates hold labels that `emit` turns into depths.
_KINDS = {name: tuple(k for k in op.kinds if k != 'castflags') for name, op in opcodes.OPS.items()}
_NEEDS_WORK = {'bt', 'heap', 'reftype', 'valtypes', 'memarg'}
_PLAIN = {name: len(kinds) for name, kinds in _KINDS.items()
          if not _NEEDS_WORK.intersection(kinds) and name not in ('ref.test', 'ref.cast', 'select')}
_LABELLED = frozenset(name for name, kinds in _KINDS.items()
                      if 'label' in kinds or 'labels' in kinds or kinds[-1:] in (('catches',), ('handlers',)))


def _check(op: str, imms: tuple, loc=None) -> Instr:
    """Normalise the conveniences listed in the module docstring and check arity against the table."""
    if _PLAIN.get(op, -1) == len(imms):
        return Instr(op, imms, loc)
    if op in ('ref.test', 'ref.cast') and len(imms) == 1 and isinstance(imms[0], RefType):
        op = op + '_null' if imms[0].nullable else op
        imms = (imms[0].heap,)
    elif op == 'select' and len(imms) == 1:
        op = 'select_t'
    kinds = _KINDS.get(op)
    if kinds is None:
        raise WasmBuildError(f'unknown instruction {op!r}')
    if kinds == ('memarg',):
        if not imms:
            imms = (MemArg(opcodes.NATURAL_ALIGN[op]),)
        elif not isinstance(imms[0], MemArg):
            imms = (MemArg(opcodes.NATURAL_ALIGN[op], operator.index(imms[0])),)
    if len(imms) != len(kinds):
        raise WasmBuildError(f'{op} takes {len(kinds)} immediate(s) ({" ".join(kinds) or "none"}), '
                             f'got {len(imms)}')
    fixed = []
    for kind, imm in zip(kinds, imms):
        if kind == 'bt':
            imm = None if imm is None else (imm if isinstance(imm, int) else valtype(imm))
        elif kind == 'heap':
            imm = imm if isinstance(imm, str) else operator.index(imm)
            if isinstance(imm, str) and imm not in ABSTRACT_HEAPS:
                raise WasmBuildError(f'unknown heap type {imm!r}')
        elif kind == 'reftype':
            imm = valtype(imm)
        elif kind == 'valtypes':
            imm = tuple(valtype(t) for t in imm)
        fixed.append(imm)
    return Instr(op, tuple(fixed), loc)


class Function:
    """A defined function: its type index, declared locals and body.  It is its own index handle and
    its own body builder (`emit`, `local`, the block helpers)."""

    def __init__(self, module: Module, pos: int, type: int):
        self.module, self.pos, self.type = module, pos, operator.index(type)
        self.locals: list = []           # declared locals (params not included)
        self.body: list[Instr] = []      # without the final `end`
        # the reader's (count, type) runs when the binary grouped locals non-canonically; used by the
        # encoder only while they still spell `locals`
        self.local_runs: list | None = None
        self._depth = 0                  # open blocks
        self.loc = None                  # the source location stamped on emitted instructions
        self.fx_name: str | None = None  # the source-level name, for the source map

    # -- index handle
    def __index__(self) -> int:
        return self.module.imports.count('func') + self.pos

    __int__ = __index__

    def __repr__(self):
        return f'<func {self.__index__()}>'

    @property
    def params(self) -> tuple:
        return self.module.types.func_type(self.type).params

    @property
    def results(self) -> tuple:
        return self.module.types.func_type(self.type).results

    # -- locals
    def local(self, type, name: str | None = None) -> int:
        idx = len(self.params) + len(self.locals)
        self.locals.append(valtype(type))
        if name is not None:
            self.module.names.locals.setdefault(self, {})[idx] = name
        return idx

    def name_param(self, idx: int, name: str) -> None:
        self.module.names.locals.setdefault(self, {})[idx] = name

    # -- instructions
    def emit(self, op: str, *imms) -> None:
        ins = _check(op, imms, self.loc)
        name = ins.op
        # Labels are resolved in the context outside a block: before a block opens (try_table's catch
        # clauses) and after it closes (legacy `delegate`, whose label counts from outside the `try`).
        if name in opcodes.END_OPS:
            if self._depth == 0:
                raise WasmBuildError(f'{name} without an open block (the function\'s end is implicit)')
            self._depth -= 1
        if name in _LABELLED:
            ins = Instr(name, tuple(self._resolve(k, v) for k, v in zip(_KINDS[name], ins.imms)), ins.loc)
        if name in opcodes.BLOCK_OPS:
            self._depth += 1
        self.body.append(ins)

    def _label(self, lbl) -> int:
        if isinstance(lbl, Label):
            if lbl.body is not self or lbl.level > self._depth:
                raise WasmBuildError('branch to a label that is not in scope')
            return self._depth - lbl.level
        return operator.index(lbl)

    def _resolve(self, kind: str, imm):
        if kind == 'label':
            return self._label(imm)
        if kind == 'labels':
            return tuple(self._label(l) for l in imm)
        if kind in ('catches', 'handlers'):
            # try_table's catch labels are resolved in the context *outside* the try_table block (spec:
            # the clauses are checked under C, the body under C with the new label); the block is not
            # open yet when they are resolved here, so no adjustment is needed
            return tuple(self._clause(c) for c in imm)
        return imm

    def _clause(self, c) -> tuple:
        c = tuple(c)
        if c[0] == 'on' and len(c) == 3 and c[2] == 'switch':     # the text format's spelling
            return ('switch', c[1])
        if c[0] in ('catch', 'catch_ref', 'on') and len(c) == 3:
            return (c[0], c[1], self._label(c[2]))
        if c[0] in ('catch_all', 'catch_all_ref') and len(c) == 2:
            return (c[0], self._label(c[1]))
        if c[0] == 'switch' and len(c) == 2:
            return c
        raise WasmBuildError(f'malformed clause {c!r}')

    def function_label(self) -> Label:
        """The label of the function body itself (branching to it returns)."""
        return Label(self, 0)

    def _open(self, op: str, *imms) -> Label:
        self.emit(op, *imms)
        return Label(self, self._depth)

    def block(self, bt=None) -> Label:
        return self._open('block', bt)

    def loop(self, bt=None) -> Label:
        return self._open('loop', bt)

    def if_(self, bt=None) -> Label:
        return self._open('if', bt)

    def else_(self) -> None:
        self.emit('else')

    def barrier(self, bt=None) -> Label:
        return self._open('barrier', bt)

    def try_table(self, bt=None, catches=()) -> Label:
        return self._open('try_table', bt, catches)

    def end(self) -> None:
        self.emit('end')
