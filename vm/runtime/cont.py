"""Continuations (stack switching) on top of Python generators.

A function that may suspend is translated twice: a plain Python function and a generator function.
Inside a continuation the generator flavour runs; `suspend` there yields its tag (the payload in
the tag's slot), `switch` yields `(SW, tag, target_cont, *payload)`, and a call to a function that
may suspend is `yield from`. A continuation is a one-shot reference to either a not-yet-started function (+ bound
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


# A continuation reference is a one-element list [obj], the smallest mutable object CPython
# allocates fast (64 bytes; a slotted instance is smaller but ~8x slower to make, and every handled
# suspension makes a new reference). obj tells the state:
#   a generator   suspended (the suspended generator chain), no bound arguments: what the inline
#                 fast path of `resume` in translated code tests with one `type(obj) is GEN`;
#   a Func        fresh (not started), no bound arguments;
#   (base, args)  a Func or generator as above with arguments bound by cont.bind (prepended on
#                 resumption);
#   None          consumed (one-shot).
GEN = type((lambda: (yield))())
# A suspension yields its tag itself, the payload stored in the tag's slot `p` (its one value, or a
# tuple of several): no record is allocated, and the handler test of the common case is one
# identity test. The payload is read (and a reference in it cleared) by the resume that handles the
# suspension before any other Wasm code runs: forwarding passes the tag on untouched. A `switch`
# yields the tuple `(SW, tag, target, *payload)`, SW being a marker.
SW = object()


def take_payload(tag) -> tuple:
    """The payload of the suspension in flight with `tag`, as a tuple; the slot is cleared."""
    p = tag.p
    tag.p = None
    n = tag.np
    return () if n == 0 else (p,) if n == 1 else p


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
    return [fn]


def _take(k):
    """Consume k: its (base, bound arguments); base a Func (fresh) or a generator (suspended)."""
    if k is None:
        raise null_cont()
    obj = k[0]
    if obj is None:
        raise consumed()
    k[0] = None
    if type(obj) is tuple:
        return obj
    return obj, ()


def cont_bind(k, args):
    base, bound = _take(k)
    if args or bound:
        return [(base, bound + args)]
    return [base]


def _start(k, args, nres):
    """Consume k and run it to its first suspension: (gen, record) or (None, results)."""
    obj, bound = _take(k)
    if bound:
        args = bound + args
    try:
        if type(obj) is not GEN:
            if not obj.may_suspend:
                return None, _tup(obj.plain(*args), nres)
            gen = obj.gen(*args)
            return gen, gen.send(None)
        return obj, obj.send(args)
    except StopIteration as e:
        return None, _tup(e.value, nres)


def _throw(k, exn, nres):
    """Consume k and raise `exn` at its suspension point: (gen, record) or (None, results)."""
    gen, _ = _take(k)
    if type(gen) is not GEN:
        raise exn            # not started: no handler of the continuation is active yet
    try:
        return gen, gen.throw(exn)
    except StopIteration as e:
        return None, _tup(e.value, nres)


def _switch_to(target, payload, gen, nres):
    """The running continuation (gen) is suspended; control passes to `target` under the same resume:
    (gen, record) or (None, results)."""
    if target is not None:
        gen_t = target[0]
        if type(gen_t) is GEN:      # the common case, without _start's checks and argument handling
            target[0] = None
            try:
                return gen_t, gen_t.send(payload + ([gen],))
            except StopIteration as e:
                return None, _tup(e.value, nres)
    return _start(target, payload + ([gen],), nres)


def dispatch(gen, rec, site):
    """Plain flavour: handle `rec` (and what follows a switch) or trap. This is drive_gen run where
    nothing encloses the resume: a record drive_gen would forward outward has no handler."""
    d = drive_gen(gen, rec, site)
    try:
        rec = d.send(None)
    except StopIteration as e:
        return e.value
    if type(rec) is tuple:
        raise unhandled(rec[1], rec[3:])
    raise unhandled(rec, take_payload(rec))


def resume(k, args, site):
    """resume in plain flavour: (-1, results) or (clause, payload + (cont,))."""
    gen, rec = _start(k, args, site.nres)
    if gen is None:
        return -1, rec
    if type(rec) is not tuple and rec in site.on:
        return site.on[rec], take_payload(rec) + ([gen],)
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
    on = site.on
    while True:
        if type(rec) is tuple:          # a switch record
            if rec[1] in site.sw:
                gen, rec = _switch_to(rec[2], rec[3:], gen, site.nres)
                if gen is None:
                    return -1, rec
                continue
        elif rec in on:
            return on[rec], take_payload(rec) + ([gen],)
        # forward: one yield out, one send in (the common path of a handler that forwards a tag)
        try:
            v = yield rec
        except WasmExn as e:
            try:
                rec = gen.throw(e)
            except StopIteration as s:
                return -1, _tup(s.value, site.nres)
            continue
        try:
            rec = gen.send(v)
        except StopIteration as s:
            return -1, _tup(s.value, site.nres)


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
