"""trace= and stats= of vm.instantiate: instrumented versions of the continuation helpers.

Live continuations (for `peak_live_continuations`): every continuation reference made while
observing is a `_Cont` (a list subclass) that leaves the count when it is consumed or freed
unconsumed, so a dropped continuation is not counted as live.

Only instances created with trace or stats use these (the translator then also emits calls to
OBS.suspend / OBS.switch before each suspension and, for stats, call-depth counting at function
entry), so the normal fast path carries no cost.
"""

from __future__ import annotations

from . import cont as C

OPS = ('cont.new', 'cont.bind', 'resume', 'resume_throw', 'resume_throw_ref', 'suspend', 'switch')


def _tag(tag) -> str:
    name = getattr(tag, 'name', None)
    return f'${name}' if name else '<tag>'


def _clauses(site) -> str:
    parts = [f'(on {_tag(t)})' for t in site.on] + [f'(on {_tag(t)} switch)' for t in site.sw]
    return (' ' + ' '.join(parts)) if parts else ''


class _Cont(list):
    """A continuation reference made while observing: the same one-element list [obj], which tells
    the observer when it dies unconsumed (dropped), so `live` counts what is really alive."""

    __slots__ = ()
    observer = None

    def __del__(self):
        if self[0] is not None:
            self.observer.live -= 1


class Observer:
    def __init__(self, trace=None, stats=False):
        self.trace = trace
        self.stats = bool(stats)
        self.counts = dict.fromkeys(OPS, 0)
        self.live = 0
        self.peak_live = 0
        self.depth = 0
        self.peak_depth = 0

    def snapshot(self) -> dict:
        out = dict(self.counts)
        out['peak_live_continuations'] = self.peak_live
        out['peak_call_depth'] = self.peak_depth
        return out

    def _note(self, op, line):
        self.counts[op] += 1
        if self.trace is not None:
            self.trace(line)

    # called from translated code
    def suspend(self, tag, fname):
        self._note('suspend', f'suspend {_tag(tag)} in {fname}')

    def switch(self, tag, fname):
        # (live does not change: the target is consumed, the switching code becomes a continuation
        # — a plain list, counted until consumed even if dropped)
        self._note('switch', f'switch {_tag(tag)} in {fname}')

    def install(self, ns: dict) -> None:
        ob = self

        class Cont(_Cont):
            __slots__ = ()
            observer = ob

        def made(k):
            """Count a new live continuation; its observed copy (the list k itself is dropped)."""
            ob.live += 1
            if ob.live > ob.peak_live:
                ob.peak_live = ob.live
            return Cont(k)

        def consume(k):
            if k is not None and k[0] is not None:     # (else resuming it traps: nothing consumed)
                ob.live -= 1

        def cont_new(fn):
            k = C.cont_new(fn)
            ob._note('cont.new', f'cont.new {fn.name}')
            return made(k)

        def cont_bind(k, args):
            consume(k)
            k2 = C.cont_bind(k, args)
            base = k2[0][0] if type(k2[0]) is tuple else k2[0]
            what = base.name if type(base) is not C.GEN else 'a suspended continuation'
            ob._note('cont.bind', f'cont.bind {what} with {len(args)} argument(s)')
            return made(k2)

        def after(r):
            if r[0] >= 0:           # a handler received the suspended continuation, last
                return r[0], r[1][:-1] + (made(r[1][-1]),)
            return r

        def resume(k, args, site):
            consume(k)
            ob._note('resume', f'resume{_clauses(site)} in {site.where}')
            d = ob.depth
            try:
                return after(C.resume(k, args, site))
            finally:
                ob.depth = d

        def resume_gen(k, args, site):
            consume(k)
            ob._note('resume', f'resume{_clauses(site)} in {site.where}')
            d = ob.depth
            try:
                return after((yield from C.resume_gen(k, args, site)))
            finally:
                ob.depth = d

        def throwers(op):
            def resume_throw(k, exn, site):
                consume(k)
                ob._note(op, f'{op} {_tag(exn.tag)}{_clauses(site)} in {site.where}')
                return after(C.resume_throw(k, exn, site))

            def resume_throw_gen(k, exn, site):
                consume(k)
                ob._note(op, f'{op} {_tag(exn.tag)}{_clauses(site)} in {site.where}')
                return after((yield from C.resume_throw_gen(k, exn, site)))
            return resume_throw, resume_throw_gen

        rt, rtg = throwers('resume_throw')
        rtr, rtrg = throwers('resume_throw_ref')
        ns.update(CNEW=cont_new, CBIND=cont_bind, RESUME=resume, RESUME_G=resume_gen,
                  RESUME_THROW=rt, RESUME_THROW_G=rtg, RESUME_THROW_REF=rtr, RESUME_THROW_REF_G=rtrg,
                  OBS=self)
