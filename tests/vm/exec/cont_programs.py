"""Random, valid, terminating WasmFX modules (stack switching) for differential testing.

`generate(seed)` returns the WAT text of one module exporting `run` (no parameters, result i64) and the
mutable i64 global `h`: every observable event (a payload received by a handler, a value a continuation
got back, a caught exception, a result) is mixed into `h` by `$mix`, and `run` returns `h` at its end.
After a trap `h` still tells how far the program got. Nothing is imported, so the wasmtime CLI can run it.

Algorithm. A module is made of
  * tags $t<i> with params and results from (), (i32), (i64), (i32 i64); the switch tag
    $sw : [] -> [i64]; exception tags $e (i32) and $e2 (i64);
  * fibers $F<i> of type [i64] -> [i64] or [i32 i64] -> [i64]: statements (mix, suspend, calls of
    helpers (call, call_ref, call_indirect), counted loops, try_table, data-dependent throws and traps,
    a switch to a switch fiber) plus *drivers* and *schedulers*; a fiber may end in a tail call;
  * helpers $H<i> : [i32 depth] -> [i64] that recurse (or tail-call) depth times: suspensions at
    random call depths;
  * switch fibers $S<i> of the recursive type $fs = [i64 (ref null $cs)] -> [i64] that switch a counted
    number of times (to the partner they received, to a fresh $S<j>, or to one kept in the table $tabs
    or the global $gs);
  * `run`: one to three drivers or schedulers, sometimes a direct call of a fiber (an unhandled tag).
A driver takes a continuation (a fresh fiber bound to $c0 by cont.bind, or fresh and given its
arguments by the first resume, a switch group, or one parked earlier in $tab0/$g0, maybe null) and
resumes it at most B times with a handler clause per chosen tag (sometimes (on $sw switch), sometimes a
tag twice, sometimes under try_table), keeping the received continuation in a local of its type
($c0/$ci/$c1/$c2, by the tag's results) and answering through the next resume, or through cont.bind
right away, or dropping or parking it (in $tab0 or $g0, bound to $c0). Some resumes are resume_throw or
resume_throw_ref instead (into a fresh or a suspended continuation); sometimes the first continuation
is used again afterwards (a one-shot violation). A scheduler resumes the continuations parked in
$tab0 round-robin, parking what they suspend with back. A driver inside a fiber handles only some tags:
the others are forwarded to an outer driver, or trap as unhandled at the top.

Termination holds by construction: a fiber $F<i> only creates fibers $F<j> with j > i, a switch fiber
$S<i> only $S<j> with j > i, and switch fibers create no fibers (only fibers switch to fresh switch
fibers, not helpers, which switch fibers call); loops are counted, helper recursion is bounded by its
depth argument, drivers and schedulers resume a bounded number of times and continuations are
one-shot; so every run ends (a result, a trap, or an uncaught exception) after a bounded amount of work.
"""

from __future__ import annotations

import random
import re

I32, I64 = 'i32', 'i64'
PARAMS = [(), (I32,), (I64,), (I32, I64)]
RESULTS = [(), (I32,), (I64,), (I32, I64)]
# the continuation types a handler receives (for a tag with these results), numbered as a driver's `$w`
SLOTS = [('$c0', ()), ('$ci', (I32,)), ('$c1', (I64,)), ('$c2', (I32, I64))]
CONT_OF = {args: (ct, w) for w, (ct, args) in enumerate(SLOTS)}

TYPES = '''
  (type $f0 (func (result i64))) (type $c0 (cont $f0))
  (type $fi (func (param i32) (result i64))) (type $ci (cont $fi))
  (type $f1 (func (param i64) (result i64))) (type $c1 (cont $f1))
  (type $f2 (func (param i32 i64) (result i64))) (type $c2 (cont $f2))
  (rec (type $fs (func (param i64 (ref null $cs)) (result i64))) (type $cs (cont $fs)))
  (tag $sw (result i64))
  (tag $e (param i32))
  (tag $e2 (param i64))
  (global $h (export "h") (mut i64) (i64.const 0))
  (global $g0 (mut (ref null $c0)) (ref.null $c0))
  (global $gs (mut (ref null $cs)) (ref.null $cs))
  (table $tab0 4 (ref null $c0))
  (table $tabs 4 (ref null $cs))
  (func $mix (param i64)
    (global.set $h (i64.mul (i64.xor (i64.rotl (global.get $h) (i64.const 7)) (local.get 0))
                            (i64.const 1000003))))
'''


class Fn:
    """One function being generated: its locals and instructions (one per line)."""

    def __init__(self, kind: str, index: int):
        self.kind = kind            # 'F' fiber, 'H' helper, 'S' switch fiber, 'run'
        self.index = index
        self.locals: list[tuple[str, str]] = []
        self.code: list[str] = []
        self.labels = 0

    def local(self, ty: str) -> str:
        name = f'$l{len(self.locals)}'
        self.locals.append((name, ty))
        return name

    def label(self) -> str:
        self.labels += 1
        return f'$b{self.labels}'

    def emit(self, *lines: str):
        self.code.extend(lines)


class Generator:
    def __init__(self, seed: int):
        self.r = random.Random(seed)
        r = self.r
        self.tags = [(r.choice(PARAMS), r.choice(RESULTS)) for _ in range(r.randint(1, 4))]
        self.nfibers = r.randint(1, 5)
        self.fiber_two = [r.random() < 0.3 for _ in range(self.nfibers)]   # type $f2 instead of $f1
        self.nhelpers = r.randint(0, 3)
        self.nswitch = r.choice([0, 0, 2, 3, 4])

    # -- small expressions -------------------------------------------------------------------------
    def const(self, ty: str) -> str:
        return f'({ty}.const {self.r.choice([0, 1, 2, 3, 7, -1, 100, 12345])})'

    def value(self, fn: Fn, ty: str) -> str:
        """A value computed from the function's state (or the trace hash)."""
        c = self.r.random()
        if c < 0.35:
            v = '(local.get $acc)'
        elif c < 0.65:
            v = '(global.get $h)'
        else:
            return self.const(ty)
        return v if ty == I64 else f'(i32.wrap_i64 {v})'

    def answer(self, ty: str) -> str:
        """What a driver passes back into a continuation."""
        c = self.r.random()
        if c < 0.5:
            v = f'(i64.add (global.get $h) (i64.const {self.r.randint(0, 999)}))'
            return v if ty == I64 else f'(i32.wrap_i64 {v})'
        return self.const(ty)

    def absorb(self, ty: str) -> list[str]:
        """Instructions consuming one value of `ty` from the stack into the trace."""
        return ['i64.extend_i32_s', 'call $mix'] if ty == I32 else ['call $mix']

    def into_acc(self, ty: str) -> list[str]:
        ext = ['i64.extend_i32_s'] if ty == I32 else []
        return ext + ['local.get $acc', 'i64.add', 'local.set $acc']

    def cond(self, modulus: int) -> str:
        """A data-dependent condition, true about once in `modulus` times."""
        return f'(i64.eqz (i64.rem_u (global.get $h) (i64.const {modulus})))'

    # -- statements --------------------------------------------------------------------------------
    def stmts(self, fn: Fn, budget: int, depth: int = 0):
        for _ in range(self.r.randint(1, budget)):
            self.stmt(fn, depth)

    def stmt(self, fn: Fn, depth: int):
        r = self.r
        kinds = ['mix', 'acc', 'suspend', 'suspend', 'suspend']
        if self.nhelpers and fn.kind != 'H':
            kinds += ['call', 'call']
        if fn.kind == 'H' and fn.index + 1 < self.nhelpers:
            kinds.append('call')
        if depth < 2:
            kinds += ['loop', 'try']
        kinds += ['throw', 'trap']
        if fn.kind == 'F' and depth < 2:
            kinds += ['driver', 'driver']
        if fn.kind == 'S':
            kinds += ['switch_prep']
        elif fn.kind == 'F' and self.nswitch:
            kinds += ['switch']
        k = r.choice(kinds)
        if k == 'mix':
            fn.emit(f'(call $mix (i64.add (local.get $acc) (i64.const {r.randint(1, 1000)})))')
        elif k == 'acc':
            fn.emit(f'(local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 3)) {self.value(fn, I64)}))')
        elif k == 'suspend':
            t = r.randrange(len(self.tags))
            params, results = self.tags[t]
            fn.emit(*[self.value(fn, p) for p in params], f'suspend $t{t}')
            for ty in reversed(results):
                fn.emit(*self.into_acc(ty))
            fn.emit('(call $mix (local.get $acc))')
        elif k == 'call':
            lo = fn.index + 1 if fn.kind == 'H' else 0
            h = r.randrange(lo, self.nhelpers)
            d = f'(i32.const {r.randint(0, 3)})'
            c = r.random()
            if c < 0.6:
                call = f'(call $H{h} {d})'
            elif c < 0.8:
                call = f'(call_ref $fi {d} (ref.func $H{h}))'
            else:
                call = f'(call_indirect $ftab (type $fi) {d} (i32.const {h}))'
            fn.emit(f'(local.set $acc (i64.add (local.get $acc) {call}))')
        elif k == 'loop':
            i = fn.local(I32)
            b, l = fn.label(), fn.label()
            fn.emit(f'(local.set {i} (i32.const {r.randint(0, 3)}))', f'block {b}', f'loop {l}',
                    f'local.get {i}', 'i32.eqz', f'br_if {b}',
                    f'(local.set {i} (i32.sub (local.get {i}) (i32.const 1)))')
            self.stmts(fn, 3, depth + 1)
            fn.emit(f'br {l}', 'end', 'end')
        elif k == 'try':
            ok, c = fn.label(), fn.label()
            if r.random() < 0.7:
                tag, ty = r.choice([('$e', I32), ('$e2', I64)])
                fn.emit(f'block {ok}', f'block {c} (result {ty})', f'try_table (catch {tag} {c})')
                self.stmts(fn, 3, depth + 1)
                fn.emit('end', f'br {ok}', 'end', *self.absorb(ty), 'end')
            else:
                fn.emit(f'block {ok}', f'block {c}', f'try_table (catch_all {c})')
                self.stmts(fn, 3, depth + 1)
                fn.emit('end', f'br {ok}', 'end', '(call $mix (i64.const 99))', 'end')
        elif k == 'throw':
            tag, ty = r.choice([('$e', I32), ('$e2', I64)])
            fn.emit(f'(if {self.cond(r.choice([5, 9, 17]))} (then (throw {tag} {self.value(fn, ty)})))')
        elif k == 'trap':
            if r.random() < 0.5:
                fn.emit(f'(if {self.cond(r.choice([7, 13, 31]))} (then (unreachable)))')
            else:
                fn.emit(f'(drop (i32.div_u (i32.const 1) (i32.wrap_i64 (i64.rem_u (global.get $h) '
                        f'(i64.const {r.choice([11, 29])})))))')
        elif k == 'driver':
            if r.random() < 0.2:
                self.scheduler(fn)
            else:
                self.driver(fn)
        elif k == 'switch':
            # a switch from a fiber (maybe under resumes without a switch handler, which forward it)
            # to the switch fiber parked in $gs / $tabs, else to a fresh one. (Not from a helper: a
            # switch fiber calling a helper that starts a fresh switch fiber could go on forever.)
            target, got = fn.local('(ref null $cs)'), fn.local('(ref null $cs)')
            fresh = f'(cont.new $cs (ref.func $S{r.randrange(self.nswitch)}))'
            if r.random() < 0.5:
                fn.emit(f'(local.set {target} (block (result (ref null $cs)) (br_on_non_null 0 (global.get $gs)) '
                        f'{fresh}))', '(global.set $gs (ref.null $cs))')
            else:
                slot = r.randrange(4)
                fn.emit(f'(local.set {target} (block (result (ref null $cs)) (br_on_non_null 0 (table.get $tabs '
                        f'(i32.const {slot}))) {fresh}))', f'(table.set $tabs (i32.const {slot}) (ref.null $cs))')
            fn.emit(self.value(fn, I64), f'local.get {target}', 'switch $cs $sw', f'local.set {got}',
                    *self.into_acc(I64), '(call $mix (local.get $acc))',
                    f'(global.set $gs (local.get {got}))' if r.random() < 0.5 else
                    f'(table.set $tabs (i32.const {r.randrange(4)}) (local.get {got}))')
        elif k == 'switch_prep':
            # keep the partner for a later switch through the table or the global
            if r.random() < 0.5:
                fn.emit(f'(table.set $tabs (i32.const {r.randrange(4)}) (local.get $k))')
            else:
                fn.emit('(global.set $gs (local.get $k))')

    # -- drivers -----------------------------------------------------------------------------------
    def source(self, fn: Fn, fresh: bool = False) -> tuple[list[str], int, bool]:
        """Instructions leaving the driver's first continuation on the stack: (code, $w, may be null)."""
        r = self.r
        lo = fn.index + 1 if fn.kind == 'F' else 0
        choices = []
        if lo < self.nfibers:
            choices += ['fiber'] * 4
        if fresh:
            choices = ['fiber']
        if self.nswitch and fn.kind == 'run' and not fresh:
            choices += ['switch'] * 4
        if not fresh and (fn.kind != 'run' or fn.code):   # (nothing is parked before run's first driver)
            choices += ['table', 'global']
        c = r.choice(choices)
        if c == 'fiber':
            j = r.randrange(lo, self.nfibers)
            new = f'(ref.func $F{j})'
            if self.fiber_two[j]:
                if not fresh and r.random() < 0.3:
                    return [f'(cont.new $c2 {new})'], 3, False    # both arguments come with the first resume
                if r.random() < 0.5:
                    return [f'(cont.bind $c2 $c0 {self.const(I32)} {self.value(fn, I64)} (cont.new $c2 {new}))'], 0, False
                return [f'(cont.bind $c1 $c0 {self.value(fn, I64)} (cont.bind $c2 $c1 {self.const(I32)} '
                        f'(cont.new $c2 {new})))'], 0, False
            if r.random() < 0.4:
                return [f'(cont.new $c1 {new})'], 2, False     # its argument comes with the first resume
            return [f'(cont.bind $c1 $c0 {self.value(fn, I64)} (cont.new $c1 {new}))'], 0, False
        if c == 'switch':
            a, b = r.randrange(self.nswitch), r.randrange(self.nswitch)
            partner = f'(cont.new $cs (ref.func $S{b}))' if r.random() < 0.95 else '(ref.null $cs)'
            return [f'(cont.bind $cs $c0 {self.const(I64)} {partner} (cont.new $cs (ref.func $S{a})))'], 0, False
        if c == 'table':
            return [f'(table.get $tab0 (i32.const {r.randrange(4)}))'], 0, True
        return ['(global.get $g0)'], 0, True

    def store(self, fn: Fn, tmp: str) -> list[str]:
        """Instructions parking the (ref null $c0) on the stack."""
        r = self.r.random()
        if r < 0.45:
            return [f'local.set {tmp}', f'(table.set $tab0 (i32.const {self.r.randrange(4)}) (local.get {tmp}))']
        if r < 0.8:
            return ['global.set $g0']
        return ['drop']

    def driver(self, fn: Fn):
        r = self.r
        end, loop, fin = fn.label(), fn.label(), fn.label()
        k = [fn.local(f'(ref null {ct})') for ct, _ in SLOTS]      # the continuation, by type ($w)
        w, n = fn.local(I32), fn.local(I32)
        code, w0, nullable = self.source(fn)
        old = None
        fn.emit(f'block {end}', *code, f'local.set {k[w0]}')
        if nullable and r.random() < 0.9:
            fn.emit(f'local.get {k[0]}', 'ref.is_null', f'br_if {end}')
        if w0 == 0 and not nullable and r.random() < 0.15:
            old = fn.local('(ref null $c0)')
            fn.emit(f'(local.set {old} (local.get {k[0]}))')
        if nullable and r.random() < 0.3:       # taken out of its slot
            fn.emit('(table.fill $tab0 (i32.const 0) (ref.null $c0) (i32.const 4))' if 'table' in code[0]
                    else '(global.set $g0 (ref.null $c0))')
        budget = r.randint(1, 6)
        fn.emit(f'(local.set {w} (i32.const {w0}))', f'(local.set {n} (i32.const {budget}))', f'loop {loop}')
        # out of budget: park the continuation (bound to $c0) or drop it
        tmp = fn.local('(ref null $c0)')
        p = [fn.label() for _ in SLOTS]
        fn.emit(f'local.get {n}', 'i32.eqz', 'if', *[f'block {x}' for x in reversed(p)],
                f'local.get {w}', f'br_table {" ".join(p)} {p[0]}', 'end')
        for slot, (ct, args) in enumerate(SLOTS):
            fn.emit(*self.bound(k[slot], ct, args), *self.store(fn, tmp), f'br {end}', 'end')
        fn.emit(f'(local.set {n} (i32.sub (local.get {n}) (i32.const 1)))')
        # handler clauses
        handled = [t for t in range(len(self.tags))
                   if r.random() < (0.9 if fn.kind == 'run' else 0.5)]
        r.shuffle(handled)
        if handled and r.random() < 0.15:
            handled.append(r.choice(handled))       # a tag twice: the first clause wins
        clauses = [(t, fn.label()) for t in handled]
        switch = self.nswitch and r.random() < (0.9 if fn.kind == 'run' else 0.6)
        ons = ' '.join(f'(on $t{t} {lab})' for t, lab in clauses) + (' (on $sw switch)' if switch else '')
        caught = None
        if r.random() < 0.5:
            caught = fn.label()
            ctag, cty = r.choice([('$e', I32), ('$e2', I64), (None, None)])
            fn.emit(*([f'block {caught} (result {cty})', f'try_table (catch {ctag} {caught})'] if ctag else
                      [f'block {caught}', f'try_table (catch_all {caught})']))
        fn.emit(f'block {fin} (result i64)')
        for t, lab in reversed(clauses):
            params, results = self.tags[t]
            fn.emit(f'block {lab} (result {" ".join(params)} (ref {CONT_OF[results][0]}))')
        d = [fn.label() for _ in SLOTS]
        fn.emit(*[f'block {x}' for x in reversed(d)], f'local.get {w}', f'br_table {" ".join(d)} {d[0]}', 'end')
        for slot, (ct, args) in enumerate(SLOTS):
            if r.random() < 0.3:        # sometimes a resume_throw instead (data-dependent)
                tag, ty = r.choice([('$e', I32), ('$e2', I64)])
                fn.emit(f'(if (i32.eq (local.get {n}) (i32.const {r.randint(0, budget - 1)})) (then')
                if r.random() < 0.7:
                    fn.emit(self.value(fn, ty), f'local.get {k[slot]}', f'resume_throw {ct} {tag} {ons}')
                else:                   # the exception as an exnref
                    x = fn.label()
                    fn.emit(f'(block {x} (result exnref) (try_table (catch_all_ref {x}) (throw {tag} '
                            f'{self.value(fn, ty)})) (unreachable))',
                            f'local.get {k[slot]}', f'resume_throw_ref {ct} {ons}')
                fn.emit(f'br {fin}', '))')
            fn.emit(*[self.answer(a) for a in args], f'local.get {k[slot]}', f'resume {ct} {ons}', f'br {fin}')
            if slot < len(SLOTS) - 1:
                fn.emit('end')
        for t, lab in clauses:
            params, results = self.tags[t]
            ct, slot = CONT_OF[results]
            fn.emit('end', f'local.set {k[slot]}')
            for ty in reversed(params):
                fn.emit(*self.absorb(ty))
            if fn.kind == 'F' and r.random() < 0.3:
                self.stmts(fn, 2, 2)        # (e.g. a suspension from inside a handler)
            c = r.random()
            if c < 0.08:
                fn.emit(f'br {end}')                        # dropped: never resumed
            elif c < 0.16:
                fn.emit(*self.bound(k[slot], ct, results), *self.store(fn, tmp), f'br {end}')   # parked
            elif slot and c < 0.45:                         # answered now by cont.bind
                fn.emit(*self.bound(k[slot], ct, results), f'local.set {k[0]}',
                        f'(local.set {w} (i32.const 0))', f'br {loop}')
            else:
                fn.emit(f'(local.set {w} (i32.const {slot}))', f'br {loop}')
        fn.emit('end', 'call $mix')       # $fin: the continuation returned
        if caught:
            fn.emit('end', f'br {end}', 'end', *(self.absorb(cty) if ctag else ['(call $mix (i64.const 77))']))
        fn.emit('end', 'end')              # loop, block $end
        if old is not None and r.random() < 0.7:     # a one-shot violation (unless never resumed)
            fn.emit(r.choice([f'(call $mix (resume $c0 (local.get {old})))',
                              f'(call $mix (resume_throw $c0 $e (i32.const 5) (local.get {old})))',
                              f'(drop (cont.bind $c0 $c0 (local.get {old})))']))

    def bound(self, local: str, ct: str, args) -> list[str]:
        """Instructions leaving the continuation in `local` (of type `ct`, taking `args`) as a $c0,
        its arguments bound to answers."""
        if not args:
            return [f'local.get {local}']
        return [*[self.answer(a) for a in args], f'local.get {local}', f'cont.bind {ct} $c0']

    def scheduler(self, fn: Fn):
        """Round robin over the slots of $tab0 (some filled with fresh fibers first): each round resumes
        every parked continuation once and parks what it suspends with back in its slot, answered by
        cont.bind; the continuations of several fibers interleave."""
        r = self.r
        k = [fn.local(f'(ref null {ct})') for ct, _ in SLOTS]
        for slot in range(4):
            if r.random() < 0.6 and (fn.kind == 'run' or fn.index + 1 < self.nfibers):
                code, w0, _ = self.source(fn, fresh=True)
                fn.emit(*(code if w0 == 0 else [self.answer(I64), *code, 'cont.bind $c1 $c0']),
                        f'local.set {k[0]}', f'(table.set $tab0 (i32.const {slot}) (local.get {k[0]}))')
        rounds = fn.local(I32)
        b, l = fn.label(), fn.label()
        handled = [t for t in range(len(self.tags)) if r.random() < (0.9 if fn.kind == 'run' else 0.6)]
        switch = self.nswitch and r.random() < 0.8
        fn.emit(f'(local.set {rounds} (i32.const {r.randint(1, 5)}))', f'block {b}', f'loop {l}',
                f'local.get {rounds}', 'i32.eqz', f'br_if {b}',
                f'(local.set {rounds} (i32.sub (local.get {rounds}) (i32.const 1)))')
        for slot in range(4):
            skip, fin = fn.label(), fn.label()
            clauses = [(t, fn.label()) for t in handled]
            ons = ' '.join(f'(on $t{t} {lab})' for t, lab in clauses) + (' (on $sw switch)' if switch else '')
            fn.emit(f'block {skip}', f'(local.set {k[0]} (table.get $tab0 (i32.const {slot})))',
                    f'(br_if {skip} (ref.is_null (local.get {k[0]})))',
                    f'(table.set $tab0 (i32.const {slot}) (ref.null $c0))', f'block {fin} (result i64)')
            for t, lab in reversed(clauses):
                params, results = self.tags[t]
                fn.emit(f'block {lab} (result {" ".join(params)} (ref {CONT_OF[results][0]}))')
            fn.emit(f'(resume $c0 {ons} (local.get {k[0]}))', f'br {fin}')
            for t, lab in clauses:
                params, results = self.tags[t]
                ct, w = CONT_OF[results]
                fn.emit('end', f'local.set {k[w]}')
                for ty in reversed(params):
                    fn.emit(*self.absorb(ty))
                fn.emit(*self.bound(k[w], ct, results), f'local.set {k[0]}',
                        f'(table.set $tab0 (i32.const {slot}) (local.get {k[0]}))', f'br {skip}')
            fn.emit('end', 'call $mix', 'end')
        fn.emit(f'br {l}', 'end', 'end')

    # -- functions ---------------------------------------------------------------------------------
    def fiber(self, i: int) -> str:
        fn = Fn('F', i)
        params = '(param $y i32) (param $x i64)' if self.fiber_two[i] else '(param $x i64)'
        init = ('(local.set $acc (i64.add (local.get $x) (i64.extend_i32_s (local.get $y))))'
                if self.fiber_two[i] else '(local.set $acc (local.get $x))')
        fn.emit(init, f'(call $mix (i64.add (local.get $acc) (i64.const {1000 + i})))')
        self.stmts(fn, 6)
        if self.nhelpers and self.r.random() < 0.2:      # the continuation's bottom frame tail-calls
            fn.emit('(call $mix (local.get $acc))',
                    f'(return_call $H{self.r.randrange(self.nhelpers)} (i32.const {self.r.randint(0, 3)}))')
        else:
            fn.emit('(i64.add (local.get $acc) (global.get $h))')
        return self.func(fn, f'$F{i}', f'{params} (result i64)')

    def helper(self, i: int) -> str:
        fn = Fn('H', i)
        fn.emit(f'(local.set $acc (i64.extend_i32_s (local.get $d)))',
                f'(call $mix (i64.const {2000 + i}))')
        self.stmts(fn, 3)
        # recursion, bounded by $d: to itself or a later helper
        j = self.r.randrange(i, self.nhelpers)
        less = '(i32.sub (local.get $d) (i32.const 1))'
        c = self.r.random()
        if c < 0.6:
            fn.emit(f'(if (i32.gt_s (local.get $d) (i32.const 0)) (then (local.set $acc (i64.add (local.get $acc) '
                    f'(call $H{j} {less})))))')
        else:                   # a tail call, maybe to a function that suspends
            tail = f'(return_call $H{j} {less})' if c < 0.8 else f'(return_call_ref $fi {less} (ref.func $H{j}))'
            fn.emit(f'(if (i32.gt_s (local.get $d) (i32.const 0)) (then (call $mix (local.get $acc)) {tail}))')
        self.stmts(fn, 2)
        fn.emit('(local.get $acc)')
        return self.func(fn, f'$H{i}', '(param $d i32) (result i64)')

    def switcher(self, i: int) -> str:
        r = self.r
        fn = Fn('S', i)
        cnt = fn.local(I32)
        b, l = fn.label(), fn.label()
        fn.emit('(local.set $acc (local.get $x))', f'(call $mix (i64.add (local.get $x) (i64.const {3000 + i})))',
                f'(local.set {cnt} (i32.const {r.randint(1, 4)}))', f'block {b}', f'loop {l}',
                f'local.get {cnt}', 'i32.eqz', f'br_if {b}',
                f'(local.set {cnt} (i32.sub (local.get {cnt}) (i32.const 1)))')
        if r.random() < 0.6:
            self.stmts(fn, 2, 2)
        c = r.random()
        if c < 0.55:
            target = '(local.get $k)'
        elif c < 0.7 and i + 1 < self.nswitch:
            target = f'(cont.new $cs (ref.func $S{r.randrange(i + 1, self.nswitch)}))'
        else:
            target = (f'(table.get $tabs (i32.const {r.randrange(4)}))' if c < 0.85 else '(global.get $gs)')
            if r.random() < 0.8:        # an empty slot: the partner instead
                target = f'(block (result (ref null $cs)) (br_on_non_null 0 {target}) (local.get $k))'
        fn.emit(f'(i64.add (local.get $x) (i64.const {r.randint(1, 50)}))', target, 'switch $cs $sw',
                'local.set $k', 'local.set $x', '(call $mix (local.get $x))', f'br {l}', 'end', 'end',
                '(i64.add (local.get $acc) (local.get $x))')
        return self.func(fn, f'$S{i}', '(type $fs) (param $x i64) (param $k (ref null $cs)) (result i64)')

    def run(self) -> str:
        r = self.r
        fn = Fn('run', -1)
        for _ in range(r.randint(1, 3)):
            if self.nfibers and r.random() < 0.05:
                j = r.randrange(self.nfibers)
                args = '(i32.const 1) (i64.const 2)' if self.fiber_two[j] else '(i64.const 2)'
                fn.emit(f'(call $mix (call $F{j} {args}))')       # not in a continuation
            if r.random() < 0.25:
                self.scheduler(fn)
            else:
                self.driver(fn)
        fn.emit('(global.get $h)')
        return self.func(fn, '$run', '(export "run") (result i64)')

    def func(self, fn: Fn, name: str, sig: str) -> str:
        decl = ' '.join(f'(local {n} {t})' for n, t in [('$acc', I64)] + fn.locals)
        body = '\n    '.join(fn.code)
        return f'  (func {name} {sig} {decl}\n    {body})\n'

    def module(self) -> str:
        tags = ''.join(f'  (tag $t{i} (param {" ".join(p)}) (result {" ".join(res)}))\n'
                       for i, (p, res) in enumerate(self.tags))
        funcs = [self.fiber(i) for i in range(self.nfibers)]
        funcs += [self.helper(i) for i in range(self.nhelpers)]
        funcs += [self.switcher(i) for i in range(self.nswitch)]
        funcs.append(self.run())
        refs = [f'$F{i}' for i in range(self.nfibers)] + [f'$S{i}' for i in range(self.nswitch)]
        elem = f'  (elem declare func {" ".join(refs)})\n' if refs else ''
        if self.nhelpers:
            helpers = ' '.join(f'$H{i}' for i in range(self.nhelpers))
            elem += f'  (table $ftab funcref (elem {helpers}))\n'
        return f'(module\n{TYPES}{tags}{elem}{"".join(funcs)})\n'


def generate(seed: int) -> str:
    """The WAT text of the random module of this seed (deterministic)."""
    return Generator(seed).module()


# -- mutations (for validation verdicts) ---------------------------------------------------------

MUTABLE = re.compile(r'\b(resume_throw|resume|cont\.new|cont\.bind|suspend|switch) (\$\w+)(?: (\$\w+))?'
                     r'|\(on (\$\w+) (\$\w+|switch)\)')
CONTS = ['$c0', '$ci', '$c1', '$c2', '$cs']


def mutate(wat: str, seed: int) -> str:
    """`wat` with one continuation instruction's type, tag or handler label replaced by another one
    (often invalid, sometimes still valid): the same verdict is expected from every validator."""
    r = random.Random(seed)
    sites = list(MUTABLE.finditer(wat))
    m = r.choice(sites)
    tags = sorted(set(re.findall(r'\(tag (\$\w+)', wat)))
    start = wat.rfind('(func ', 0, m.start())
    end = wat.find('(func ', m.end())
    labels = sorted(set(re.findall(r'block (\$b\d+) \(result', wat[start:end if end > 0 else None])))
    group = r.choice([g for g in range(1, 6) if m.group(g) and g != 1])
    old = m.group(group)
    if old.startswith('$c'):
        new = r.choice(CONTS)
    elif old == 'switch' or old.startswith('$b'):
        new = r.choice(labels + ['switch'])
    else:
        new = r.choice(tags)
    s, e = m.span(group)
    return wat[:s] + new + wat[e:]
