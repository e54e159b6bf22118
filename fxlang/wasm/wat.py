"""The WAT printer: `disassemble(data) -> str` and `print_module(module) -> str`.

Flat (unfolded) instructions, one per line, indented by block depth (up to MAX_INDENT levels; consecutive
unnamed locals share one `(local ...)`).  Names from the name section become
`$ids` (sanitised to valid WAT identifiers and made unique per index space); unnamed entities are referred to
by index.  For a module without fxlang's `barrier`, `wasm-tools parse` reads the output back into a binary
identical to the input, custom sections aside (the name section is regenerated from the `$ids`, other custom
sections are printed as `(@custom ...)` annotations).  `barrier` prints like a block:
`barrier (result i32) ... end`; no standard tool reads it.

disassemble raises read.ReadError (message + byte offset) for a malformed binary.
"""

from __future__ import annotations

import operator
import re
import struct

from . import opcodes
from .module import (ArrayType, ContType, FloatBits, FuncType, Instr, Limits, MemArg, Module, RefType,
                     StructType, SubType)
from .read import read
from .srcmap import printable

_IDCHARS = re.compile(r"[^0-9A-Za-z!#$%&'*+\-./:<=>?@\\^_`|~]")
_SHORT = {'func': 'funcref', 'extern': 'externref', 'any': 'anyref', 'eq': 'eqref', 'i31': 'i31ref',
          'struct': 'structref', 'array': 'arrayref', 'exn': 'exnref', 'none': 'nullref',
          'nofunc': 'nullfuncref', 'noextern': 'nullexternref', 'noexn': 'nullexnref'}
MAX_INDENT = 40        # deeper blocks print at this indentation: output stays linear in the code size
_SECTION_NAMES = {1: 'type', 2: 'import', 3: 'func', 4: 'table', 5: 'memory', 6: 'global', 7: 'export',
                  8: 'start', 9: 'elem', 10: 'code', 11: 'data', 12: 'datacount', 13: 'tag'}


def disassemble(data: bytes, places: bool = False) -> str:
    """Wasm binary -> WAT text.  Raises ReadError for a malformed binary.  `places`: a comment `;; @ FILE:L:C`
    where the source place (the source map's, srcmap.py) of the instructions changes."""
    return print_module(read(data), places)


def print_module(module: Module, places: bool = False) -> str:
    """Module -> WAT text (`places`: as for disassemble, from the instructions' `loc`s)."""
    return _Printer(module, places).module()


def string(data: bytes) -> str:
    """A WAT string literal for raw bytes."""
    out = []
    for b in data:
        c = chr(b)
        if c in '"\\' or not 0x20 <= b < 0x7f:
            out.append(f'\\{b:02x}')
        else:
            out.append(c)
    return '"' + ''.join(out) + '"'


def _ident(name: str) -> str:
    return _IDCHARS.sub('_', name)


def _ids(names: dict) -> dict[int, str]:
    """index -> `$id`, sanitised and unique (a clash gets a numeric suffix)."""
    out, used = {}, set()
    for k, v in sorted({operator.index(k): v for k, v in names.items()}.items()):
        if not v:
            continue
        base = _ident(v)
        ident, n = base, 1
        while ident in used:
            ident, n = f'{base}_{n}', n + 1
        used.add(ident)
        out[k] = '$' + ident
    return out


def _merge(indirect: dict) -> dict[int, dict]:
    out: dict[int, dict] = {}
    for k, v in indirect.items():
        out.setdefault(operator.index(k), {}).update(v)
    return out


def f32(v) -> str:
    bits = v.bits if isinstance(v, FloatBits) else struct.unpack('<I', struct.pack('<f', v))[0]
    return _float_text(bits, 32)


def f64(v) -> str:
    bits = v.bits if isinstance(v, FloatBits) else struct.unpack('<Q', struct.pack('<d', v))[0]
    return _float_text(bits, 64)


def _float_text(bits: int, width: int) -> str:
    mant_bits, exp_bits = (23, 8) if width == 32 else (52, 11)
    sign = '-' if bits >> (width - 1) else ''
    exp = (bits >> mant_bits) & ((1 << exp_bits) - 1)
    mant = bits & ((1 << mant_bits) - 1)
    if exp == (1 << exp_bits) - 1:
        if mant == 0:
            return sign + 'inf'
        if mant == 1 << (mant_bits - 1):
            return sign + 'nan'
        return f'{sign}nan:0x{mant:x}'
    if width == 64:
        return repr(struct.unpack('<d', bits.to_bytes(8, 'little'))[0])
    value = struct.unpack('<f', bits.to_bytes(4, 'little'))[0]
    for digits in range(1, 18):     # shortest decimal that reads back as the same f32
        text = f'{value:.{digits}g}'
        try:
            if struct.pack('<f', float(text)) == bits.to_bytes(4, 'little'):
                break
        except OverflowError:      # rounded past the largest f32
            continue
    if 'e' not in text and '.' not in text and 'n' not in text:
        text += '.0'
    return text


class _Printer:
    def __init__(self, m: Module, places: bool = False):
        self.m = m
        self.places = places
        n = m.names
        self.ids = {kind: _ids(names) for kind, names in (
            ('func', n.funcs), ('type', n.types), ('table', n.tables), ('memory', n.memories),
            ('global', n.globals), ('tag', n.tags), ('elem', n.elems), ('data', n.datas))}
        self.local_ids = {k: _ids(v) for k, v in _merge(n.locals).items()}
        self.field_ids = {k: _ids(v) for k, v in _merge(n.fields).items()}
        self.lines: list[str] = []
        self.locals: dict[int, str] = {}
        self.depth = 0

    # ---- references to index spaces -------------------------------------------------------------

    def ref(self, kind: str, idx) -> str:
        idx = operator.index(idx)
        return self.ids[kind].get(idx, str(idx))

    def heap(self, h) -> str:
        return h if isinstance(h, str) else self.ref('type', h)

    def reftype(self, t: RefType) -> str:
        if t.nullable and t.heap in _SHORT:
            return _SHORT[t.heap]
        return f'(ref {"null " if t.nullable else ""}{self.heap(t.heap)})'

    def valtype(self, t) -> str:
        return self.reftype(t) if isinstance(t, RefType) else t

    def storage(self, t) -> str:
        return t if t in ('i8', 'i16') else self.valtype(t)

    # ---- types -----------------------------------------------------------------------------------

    def field(self, f, name=None) -> str:
        t = self.storage(f.storage)
        t = f'(mut {t})' if f.mutable else t
        return f'(field {name} {t})' if name else f'(field {t})'

    def functype_body(self, ft: FuncType, param_ids: dict | None = None) -> str:
        parts = []
        for i, p in enumerate(ft.params):
            pid = (param_ids or {}).get(i)
            parts.append(f'(param {pid} {self.valtype(p)})' if pid else f'(param {self.valtype(p)})')
        parts += [f'(result {self.valtype(r)})' for r in ft.results]
        return ' '.join(parts)

    def comptype(self, c, idx: int) -> str:
        if isinstance(c, FuncType):
            body = self.functype_body(c)
            return f'(func {body})' if body else '(func)'
        if isinstance(c, StructType):
            names = self.field_ids.get(idx, {})
            fields = ' '.join(self.field(f, names.get(i)) for i, f in enumerate(c.fields))
            return f'(struct {fields})' if fields else '(struct)'
        if isinstance(c, ArrayType):
            t = self.storage(c.field.storage)
            return f'(array {"(mut " + t + ")" if c.field.mutable else t})'
        if isinstance(c, ContType):
            return f'(cont {self.ref("type", c.func_type)})'
        raise AssertionError(c)

    def subtype(self, s: SubType, idx: int) -> str:
        name = self.ids['type'].get(idx)
        head = f'(type {name} (;{idx};) ' if name else f'(type (;{idx};) '
        comp = self.comptype(s.comp, idx)
        if s.final and not s.supers:
            return head + comp + ')'
        supers = ''.join(' ' + self.ref('type', t) for t in s.supers)
        return head + f'(sub{" final" if s.final else ""}{supers} {comp}))'

    def limits(self, lim: Limits) -> str:
        out = 'i64 ' if lim.is64 else ''
        out += str(lim.min)
        if lim.max is not None:
            out += f' {lim.max}'
        if lim.shared:
            out += ' shared'
        if lim.page_size_log2 is not None:
            out += f' (pagesize {1 << lim.page_size_log2})'
        return out

    def tabletype(self, t) -> str:
        return f'{self.limits(t.limits)} {self.reftype(t.elem)}'

    def globaltype(self, t) -> str:
        v = self.valtype(t.type)
        return f'(mut {v})' if t.mutable else v

    def blocktype(self, bt) -> str:
        if bt is None:
            return ''
        if isinstance(bt, int):
            return f' (type {self.ref("type", bt)})'
        return f' (result {self.valtype(bt)})'

    # ---- instructions ----------------------------------------------------------------------------

    def memarg(self, op: str, m: MemArg) -> str:
        out = f' {self.ref("memory", m.mem)}' if m.mem else ''
        if m.offset:
            out += f' offset={m.offset}'
        if m.align != opcodes.NATURAL_ALIGN[op]:
            out += f' align={1 << m.align}'
        return out

    def label(self, l) -> str:
        # the comment names the target by absolute depth, as wasm-tools print does (@0: the function)
        return f'{l} (;@{self.depth - l};)' if l <= self.depth else str(l)

    def clause(self, c) -> str:
        kind = c[0]
        if kind == 'switch':
            return f'(on {self.ref("tag", c[1])} switch)'
        if kind in ('catch', 'catch_ref', 'on'):
            return f'({kind} {self.ref("tag", c[1])} {self.label(c[2])})'
        return f'({kind} {self.label(c[1])})'

    def instr(self, ins: Instr, type_of_field=None) -> str:
        op = opcodes.OPS[ins.op]
        text = opcodes.TEXT_NAME.get(ins.op, ins.op)
        imms = ins.imms
        if ins.op in ('ref.test', 'ref.cast', 'ref.test_null', 'ref.cast_null'):
            return f'{text} {self.reftype(RefType(imms[0], ins.op.endswith("_null")))}'
        if ins.op in ('call_indirect', 'return_call_indirect'):
            return f'{text} {self.ref("table", imms[1])} (type {self.ref("type", imms[0])})'
        if ins.op == 'memory.init':
            return f'{text} {self.ref("memory", imms[1])} {self.ref("data", imms[0])}'
        if ins.op == 'table.init':
            return f'{text} {self.ref("table", imms[1])} {self.ref("elem", imms[0])}'
        parts = [text]
        kinds = [k for k in op.kinds if k != 'castflags']
        last_type = None
        for kind, v in zip(kinds, imms):
            if kind == 'bt':
                parts[-1] += self.blocktype(v)
                continue
            if kind == 'memarg':
                parts[-1] += self.memarg(ins.op, v)
                continue
            if kind == 'label':
                parts.append(self.label(v))
            elif kind == 'labels':
                parts.extend(self.label(l) for l in v)
            elif kind in ('type', 'func', 'table', 'global', 'tag', 'elem', 'data'):
                parts.append(self.ref(kind, v))
                if kind == 'type':
                    last_type = operator.index(v)
            elif kind == 'mem':
                parts.append(self.ref('memory', v))
            elif kind == 'local':
                parts.append(self.locals.get(v, str(v)))
            elif kind == 'field':
                parts.append(self.field_ids.get(last_type, {}).get(v, str(v)))
            elif kind == 'u32':
                parts.append(str(v))
            elif kind in ('i32', 'i64'):
                bits = int(kind[1:])
                v = operator.index(v) & ((1 << bits) - 1)
                parts.append(str(v - (1 << bits) if v >> (bits - 1) else v))
            elif kind == 'f32':
                parts.append(f32(v))
            elif kind == 'f64':
                parts.append(f64(v))
            elif kind == 'heap':
                parts.append(self.heap(v))
            elif kind == 'reftype':
                parts.append(self.reftype(v))
            elif kind == 'valtypes':
                parts.extend(f'(result {self.valtype(t)})' for t in v)
            elif kind in ('catches', 'handlers'):
                parts.extend(self.clause(c) for c in v)
            else:
                raise AssertionError(kind)
        return ' '.join(parts)

    def code(self, body, indent: int) -> None:
        self.depth = 0                  # open blocks; labels print relative to it
        place = None
        for ins in body:
            if ins.op in opcodes.END_OPS:
                self.depth -= 1
            pad = '  ' * min(indent + self.depth - (ins.op in opcodes.MIDDLE_OPS), MAX_INDENT)
            if self.places and ins.loc is not None and ins.loc.file and \
                    (ins.loc.file, ins.loc.line, ins.loc.col) != place:
                place = (ins.loc.file, ins.loc.line, ins.loc.col)
                self.lines.append(f'{pad};; @ {printable(ins.loc.file)}:{ins.loc.line}:{ins.loc.col}')
            line = pad + self.instr(ins)
            if ins.op in opcodes.BLOCK_OPS:
                self.depth += 1
                line += f'  ;; label = @{self.depth}'
            self.lines.append(line)

    def expr(self, code) -> str:
        return ' '.join(self.instr(i) for i in code)

    # ---- module fields ---------------------------------------------------------------------------

    def name_of(self, kind: str, idx: int) -> str:
        name = self.ids[kind].get(idx)
        return f'{name} (;{idx};)' if name else f'(;{idx};)'

    def module(self) -> str:
        m = self.m
        out = self.lines
        head = '(module'
        if m.names.module:
            head += ' $' + _ident(m.names.module)
        out.append(head)
        # types
        idx = 0
        for g in m.types.groups:
            if len(g.types) == 1 and not g.explicit:
                out.append('  ' + self.subtype(g.types[0], idx))
            else:
                out.append('  (rec')
                for j, s in enumerate(g.types):
                    out.append('    ' + self.subtype(s, idx + j))
                out.append('  )')
            idx += len(g.types)
        # imports
        counts = dict.fromkeys(('func', 'table', 'memory', 'global', 'tag'), 0)
        for imp in m.imports:
            i = counts[imp.kind]
            counts[imp.kind] += 1
            name = self.name_of(imp.kind, i)
            desc = {'func': lambda: f'(type {self.ref("type", imp.desc)})',
                    'table': lambda: self.tabletype(imp.desc),
                    'memory': lambda: self.limits(imp.desc),
                    'global': lambda: self.globaltype(imp.desc),
                    'tag': lambda: f'(type {self.ref("type", imp.desc)})'}[imp.kind]()
            out.append(f'  (import {string(imp.module.encode())} {string(imp.field.encode())} '
                       f'({imp.kind} {name} {desc}))')
        # tables, memories, tags, globals
        for i, t in enumerate(m.tables, counts['table']):
            init = f' {self.expr(t.init)}' if t.init is not None else ''
            out.append(f'  (table {self.name_of("table", i)} {self.tabletype(t.type)}{init})')
        for i, lim in enumerate(m.memories, counts['memory']):
            out.append(f'  (memory {self.name_of("memory", i)} {self.limits(lim)})')
        for i, t in enumerate(m.tags, counts['tag']):
            out.append(f'  (tag {self.name_of("tag", i)} (type {self.ref("type", t.type)}))')
        for i, g in enumerate(m.globals, counts['global']):
            out.append(f'  (global {self.name_of("global", i)} {self.globaltype(g.type)} {self.expr(g.init)})')
        for e in m.exports:
            kind = e.kind
            out.append(f'  (export {string(e.name.encode())} ({kind} {self.ref(kind, e.index)}))')
        if m.start is not None:
            out.append(f'  (start {self.ref("func", m.start)})')
        for i, e in enumerate(m.elements_with_declarations()):
            out.append('  ' + self.element(i, e))
        for i, f in enumerate(m.funcs, counts['func']):
            self.function(i, f)
        for i, d in enumerate(m.datas):
            name = self.name_of('data', i)
            if d.mode == 'passive':
                out.append(f'  (data {name} {string(d.data)})')
            else:
                mem = f' (memory {self.ref("memory", d.mem)})' if d.mem is not None else ''
                out.append(f'  (data {name}{mem} (offset {self.expr(d.offset)}) {string(d.data)})')
        for c in m.customs:
            place = f'(after {_SECTION_NAMES[c.after]})' if c.after in _SECTION_NAMES else '(before first)'
            out.append(f'  (@custom {string(c.name.encode())} {place} {string(c.data)})')
        out.append(')')
        return '\n'.join(out) + '\n'

    def element(self, i: int, e) -> str:
        parts = ['(elem', self.name_of('elem', i)]
        if e.mode == 'declarative':
            parts.append('declare')
        elif e.mode == 'active':
            if e.table is not None:
                parts.append(f'(table {self.ref("table", e.table)})')
            parts.append(f'(offset {self.expr(e.offset)})')
        if e.funcs is not None:
            parts.append('func')
            parts.extend(self.ref('func', f) for f in e.funcs)
        else:
            parts.append(self.reftype(e.type))
            parts.extend(f'(item {self.expr(x)})' for x in e.exprs)
        return ' '.join(parts) + ')'

    def function(self, idx: int, f) -> None:
        ft = self.m.types.func_type(f.type)
        self.locals = self.local_ids.get(idx, {})
        sig = self.functype_body(ft, self.locals)
        head = f'  (func {self.name_of("func", idx)} (type {self.ref("type", f.type)})'
        self.lines.append(head + (' ' + sig if sig else ''))
        base = len(ft.params)
        run: list[str] = []             # consecutive unnamed locals print as one (local t t ...)
        for j, t in enumerate(f.locals):
            lid = self.locals.get(base + j)
            if lid:
                if run:
                    self.lines.append(f'    (local {" ".join(run)})')
                    run = []
                self.lines.append(f'    (local {lid} {self.valtype(t)})')
            else:
                run.append(self.valtype(t))
        if run:
            self.lines.append(f'    (local {" ".join(run)})')
        self.code(f.body, 2)
        self.lines.append('  )')
        self.locals = {}
