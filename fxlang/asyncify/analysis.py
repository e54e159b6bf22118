"""Which functions may suspend, and at which instructions: Asyncify's call-graph analysis, for WasmFX.

Algorithm.  Every suspension is identified by a *code*: `suspend $t` has code t (the tag's index) and
`switch $ct $t` has code t + ntags (a switch is only handled by `(on $t switch)`, a suspend only by
`(on $t $l)`).  For each defined function f we compute tags(f), the codes that may escape a call of f, as the
least fixpoint of:

    suspend $t, switch $ct $t            -> their code
    call g, return_call g                 -> tags(g)          (an import has none: a suspension cannot cross a
                                                               host frame, engines trap; so does the lowering)
    call_ref $t, call_indirect $t, and    -> tags(h) for every address-taken function h (ref.func, element
      their return_call forms                segments, exports, globals/tables' initialisers) whose type is $t
                                             or a subtype of it
    resume $ct ..., resume_throw(_ref)    -> CONT minus the codes its clauses handle, where CONT is the union of
                                             tags(h) over address-taken functions h (the possible bottoms of a
                                             continuation; what runs above them is reachable from them)
    anything inside a `barrier` body      -> nothing (a suspension crossing a barrier traps instead)

The sets only grow, so a round-robin iteration until nothing changes terminates.  A function is instrumented
iff tags(f) is non-empty; its *points* are the instructions above with a non-empty set (outside barriers):
the places where a frame may be unwound and must later be re-entered.  Everything else is left alone, which
is what keeps the cost of code that never suspends near zero.
"""

from __future__ import annotations

import operator

from fxlang.wasm import Module

CALLS = frozenset({'call', 'return_call'})
INDIRECT = frozenset({'call_ref', 'return_call_ref', 'call_indirect', 'return_call_indirect'})
RESUMES = frozenset({'resume', 'resume_throw', 'resume_throw_ref'})


class Analysis:
    """tags per defined function, plus the queries the rewrite asks per instruction."""

    def __init__(self, module: Module):
        self.m = module
        self.nimports = module.imports.count('func')
        self.ntags = module.imports.count('tag') + len(module.tags.entries)
        self.taken = _address_taken(module)
        self.tags: dict[int, frozenset] = {f: frozenset() for f in range(self.nimports,
                                                                          self.nimports + len(module.funcs.entries))}
        self._by_type: dict[int, list[int]] = {}
        self.cont: frozenset = frozenset()
        self._solve()

    # -- queries ----------------------------------------------------------------------------------

    def code(self, instr) -> int:
        """The suspension code of a suspend/switch."""
        tag = operator.index(instr.imms[0] if instr.op == 'suspend' else instr.imms[1])
        return tag + self.ntags if instr.op == 'switch' else tag

    def handled(self, instr) -> frozenset:
        """The codes a resume instruction's clauses handle."""
        out = set()
        for c in instr.imms[-1]:
            tag = operator.index(c[1])
            out.add(tag + self.ntags if c[0] == 'switch' else tag)
        return frozenset(out)

    def escaping(self, instr) -> frozenset:
        """The codes that may escape executing `instr` (outside any barrier)."""
        op = instr.op
        if op in ('suspend', 'switch'):
            return frozenset((self.code(instr),))
        if op in CALLS:
            return self.tags.get(operator.index(instr.imms[0]), frozenset())
        if op in INDIRECT:
            return self._indirect(operator.index(instr.imms[0]))
        if op in RESUMES:
            return self.cont - self.handled(instr)
        return frozenset()

    def instrumented(self, funcidx: int) -> bool:
        return bool(self.tags.get(funcidx))

    # -- the fixpoint ------------------------------------------------------------------------------

    def _indirect(self, type_idx: int) -> frozenset:
        fns = self._by_type.get(type_idx)
        if fns is None:
            fns = self._by_type[type_idx] = [f for f in self.taken if self._matches(f, type_idx)]
        out = frozenset()
        for f in fns:
            out |= self.tags.get(f, frozenset())
        return out

    def _matches(self, funcidx: int, type_idx: int) -> bool:
        t = self._type_of(funcidx)
        defs = self.m.types.defs
        seen = set()
        while t is not None and t not in seen:
            if t == type_idx or defs[t] == defs[type_idx]:
                return True
            seen.add(t)
            supers = defs[t].supers
            t = supers[0] if supers else None
        return False

    def _type_of(self, funcidx: int) -> int:
        if funcidx < self.nimports:
            return self.m.imports.of_kind('func')[funcidx].desc
        return self.m.funcs.entries[funcidx - self.nimports].type

    def _solve(self) -> None:
        bodies = {self.nimports + i: _outside_barriers(f.body) for i, f in enumerate(self.m.funcs.entries)}
        changed = True
        while changed:
            changed = False
            self.cont = frozenset().union(*(self.tags.get(f, frozenset()) for f in self.taken))
            for f, instrs in bodies.items():
                acc = set(self.tags[f])
                for ins in instrs:
                    acc |= self.escaping(ins)
                if len(acc) != len(self.tags[f]):
                    self.tags[f] = frozenset(acc)
                    changed = True


_INTERESTING = CALLS | INDIRECT | RESUMES | {'suspend', 'switch'}


def _outside_barriers(body: list) -> list:
    """The instructions of `body` that may let a suspension escape, skipping barrier bodies."""
    out, depth, barrier_at = [], 0, []
    for ins in body:
        op = ins.op
        if op in ('block', 'loop', 'if', 'try', 'try_table', 'barrier'):
            depth += 1
            if op == 'barrier':
                barrier_at.append(depth)
        elif op in ('end', 'delegate'):
            if barrier_at and barrier_at[-1] == depth:
                barrier_at.pop()
            depth -= 1
        elif not barrier_at and op in _INTERESTING:
            out.append(ins)
    return out


def _address_taken(m: Module) -> list[int]:
    """Functions whose reference may exist at run time: declared (exported, in element segments or
    initialisers) or taken by ref.func in code."""
    taken = m.declared_functions()
    for f in m.funcs:
        taken.update(operator.index(ins.imms[0]) for ins in f.body if ins.op == 'ref.func')
    return sorted(taken)
