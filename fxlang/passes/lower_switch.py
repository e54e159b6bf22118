"""lower-switch: the stack-switching `switch` instruction and `(on $e switch)` handlers -> `suspend` + a resume
loop, for engines without `switch` (V8 aborts on it; docs/fibers.md).

Algorithm.  For every pair ($e, $ct1) of a `switch $ct1 $e` in the module, with
$ct1 = cont [t1* (ref null? $ct2)] -> [te*] and $ct2 = cont [t2*] -> [te*], declare a tag

    $e' = (tag (param t1* (ref null $ct1)) (result t2*))

and replace the instruction by `suspend $e'`: it hands the handler the target and its arguments, and what the
handler resumes this continuation with (t2*) is what `switch` returns.  Every `resume`, `resume_throw` or
`resume_throw_ref` holding `(on $e switch)` clauses becomes a *switch loop* over the variants k = 1..n of its
switch tags, with locals only:

    which := 0 (the original operands in locals a*)
    block $done (result te*)
      loop $again
        block $v_n (result t1_n* (ref null $ct1_n) (ref $ct2_n)) ... block $v_1 (...)
          block $p_n ... block $p_0
            br_table $p_0 .. $p_n (which)
          end  ;; p_0: the original instruction on a*, its switch clauses replaced by (on $e'_k $v_k)  br $done
          end  ;; p_k: resume $ct1_k on the arguments and current continuation stored at $v_k          br $done
        end    ;; v_k: store the target, its arguments and the captured continuation; which := k; br $again
      end
    end

Each resume in the loop keeps the instruction's other `(on $t $l)` clauses (depths shifted by the blocks
around it): a suspension of another tag in a fiber still reaches the handler around the original `resume`.
A resume whose only clauses are switch clauses is outlined into a driver function `switch.drive` (per
distinct instruction) holding nothing but locals, blocks, branches and `resume` — the V8 rule of
docs/codegen.md, "Engine constraints" — and its caller gets a dead `cont.new` at its top so V8 never inlines
the driver into it; otherwise the loop is built in place.  A nullable local passed where a non-null
reference is expected gets a `ref.as_non_null` (not needed for fxlang's fibers).  `switch` tags no longer
used are left for `prune`.
"""

from __future__ import annotations

import operator

from fxlang.passes import register
from fxlang.passes.resumes import keep_out_of_liftoff, tag_type
from fxlang.wasm import Instr, Module, RefType, ref, ref_null
from fxlang.wasm.types import ContType

_RESUMES = ('resume', 'resume_throw', 'resume_throw_ref')


@register('lower-switch')
def lower_switch(m: Module) -> Module:
    """`switch` -> `suspend` + resume loop.  Input: a valid module (stack switching allowed).  Output: the same
    module, changed in place, valid, with the same behaviour, holding no `switch` instruction and no
    `(on $e switch)` clause; unchanged when it had none."""
    variants = _variants(m)
    sites = [(f, i) for f in m.funcs for i, ins in enumerate(f.body)
             if ins.op in _RESUMES and any(c[0] == 'switch' for c in ins.imms[-1])]
    if not variants and not sites:
        return m
    new_tags = {}
    tag_names = {operator.index(k): v for k, v in m.names.tags.items()}
    for e, ct1 in variants:
        t1, ct2 = _split(m, ct1)
        t2 = list(_cont_func(m, ct2).params)
        # named like the switch tag, whose part it plays (prune then drops the original)
        new_tags[(e, ct1)] = m.tags.add(m.types.func(t1 + [ref_null(ct1)], t2), name=tag_names.get(e))
    lw = _Lowering(m, variants, new_tags)
    for f in list(m.funcs):
        if any(ins.op == 'switch' or (ins.op in _RESUMES and any(c[0] == 'switch' for c in ins.imms[-1]))
               for ins in f.body):
            lw.function(f)
    return m


def _variants(m) -> list:
    """The (switch tag index, $ct1 type index) pairs of the module's `switch` instructions, in first-use order."""
    seen = {}
    for f in m.funcs:
        for ins in f.body:
            if ins.op == 'switch':
                seen.setdefault((operator.index(ins.imms[1]), operator.index(ins.imms[0])), None)
    return list(seen)


def _cont_func(m, ct):
    comp = m.types[ct].comp
    assert isinstance(comp, ContType), f'type {ct} is not a continuation type'
    return m.types.func_type(comp.func_type)


def _split(m, ct1):
    """$ct1 = cont [t1* (ref null? $ct2)] -> [te*]: (t1*, $ct2)."""
    params = list(_cont_func(m, ct1).params)
    last = params[-1]
    return params[:-1], operator.index(last.heap)


class _Lowering:
    def __init__(self, m, variants, new_tags):
        self.m, self.variants, self.new_tags = m, variants, new_tags
        self._drivers: dict = {}

    def function(self, f) -> None:
        out = []
        outlined = False
        for ins in f.body:
            if ins.op == 'switch':
                out.append(Instr('suspend', (self.new_tags[(operator.index(ins.imms[1]),
                                                             operator.index(ins.imms[0]))],), ins.loc))
            elif ins.op in _RESUMES and any(c[0] == 'switch' for c in ins.imms[-1]):
                if all(c[0] == 'switch' for c in ins.imms[-1]):
                    out.append(Instr('call', (self._driver(ins),), ins.loc))
                    outlined = True
                else:
                    out.extend(self._loop(f, ins))
            else:
                out.append(ins)
        if outlined:
            out = keep_out_of_liftoff(self.m) + out
        f.body = out

    # ---- the loop ----------------------------------------------------------------------------------
    def _operands(self, ins) -> list:
        """The value types `ins` (a resume of any flavour) takes from the stack."""
        m = self.m
        ct = operator.index(ins.imms[0])
        if ins.op == 'resume':
            head = list(_cont_func(m, ct).params)
        elif ins.op == 'resume_throw':
            head = list(tag_type(m, ins.imms[1]).params)
        else:
            head = ['exnref']
        return head + [ref_null(ct)]

    def _results(self, ins) -> list:
        return list(_cont_func(self.m, operator.index(ins.imms[0])).results)

    def _loop(self, f, ins, a_locals=None) -> list:
        """The switch loop replacing `ins` in `f`; its operands are on the stack, or (driver) in `a_locals`."""
        m = self.m
        handled = {operator.index(c[1]) for c in ins.imms[-1] if c[0] == 'switch'}
        vs = [v for v in self.variants if v[0] in handled]
        others = [c for c in ins.imms[-1] if c[0] != 'switch']
        n = len(vs)
        store = []                  # per variant: (t1 locals, k1 local, k2 local, $ct1, t1*, $ct2)
        for e, ct1 in vs:
            t1, ct2 = _split(m, ct1)
            store.append(([_local(f, _nullable(t)) for t in t1], _local(f, ref_null(ct1)), _local(f, ref_null(ct2)),
                          ct1, t1, ct2))
        # the paths of the loop: the original instruction (None), then each variant k's resume; a plain
        # `resume $ct` of a variant's own $ct1 starts as that variant's path (fxlang's fibers: one resume)
        ct = operator.index(ins.imms[0])
        first = next((k for k, v in enumerate(vs) if ins.op == 'resume' and v[1] == ct), None)
        paths = ([] if first is not None else [None]) + list(range(n))
        path_of = {k: q for q, k in enumerate(paths)}
        P = len(paths)
        which = _local(f, 'i32') if P > 1 else None
        code = []
        if first is not None:
            t1_locs, k1, k2, *_ = store[first]
            start = list(t1_locs) + [k2, k1]
            if a_locals is None:
                code += [Instr('local.set', (x,)) for x in reversed(start)]
            else:
                for a, x in zip(a_locals, start):
                    code += [Instr('local.get', (a,)), Instr('local.set', (x,))]
        elif a_locals is None:
            a_locals = [_local(f, t) for t in self._operands(ins)]
            code += [Instr('local.set', (a,)) for a in reversed(a_locals)]
        if which is not None:
            code += [Instr('i32.const', (path_of[first] if first is not None else 0,)), Instr('local.set', (which,))]
        code.append(Instr('block', (m.types.func([], self._results(ins)),)))     # $done
        code.append(Instr('loop', (None,)))                                       # $again
        for k in reversed(range(n)):                                              # $v_n outermost
            _, _, _, ct1, t1, ct2 = store[k]
            code.append(Instr('block', (m.types.func([], t1 + [ref_null(ct1), ref(ct2)]),)))
        if P > 1:
            code += [Instr('block', (None,)) for _ in range(P)]                   # $p_{P-1} .. $p_0
            code += [Instr('local.get', (which,)), Instr('br_table', (tuple(range(P - 1)), P - 1))]
        for q, k in enumerate(paths):
            if P > 1:
                code.append(Instr('end', ()))                                     # p_q ends
            # open here: p_{q+1}..p_{P-1}, v_1..v_n, $again, $done
            inner = P - 1 - q if P > 1 else 0
            extra = inner + n + 2
            clauses = tuple(('on', self.new_tags[vs[j]], inner + j) for j in range(n))
            clauses += tuple((c[0], c[1], c[2] + extra) for c in others)
            if k is None:
                code += [Instr('local.get', (a,)) for a in a_locals]
                code.append(Instr(ins.op, ins.imms[:-1] + (clauses,), ins.loc))
            else:
                t1_locs, k1, k2, ct1, t1, ct2 = store[k]
                for loc, t in zip(t1_locs, t1):
                    code.append(Instr('local.get', (loc,)))
                    if _needs_non_null(t):
                        code.append(Instr('ref.as_non_null', ()))
                code.append(Instr('local.get', (k2,)))
                if not _cont_func(m, ct1).params[-1].nullable:
                    code.append(Instr('ref.as_non_null', ()))
                code.append(Instr('local.get', (k1,)))
                code.append(Instr('resume', (ct1, clauses)))
            code.append(Instr('br', (extra - 1,)))                                # $done
        for k in range(n):
            code.append(Instr('end', ()))                                         # v_k ends: t1* k1 k2
            t1_locs, k1, k2, *_ = store[k]
            code.append(Instr('local.set', (k2,)))
            code.append(Instr('local.set', (k1,)))
            code += [Instr('local.set', (loc,)) for loc in reversed(t1_locs)]
            if which is not None:
                code += [Instr('i32.const', (path_of[k],)), Instr('local.set', (which,))]
            code.append(Instr('br', (n - k - 1,)))                                # $again
        code.append(Instr('end', ()))                                             # loop
        code.append(Instr('unreachable', ()))
        code.append(Instr('end', ()))                                             # $done
        return code

    # ---- outlining ---------------------------------------------------------------------------------
    def _driver(self, ins):
        key = (ins.op, ins.imms)
        d = self._drivers.get(key)
        if d is None:
            m = self.m
            params = self._operands(ins)
            d = self._drivers[key] = m.funcs.add(m.types.func(params, self._results(ins)), name='switch.drive')
            d.body = self._loop(d, ins, a_locals=list(range(len(params))))
        return d


def _local(f, t) -> int:
    return f.local(t)


def _nullable(t):
    return ref_null(t.heap) if isinstance(t, RefType) else t


def _needs_non_null(t) -> bool:
    return isinstance(t, RefType) and not t.nullable
