"""Continuations (stack switching) on top of Python generators.

A function that may suspend is translated twice: a plain Python function and a generator function.
Inside a continuation the generator flavour runs; `suspend` there yields the flat record
`(tag, None, *payload)`, `switch` yields `(tag, target_cont, *payload)`, and a call to a function that may suspend is
`yield from`. A continuation is a one-shot reference to either a not-yet-started function (+ bound
arguments) or a suspended generator chain (+ arguments bound by cont.bind).

`resume` drives the continuation's generator: a yielded record whose tag has a clause in the resume's
handler table is handled there; otherwise the plain-flavour `resume` traps ("unhandled tag", or
"suspension across barrier" inside a barrier) and the generator-flavour `resume_gen` forwards the
record outward with `yield` and passes the answer (or a thrown Wasm exception) back in.
"""

from __future__ import annotations

from ..errors import Trap, UnhandledSuspension, BarrierTrap
from .entities import WasmExn
from .budget import charge, CONT_BYTES

# Number of `barrier` blocks currently executing (all instances share the one execution thread).
BARRIER = [0]


# A continuation reference is a 3-element list [state, obj, args]: the cheapest mutable object
# CPython allocates (a slotted instance costs ~8x more, and every suspension makes a new reference).
#   state FRESH: obj is the Func to start; SUSPENDED: obj is the suspended generator chain;
#   USED: consumed (one-shot). args: arguments bound by cont.bind, prepended on resumption.
FRESH, SUSPENDED, USED, SUSPENDED_BOUND = 0, 1, 2, 3
# SUSPENDED means "suspended, no bound arguments" (the state the inline fast path of `resume` in
# translated code tests with a single comparison); cont.bind on a suspended one gives SUSPENDED_BOUND.


class ResumeSite:
    """The static part of one resume/resume_throw instruction: handler clauses and result arity."""

    __slots__ = ('on', 'sw', 'nres', 'where')

    def __init__(self, on: dict, sw: frozenset, nres: int, where: str = ''):
        self.on = on          # tag -> clause number (the order of the (on $t $l) clauses)
        self.sw = sw          # tags with an (on $t switch) clause
        self.nres = nres
        self.where = where


def _tup(v, nres):
    if nres == 0:
        return ()
    if nres == 1:
        return (v,)
    return v


def _tag_name(tag) -> str:
    name = getattr(tag, 'name', None)
    return f'unhandled tag ${name}' if name else 'unhandled tag'


def unhandled(tag, payload=()):
    """The trap for a suspension with no handler (plain flavour: no enclosing resume can see it)."""
    if BARRIER[0]:
        return BarrierTrap()
    return UnhandledSuspension(_tag_name(tag), tag=tag, payload=payload)


def null_cont(k=None):
    """The trap for a null continuation reference; given a (consumed) one, the trap for that."""
    return Trap('null continuation reference') if k is None else consumed()


def consumed():
    return Trap('continuation already consumed')


def cont_new(fn):
    if fn is None:
        raise Trap('null function reference')
    charge(CONT_BYTES)
    return [FRESH, fn, ()]


def cont_bind(k, args):
    if k is None:
        raise null_cont()
    st = k[0]
    if st == USED:
        raise consumed()
    k[0] = USED
    if st == SUSPENDED and args:
        st = SUSPENDED_BOUND
    return [st, k[1], k[2] + args]


def _start(k, args, nres):
    """Consume k and run it to its first suspension: (gen, record) or (None, results)."""
    if k is None:
        raise null_cont()
    st = k[0]
    if st == USED:
        raise consumed()
    k[0] = USED
    obj = k[1]
    if k[2]:
        args = k[2] + args
    try:
        if st == FRESH:
            if not obj.may_suspend:
                return None, _tup(obj.plain(*args), nres)
            gen = obj.gen(*args)
            return gen, gen.send(None)
        return obj, obj.send(args)
    except StopIteration as e:
        return None, _tup(e.value, nres)


def _throw(k, exn, nres):
    """Consume k and raise `exn` at its suspension point: (gen, record) or (None, results)."""
    if k is None:
        raise null_cont()
    st = k[0]
    if st == USED:
        raise consumed()
    k[0] = USED
    if st == FRESH:
        raise exn            # not started: no handler of the continuation is active yet
    gen = k[1]
    try:
        return gen, gen.throw(exn)
    except StopIteration as e:
        return None, _tup(e.value, nres)


def _send(gen, v, nres):
    try:
        return gen, gen.send(v)
    except StopIteration as e:
        return None, _tup(e.value, nres)


def _switch_to(target, payload, gen, nres):
    """The running continuation (gen) is suspended; control passes to `target` under the same resume:
    (gen, record) or (None, results)."""
    if target[0] == SUSPENDED:          # the common case, without _start's checks and argument handling
        target[0] = USED
        gen_t = target[1]
        try:
            return gen_t, gen_t.send(payload + ([SUSPENDED, gen, ()],))
        except StopIteration as e:
            return None, _tup(e.value, nres)
    return _start(target, payload + ([SUSPENDED, gen, ()],), nres)


def dispatch(gen, rec, site):
    """Plain flavour: handle `rec` (and what follows a switch) or trap. This is drive_gen run where
    nothing encloses the resume: a record drive_gen would forward outward has no handler."""
    d = drive_gen(gen, rec, site)
    try:
        rec = d.send(None)
    except StopIteration as e:
        return e.value
    raise unhandled(rec[0], rec[2:])


def resume(k, args, site):
    """resume in plain flavour: (-1, results) or (clause, payload + (cont,))."""
    if k is not None and k[0] == SUSPENDED:
        # fast path: a suspended continuation without bound arguments
        k[0] = USED
        gen = k[1]
        try:
            rec = gen.send(args)
        except StopIteration as e:
            return -1, _tup(e.value, site.nres)
        if rec[1] is None:
            i = site.on.get(rec[0])
            if i is not None:
                return i, rec[2:] + ([SUSPENDED, gen, ()],)
        return dispatch(gen, rec, site)
    gen, rec = _start(k, args, site.nres)
    if gen is None:
        return -1, rec
    return dispatch(gen, rec, site)


def resume_throw(k, exn, site):
    gen, rec = _throw(k, exn, site.nres)
    if gen is None:
        return -1, rec
    return dispatch(gen, rec, site)


def drive_gen(gen, rec, site):
    """Generator flavour: handle `rec` and what follows it; a record no clause of `site` handles is
    forwarded to the enclosing resume (`yield`), and its answer sent back in. Returns (-1, results)
    or (clause, payload + (cont,))."""
    nres = site.nres
    on = site.on
    while gen is not None:
        tag = rec[0]
        target = rec[1]
        if target is None:
            i = on.get(tag)
            if i is not None:
                return i, rec[2:] + ([SUSPENDED, gen, ()],)
        elif tag in site.sw:
            gen, rec = _switch_to(target, rec[2:], gen, nres)
            continue
        try:
            v = yield rec
        except WasmExn as e:
            try:
                rec = gen.throw(e)
            except StopIteration as s:
                return -1, _tup(s.value, nres)
            continue
        gen, rec = _send(gen, v, nres)
    return -1, rec


def resume_gen(k, args, site):
    gen, rec = _start(k, args, site.nres)
    if gen is None:
        return -1, rec
    return (yield from drive_gen(gen, rec, site))


def resume_throw_gen(k, exn, site):
    gen, rec = _throw(k, exn, site.nres)
    if gen is None:
        return -1, rec
    return (yield from drive_gen(gen, rec, site))


def exn_of_ref(e):
    if e is None:
        raise Trap('null exception reference')
    return e
