"""The decoder against wasm-tools' own reading of the same bytes.

`wasm-tools print --print-offsets` prints every instruction with its byte offset. For each module we
strip the custom sections (so immediates print as indices), decode the stripped bytes, and compare:
  - the number of types, imports, functions, tables, memories, tags, globals, exports, elems, datas;
  - per function, the sequence of (offset, instruction) -- immediates included wherever they are
    plain indices/integers, handlers, label tables or memory arguments; op name and offset otherwise.
Modules: the valid modules of a selection of spec scripts, and random modules from `wasm-tools smith`.
"""
from __future__ import annotations

import os
import re

import pytest

from vm.binary import decode
from vm.syntax import MemArg, Handler, type_name

_LINE = re.compile(r'^\(;@([0-9a-f]+)\s*;\)\s*(.*)$')
_COMMENT = re.compile(r'\s*\(;[^;]*;\)|\s*;;.*$')

COUNTED = {'type': 'types', 'import': 'imports', 'func': 'funcs', 'table': 'tables', 'memory': 'memories',
           'tag': 'tags', 'global': 'globals', 'export': 'exports', 'elem': 'elems', 'data': 'datas'}


def printed(text: str) -> tuple[dict, list]:
    """(entity counts, per-function list of (offset, instruction text)) from `wasm-tools print -p`."""
    counts = dict.fromkeys(COUNTED.values(), 0)
    funcs: list = []
    body = None
    for line in text.splitlines():
        m = _LINE.match(line)
        if not m:
            continue
        off, t = int(m.group(1), 16), m.group(2)
        if body is not None:
            if t == ')':
                body.append((off, 'end'))
                body = None
            elif not t.startswith('(local'):
                body.append((off, _COMMENT.sub('', t).strip()))
            continue
        head = t[1:].split(' ', 1)[0] if t.startswith('(') else None
        if head in COUNTED:
            counts[COUNTED[head]] += 1
        if head == 'func':
            body = []
            funcs.append(body)
    return counts, funcs


_NATURAL = {'8': 0, '16': 1, '32': 2}


def natural_align(op: str) -> int:
    ty, name = op.split('.', 1)
    m = re.search(r'(8|16|32)(_[su])?$', name)
    if m:
        return _NATURAL[m.group(1)]
    return 2 if ty in ('i32', 'f32') else 3


def float_text(bits: int, exp_bits: int, mant_bits: int) -> str | None:
    """wasm-tools' hex float for normal numbers and infinities; None for the rest (zero, subnormals,
    NaNs), whose spelling we do not mirror."""
    sign = '-' if bits >> (exp_bits + mant_bits) else ''
    exp = (bits >> mant_bits) & ((1 << exp_bits) - 1)
    mant = bits & ((1 << mant_bits) - 1)
    if exp == (1 << exp_bits) - 1:
        return sign + 'inf' if mant == 0 else None
    if exp == 0:
        return None
    shift = (4 - mant_bits % 4) % 4            # hex digits of the fraction, padded to whole nibbles
    digits = f'{mant << shift:0{(mant_bits + shift) // 4}x}'.rstrip('0')
    e = exp - ((1 << (exp_bits - 1)) - 1)
    return f"{sign}0x1{'.' + digits if digits else ''}p{'+' if e >= 0 else ''}{e}"


def block_text(m, bt) -> str:
    if bt is None:
        return ''
    if not isinstance(bt, int):
        return f' (result {type_name(bt)})'
    ft = m.types[bt].composite
    s = f' (type {bt})'
    if ft.params:
        s += ' (param ' + ' '.join(map(type_name, ft.params)) + ')'
    if ft.results:
        s += ' (result ' + ' '.join(map(type_name, ft.results)) + ')'
    return s


def render(m, ins) -> str | None:
    """wasm-tools' text for an instruction (indices as numbers), or None where we do not mirror its
    spelling (then only the op name and offset are compared)."""
    op, args = ins.op, ins.args
    if op in ('block', 'loop', 'if', 'barrier'):
        return op + block_text(m, args[0])
    if op == 'try_table':
        bt, catches = args
        cs = ''.join(f' ({c.kind} {c.label})' if c.tag is None else f' ({c.kind} {c.tag} {c.label})'
                     for c in catches)
        return op + block_text(m, bt) + cs
    if op in ('call_indirect', 'return_call_indirect'):
        x, table = args
        return f'{op} (type {x})' if table == 0 else f'{op} {table} (type {x})'
    if op in ('memory.size', 'memory.grow', 'memory.fill'):
        return op if args[0] == 0 else f'{op} {args[0]}'
    if op == 'memory.copy':
        return op if args == (0, 0) else f'{op} {args[0]} {args[1]}'
    if op == 'memory.init':
        data, mem = args
        return f'{op} {data}' if mem == 0 else f'{op} {mem} {data}'
    if op == 'table.init':
        elem, table = args
        return f'{op} {elem}' if table == 0 else f'{op} {table} {elem}'
    if op == 'table.copy' and args == (0, 0):
        return None
    if op == 'f32.const':
        return None if float_text(args[0], 8, 23) is None else f'{op} {float_text(args[0], 8, 23)}'
    if op == 'f64.const':
        return None if float_text(args[0], 11, 52) is None else f'{op} {float_text(args[0], 11, 52)}'
    if op == 'ref.null':
        return f'{op} {args[0]}'
    if op in ('ref.test', 'ref.cast'):
        return f'{op} {type_name(args[0])}'
    if op in ('br_on_cast', 'br_on_cast_fail'):
        return f'{op} {args[0]} {type_name(args[1])} {type_name(args[2])}'
    if op == 'select':
        return op if not args else f"select (result {' '.join(map(type_name, args[0]))})"
    if op in ('resume', 'resume_throw', 'resume_throw_ref'):
        *xs, hs = args
        assert all(isinstance(h, Handler) for h in hs)
        clauses = [f' (on {h.tag} switch)' if h.is_switch else f' (on {h.tag} {h.label})' for h in hs]
        return ' '.join([op, *map(str, xs)]) + ''.join(clauses)
    if op == 'br_table':
        return ' '.join(['br_table', *map(str, args[0]), str(args[1])])
    if args and isinstance(args[0], MemArg):
        ma = args[0]
        s = op + (f' {ma.memory}' if ma.memory else '')
        s += f' offset={ma.offset}' if ma.offset else ''
        s += f' align={1 << ma.align}' if ma.align != natural_align(op) else ''
        return s
    if all(isinstance(a, int) for a in args):
        return ' '.join([op, *map(str, args)])
    return None


def crosscheck(wasm_tools, data: bytes, where: str) -> tuple[int, int]:
    """Compare decode() with wasm-tools on one module: (instructions compared, of which with their
    immediates)."""
    stripped = wasm_tools('strip', '--all', '-o', '/dev/stdout', input=data) if decode(data).customs else data
    m = decode(stripped)
    counts, funcs = printed(wasm_tools('print', '--print-offsets', input=stripped).decode())
    ours = {field: len(getattr(m, field)) for field in COUNTED.values()}
    ours['types'] = len(m.types)
    assert ours == counts, where
    assert len(funcs) == len(m.funcs), where
    n = full = 0
    for i, (f, expected) in enumerate(zip(m.funcs, funcs)):
        got = [(ins.offset, ins.op) for ins in f.body]
        assert got == [(off, t.split(' ', 1)[0]) for off, t in expected], f'{where} func {i}'
        for ins, (_, text) in zip(f.body, expected):
            want = render(m, ins)
            if want is not None and ins.op != 'end':
                assert want == text, f'{where} func {i} @{ins.offset:#x}'
                full += 1
            n += 1
    return n, full


CROSSCHECK_SCRIPTS = [
    'stack-switching/cont.wast', 'stack-switching/resume_throw.wast', 'stack-switching/validation.wast',
    'try_table.wast', 'throw_ref.wast', 'tag.wast', 'call_ref.wast', 'return_call_ref.wast',
    'return_call_indirect.wast', 'br_table.wast', 'memory_copy.wast', 'address.wast', 'select.wast',
    'gc/br_on_cast.wast', 'gc/struct.wast', 'gc/array.wast', 'gc/type-subtyping.wast', 'gc/i31.wast',
    'binary-leb128.wast', 'elem.wast', 'data.wast', 'global.wast', 'imports.wast',
    'gc/array_init_data.wast', 'conversions.wast', 'memory.wast',
]


@pytest.mark.parametrize('rel', CROSSCHECK_SCRIPTS)
def test_spec_modules_match_wasm_tools(spec_scripts, wasm_tools, rel):
    commands, out = spec_scripts(rel)
    modules = [c for c in commands if c['type'] == 'module' and c.get('module_type', 'binary') == 'binary'
               and c.get('filename', '').endswith('.wasm')]
    assert modules, rel
    # About 10 modules per script, spread over it: the long scripts would cost seconds each.
    step = max(1, len(modules) // 10)
    for c in modules[::step]:
        crosscheck(wasm_tools, (out / c['filename']).read_bytes(), f"{rel}:{c['line']}")


SMITH_FLAGS = ['--simd-enabled', 'false', '--threads-enabled', 'false', '--compact-imports-enabled', 'false',
               '--wide-arithmetic-enabled', 'false', '--gc-enabled', 'true', '--exceptions-enabled', 'true',
               '--tail-call-enabled', 'true', '--reference-types-enabled', 'true']


@pytest.mark.parametrize('seed', range(24))
def test_smith_modules_match_wasm_tools(wasm_tools, seed):
    rnd = __import__('random').Random(seed)
    entropy = bytes(rnd.randrange(256) for _ in range(4000))
    # Padded LEB128s (--min-uleb-size) exercise the multi-byte paths of every immediate.
    data = wasm_tools('smith', *SMITH_FLAGS, '--min-uleb-size', str(seed % 4 + 1), '-o', '/dev/stdout',
                      input=entropy)
    n, full = crosscheck(wasm_tools, data, f'smith seed {seed}')
    assert full <= n
    if any(f.body[:-1] for f in decode(data).funcs):
        assert full > 0
