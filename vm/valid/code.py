"""Validation of instruction sequences: function bodies and constant expressions.

[[Context, locals, results, list[Instr]]] --> None, or ValidationError at the first bad instruction.

This is the spec's validation algorithm (Appendix "Validation Algorithm") over the flat
instruction list: a value stack `vals` of operand types (None is the unknown type of the
appendix, the bottom of an unreachable stack), a control stack `ctrls` of frames with
push_ctrl/pop_ctrl, and push_val(s)/pop_val(s). Local initialization for non-defaultable locals
uses the appendix's `inits` stack, reset by pop_ctrl. Each instruction is checked once, so the
cost is linear in code size.

Typing rules follow the spec (Wasm 3.0: typed function references, GC, exceptions, tail calls)
and the stack-switching proposal (reference interpreter valid/valid.ml), plus our `barrier`,
which is typed exactly like `block`. Error messages use the reference interpreter's wording
("type mismatch: instruction requires [i32] but stack has [f64]") because spec tests compare by
prefix.
"""

from __future__ import annotations

from vm.errors import ValidationError
from vm.syntax.types import RefType

from .context import invalid, fmt_type, fmt_types, defaultable
from .subtyping import BOT_HEAP
from .rules import HANDLERS, SIMPLE
from .immediates import check_immediates

# Instructions allowed in constant expressions (extended-const and GC included).
CONST_OPS = frozenset((
    'i32.const', 'i64.const', 'f32.const', 'f64.const', 'ref.null', 'ref.func', 'global.get',
    'i32.add', 'i32.sub', 'i32.mul', 'i64.add', 'i64.sub', 'i64.mul',
    'ref.i31', 'struct.new', 'struct.new_default', 'array.new', 'array.new_default',
    'array.new_fixed', 'any.convert_extern', 'extern.convert_any', 'end',
))


class Frame:
    __slots__ = ('op', 'start', 'end', 'height', 'unreachable', 'init_height')

    def __init__(self, op, start, end, height, init_height):
        self.op = op
        self.start = start
        self.end = end
        self.height = height
        self.unreachable = False
        self.init_height = init_height

    def labels(self):
        return self.start if self.op == 'loop' else self.end


class CodeValidator:
    """One function body (or constant expression) under a module context."""

    def __init__(self, ctx, locals_, results, nparams=0):
        self.ctx = ctx
        self.match = ctx.match
        self.locals = locals_
        self.results = tuple(results)
        self.vals: list = []
        self.ctrls: list = []
        # Defaultable locals and parameters are initialized from the start.
        self.inited = [i < nparams or defaultable(t) for i, t in enumerate(locals_)]
        self.inits: list = []
        self.const = False

    # -- operand stack ----------------------------------------------------------------------------

    def _mismatch(self, ts, n):
        fr = self.ctrls[-1]
        avail = len(self.vals) - fr.height
        got = self.vals[len(self.vals) - min(n, avail):] if avail > 0 else []
        return invalid(f'type mismatch: instruction requires {fmt_types(ts)} '
                       f'but stack has {fmt_types(got)}')

    def pop(self, t):
        """pop_val(expect): pop one operand that must match t; returns the actual type."""
        vals = self.vals
        fr = self.ctrls[-1]
        if len(vals) == fr.height:
            if fr.unreachable:
                return None
            raise self._mismatch((t,), 1)
        a = vals[-1]
        if a is not t and a != t and not self.match.val(a, t):
            raise self._mismatch((t,), 1)
        vals.pop()
        return a

    def pop_any(self):
        """pop_val() without expectation."""
        vals = self.vals
        fr = self.ctrls[-1]
        if len(vals) == fr.height:
            if fr.unreachable:
                return None
            raise invalid('type mismatch: instruction requires [_] but stack has []')
        return vals.pop()

    def pop_vals(self, ts):
        n = len(ts)
        if n == 0:
            return []
        vals = self.vals
        fr = self.ctrls[-1]
        avail = len(vals) - fr.height
        val = self.match.val
        if avail >= n:
            got = vals[-n:]
            for a, t in zip(got, ts):
                if a is not t and a != t and not val(a, t):
                    raise self._mismatch(ts, n)
            del vals[-n:]
            return got
        if not fr.unreachable:
            raise self._mismatch(ts, n)
        real = vals[fr.height:]
        for a, t in zip(real, ts[n - avail:]):
            if not val(a, t):
                raise self._mismatch(ts, n)
        del vals[fr.height:]
        return [None] * (n - avail) + real

    def pop_ref(self):
        """Pop an operand that must be a reference (or unknown); returns its RefType."""
        vals = self.vals
        fr = self.ctrls[-1]
        if len(vals) == fr.height:
            if fr.unreachable:
                return RefType(False, BOT_HEAP)
            raise invalid('type mismatch: instruction requires reference type but stack has []')
        a = vals[-1]
        if a is None:
            vals.pop()
            return RefType(False, BOT_HEAP)
        if not isinstance(a, RefType):
            raise invalid('type mismatch: instruction requires reference type '
                          f'but stack has {fmt_type(a)}')
        vals.pop()
        return a

    def set_unreachable(self):
        fr = self.ctrls[-1]
        del self.vals[fr.height:]
        fr.unreachable = True

    # -- control stack ----------------------------------------------------------------------------

    def push_ctrl(self, op, start, end):
        fr = Frame(op, start, end, len(self.vals), len(self.inits))
        self.ctrls.append(fr)
        self.vals.extend(start)

    def check_frame_end(self, fr):
        actual = self.vals[fr.height:]
        ts = fr.end
        val = self.match.val
        ok = len(actual) == len(ts) or (fr.unreachable and len(actual) < len(ts))
        if ok:
            off = len(ts) - len(actual)
            ok = all(val(a, t) for a, t in zip(actual, ts[off:]))
        if not ok:
            raise invalid(f'type mismatch: block requires {fmt_types(ts)} '
                          f'but stack has {fmt_types(actual)}')

    def reset_inits(self, height):
        inits, inited = self.inits, self.inited
        while len(inits) > height:
            inited[inits.pop()] = False

    def pop_ctrl(self):
        fr = self.ctrls[-1]
        self.check_frame_end(fr)
        if fr.op == 'if' and not self.match.results(fr.start, fr.end):
            raise invalid(f'type mismatch: else branch requires {fmt_types(fr.end)} '
                          f'but if has no else and takes {fmt_types(fr.start)}')
        del self.vals[fr.height:]
        self.ctrls.pop()
        self.reset_inits(fr.init_height)
        return fr

    def label(self, l):
        ctrls = self.ctrls
        if type(l) is not int or not 0 <= l < len(ctrls):
            raise invalid(f'unknown label {l}')
        return ctrls[-1 - l].labels()

    # -- the loop -----------------------------------------------------------------------------------

    def run(self, body, start=(), end=None, const=False):
        """Validate `body` (a flat list ending with its own 'end') as a block [start] -> [end]."""
        self.const = const
        self.push_ctrl('func', tuple(start), self.results if end is None else tuple(end))
        simple = SIMPLE
        handlers = HANDLERS
        ins = None
        try:
            for i, ins in enumerate(body):
                if not self.ctrls:
                    raise invalid('operators remaining after end of function')
                op = ins.op
                if const and op not in CONST_OPS:
                    raise invalid(f'constant expression required: {op} is not constant')
                sig = simple.get(op)
                if sig is not None:
                    ts1, ts2 = sig
                    if ts1:
                        if len(ts1) == 1:
                            self.pop(ts1[0])
                        else:
                            self.pop_vals(ts1)
                    if ts2:
                        self.vals.extend(ts2)
                    continue
                h = handlers.get(op)
                if h is None:
                    raise invalid(f'unknown instruction {op!r}')
                check_immediates(ins)
                h(self, ins.args)
            if self.ctrls:
                raise invalid('unexpected end of function: missing end')
        except ValidationError as e:
            if e.offset is None and ins is not None:
                e.offset = getattr(ins, 'offset', None)
            raise


__all__ = ['CodeValidator', 'CONST_OPS']
