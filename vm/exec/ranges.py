"""Value ranges of integer locals, for dropping the wrap-around mask of additions and subtractions
that cannot wrap. A mixin of FuncTranslator.

Algorithm: facts `local -> (lo, hi)` (unsigned) hold at the current translation point and come only
from comparisons the code has tested: the fall-through of `br_if c` knows `not c`, the arms of
`if c` know `c` / `not c`. A comparison is usable when both operands are locals or constants (its
expression is remembered when op_pure builds it; a condition spilled to a temporary is unknown).
A memory access that did not trap also gives one: its address (a local, no offset) is below the
memory's size, which never exceeds HOST_LIMIT_PAGES (1 GiB, vm/runtime/memory.py). Facts die where
they may stop holding: a `local.set`/`local.tee` of the local; at the start of a `loop`, the facts
of locals assigned anywhere in the loop (its back edges come from later code); at the end of a
construct, everything but the facts it started with about locals it never assigns (every path to
an end starts at its construct's start). `assigned_locals` finds those locals in one pass (a
construct assigning more than ASSIGNED_CAP counts as assigning all).

Used by op_pure: `i32.add`/`i64.add` of operands whose highs sum within the type, and `sub` whose
minuend's low is at least the subtrahend's high, are emitted without `& mask` (a counted loop's
`i + 1` after `br_if $done (i32.ge_u i n)`, fib's `n - 1` in the else arm of `if (i32.lt_u n 2)`).
"""

from __future__ import annotations

import re

from ..runtime.memory import HOST_LIMIT_PAGES

_LOCAL = re.compile(r'l(\d+)')
ADDRESS_LIMIT = HOST_LIMIT_PAGES * 65536      # no memory is bigger
ASSIGNED_CAP = 64


def assigned_locals(body, structured) -> dict:
    """Instruction index of each structured instruction -> the frozenset of locals assigned inside
    it (nested constructs included), or None if more than ASSIGNED_CAP."""
    out = {}
    stack = []
    for i, ins in enumerate(body):
        op = ins.op
        if op in structured:
            stack.append([i, set()])
        elif op == 'end':
            if stack:
                idx, inner = stack.pop()
                out[idx] = None if inner is None else frozenset(inner)
                if stack and stack[-1][1] is not None:
                    if inner is None:
                        stack[-1][1] = None
                    else:
                        stack[-1][1] |= inner
                        if len(stack[-1][1]) > ASSIGNED_CAP:
                            stack[-1][1] = None
        elif op in ('local.set', 'local.tee') and stack and stack[-1][1] is not None:
            stack[-1][1].add(ins.args[0])
            if len(stack[-1][1]) > ASSIGNED_CAP:
                stack[-1][1] = None
    return out
MAX = {'i32': 0xFFFFFFFF, 'i64': 0xFFFFFFFFFFFFFFFF}
# comparison op -> (kind, swap operands): kind 'lt' (a < b), 'le' (a <= b), 'eqz'
COMPARISONS = {'lt_u': ('lt', False), 'gt_u': ('lt', True), 'le_u': ('le', False),
               'ge_u': ('le', True), 'eqz': ('eqz', False)}


class RangeFacts:
    def _operand(self, expr):
        """('l', index) for a local, ('c', value) for a constant, else None."""
        if expr.isdigit():
            return ('c', int(expr))
        m = _LOCAL.fullmatch(expr)
        return ('l', int(m.group(1))) if m else None

    def _bounds(self, opnd, mx):
        if opnd is None:
            return 0, mx
        if opnd[0] == 'c':
            return opnd[1], opnd[1]
        lo, hi = self.facts.get(opnd[1], (0, mx))
        return lo, min(hi, mx)

    def note_comparison(self, op, args, expr):
        """Remember what the comparison `expr` (built by op_pure) compares."""
        ty, _, name = op.partition('.')
        kind = COMPARISONS.get(name)
        if kind is None or ty not in MAX:
            return
        opnds = [self._operand(a[0]) for a in args]
        if any(o is None for o in opnds):
            return
        if kind[1]:
            opnds.reverse()
        self.conds[expr] = (kind[0], MAX[ty], opnds)

    def assume(self, cond_expr, truth: bool):
        """From here on (until a fact dies), `cond_expr` was `truth`."""
        c = self.conds.get(cond_expr)
        if c is None:
            return
        kind, mx, opnds = c
        if kind == 'eqz':
            (a,) = opnds
            if a[0] == 'l':
                self._narrow(a[1], mx, 0, 0) if truth else self._narrow(a[1], mx, 1, mx)
            return
        a, b = opnds
        (alo, ahi), (blo, bhi) = self._bounds(a, mx), self._bounds(b, mx)
        strict = kind == 'lt'
        if not truth:          # not (a < b) is b <= a; not (a <= b) is b < a
            a, b, alo, ahi, blo, bhi = b, a, blo, bhi, alo, ahi
            strict = not strict
        d = 1 if strict else 0
        if a[0] == 'l':
            self._narrow(a[1], mx, 0, bhi - d)      # a <= b - d
        if b[0] == 'l':
            self._narrow(b[1], mx, alo + d, mx)     # b >= a + d

    def _narrow(self, x, mx, lo, hi):
        olo, ohi = self.facts.get(x, (0, mx))
        self.facts[x] = (max(olo, lo), min(ohi, hi))

    def kept_facts(self, facts, start):
        """The facts in `facts` about locals the construct at `start` never assigns."""
        inner = self.assigned.get(start)
        if inner is None or not facts:
            return {}
        return {x: f for x, f in facts.items() if x not in inner}

    def accessed(self, addr):
        """A memory access at `addr` (an expression) did not trap."""
        opnd = self._operand(addr)
        if opnd is not None and opnd[0] == 'l':
            self._narrow(opnd[1], MAX['i64'], 0, ADDRESS_LIMIT - 1)

    def forget(self, x):
        self.facts.pop(x, None)

    def forget_all(self):
        self.facts = {}

    def unwrapped(self, op, args):
        """The template of `op` without its mask when the ranges prove it cannot wrap, else None."""
        ty, _, name = op.partition('.')
        if name not in ('add', 'sub') or ty not in MAX:
            return None
        mx = MAX[ty]
        (alo, ahi), (blo, bhi) = (self._bounds(self._operand(a[0]), mx) for a in args)
        if name == 'add' and ahi + bhi <= mx:
            return '({0} + {1})'
        if name == 'sub' and alo >= bhi:
            return '({0} - {1})'
        return None
