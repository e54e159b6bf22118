"""Value ranges of integer locals, for dropping the wrap-around mask of additions and subtractions
that cannot wrap. A mixin of FuncTranslator.

Algorithm: facts `local -> (lo, hi)` (unsigned) hold at the current translation point and come only
from comparisons the code has tested: the fall-through of `br_if c` knows `not c`, the arms of
`if c` know `c` / `not c`. A comparison is usable when both operands are locals or constants (its
expression is remembered when op_pure builds it; a condition spilled to a temporary is unknown).
Facts die where they may stop holding: a `local.set`/`local.tee` of the local, the start of a
`loop` (its back edges come from later code), and the end of every construct (a join with the
branches to it). So a fact never flows along an edge it was not derived on.

Used by op_pure: `i32.add`/`i64.add` of operands whose highs sum within the type, and `sub` whose
minuend's low is at least the subtrahend's high, are emitted without `& mask` (a counted loop's
`i + 1` after `br_if $done (i32.ge_u i n)`, fib's `n - 1` in the else arm of `if (i32.lt_u n 2)`).
"""

from __future__ import annotations

import re

_LOCAL = re.compile(r'l(\d+)')
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
