"""Local liveness of a function body: which locals may still be read after each instruction.

    live_after(module, func) -> list[frozenset[int]]

live_after[i] is the set of local indices (params included) whose current value may be read after body[i]
completes before being overwritten: what a frame must save at a call site to resume after it.

Algorithm: classic backward dataflow, live_in[i] = gen[i] | (live_out[i] - kill[i]) (local.get reads;
local.set and local.tee write, the tee reading only the stack), over the control flow of the flat structured
body, with Python ints as bit sets:
  * a first forward pass matches blocks (end, else, catches) and resolves every label to a node: a branch to
    a block, if, try_table, try or barrier goes after its `end`, a branch to a loop to the loop's start, a
    branch to the function level returns.  Successors: the next instruction; an `if` also the start of its
    else part (or its end); br / br_if / br_table / br_on_null / br_on_non_null / br_on_cast(_fail) their
    targets; resume / resume_throw / resume_throw_ref their `(on $t $l)` labels; reaching an `else` or a
    `catch` jumps to the block's end; return / return_call* / throw / throw_ref / rethrow / unreachable have
    none (nothing is read after them; the end of the function reads nothing either).
  * exceptions, conservatively: any instruction of a try_table's body may jump to any of its catch labels;
    any instruction of a legacy try's body to the start of any of its catch / catch_all handlers; any
    instruction of a `try ... delegate` body to the handlers of every enclosing legacy try.  These sets are
    added to live_out of every instruction of the region (nested regions accumulate).
  * backward passes over the body until nothing changes (a chaotic iteration from empty sets: monotone, so
    it reaches the least fixpoint); a body without backward edges (no branch to a loop) needs one pass,
    loops about one pass per nesting level more.
live_after[i] is live_out[i] of the final pass: for an instruction that does not fall through (br, return,
...) it is what its targets read (the empty set when it leaves the function).
Cost: O(passes * instructions) big-int operations, plus building the result sets (shared between equal
sets, derived from the previous instruction's set when close to it).
"""

from __future__ import annotations

from fxlang.wasm.module import Function, Module

__all__ = ['live_after']

_OPENERS = frozenset({'block', 'loop', 'if', 'try', 'try_table', 'barrier'})
_EXITS = frozenset({'return', 'unreachable', 'throw', 'throw_ref', 'rethrow', 'return_call',
                    'return_call_indirect', 'return_call_ref'})
_BRANCH_OR_FALL = frozenset({'br_if', 'br_on_null', 'br_on_non_null', 'br_on_cast', 'br_on_cast_fail'})
_RESUMES = frozenset({'resume', 'resume_throw', 'resume_throw_ref'})


class LivenessError(Exception):
    """The body's block structure is broken (an unmatched end/else/catch, a label out of range)."""


def _structure(body):
    """Forward pass: per instruction its successor targets (as opener indices: resolved later), the
    exception regions, and whether any edge goes backward (to a loop)."""
    n = len(body)
    ctrls: list[int] = []                 # opener indices of the open blocks
    end_of: dict[int, int] = {}
    else_of: dict[int, int] = {}
    catches_of: dict[int, list] = {}
    branch: dict[int, tuple] = {}         # i -> (falls through?, opener indices or -1 for the function)
    try_tables: dict[int, tuple] = {}     # opener -> its clause targets (opener indices / -1)
    delegates: list[tuple[int, tuple]] = []   # (try opener, enclosing legacy try openers)

    def target(depth) -> int:
        if depth < 0 or depth > len(ctrls):
            raise LivenessError(f'label {depth} out of range')
        return -1 if depth == len(ctrls) else ctrls[-1 - depth]

    for i, ins in enumerate(body):
        op = ins.op
        if op in _OPENERS:
            if op == 'try_table':
                try_tables[i] = tuple(target(c[-1]) for c in ins.imms[1])
            ctrls.append(i)
        elif op == 'end' or op == 'delegate':
            if not ctrls:
                raise LivenessError(f'body[{i}] {op} without an open block')
            o = ctrls.pop()
            end_of[o] = i
            if op == 'delegate':
                delegates.append((o, tuple(c for c in ctrls if body[c].op == 'try')))
        elif op == 'else':
            if not ctrls or body[ctrls[-1]].op != 'if':
                raise LivenessError(f'body[{i}] else outside an if')
            else_of[ctrls[-1]] = i
        elif op == 'catch' or op == 'catch_all':
            if not ctrls or body[ctrls[-1]].op != 'try':
                raise LivenessError(f'body[{i}] {op} outside a legacy try')
            catches_of.setdefault(ctrls[-1], []).append(i)
        elif op == 'br':
            branch[i] = (False, (target(ins.imms[0]),))
        elif op in _BRANCH_OR_FALL:
            branch[i] = (True, (target(ins.imms[0]),))
        elif op == 'br_table':
            branch[i] = (False, tuple(target(d) for d in (*ins.imms[0], ins.imms[1])))
        elif op in _RESUMES:
            labels = tuple(target(h[2]) for h in ins.imms[-1] if h[0] == 'on')
            if labels:
                branch[i] = (True, labels)
    if ctrls:
        raise LivenessError(f'{len(ctrls)} block(s) not closed by end')
    return end_of, else_of, catches_of, branch, try_tables, delegates


def _bits(v: int) -> frozenset:
    """The indices of the set bits of v."""
    if v < 1 << 64 or v.bit_count() < 16:
        out = []
        while v:
            low = v & -v
            out.append(low.bit_length() - 1)
            v ^= low
        return frozenset(out)
    s = bin(v)
    top = len(s) - 1
    return frozenset([top - i for i in range(2, len(s)) if s[i] == '1'])


def live_after(module: Module, func: Function) -> list[frozenset[int]]:
    """live_after[i]: the locals whose value may be read after body[i] (see the module docstring)."""
    body = func.body
    n = len(body)
    end_of, else_of, catches_of, branch, try_tables, delegates = _structure(body)

    def node(o: int) -> int:
        """The node a branch to the block opened at `o` goes to (n: leaving the function)."""
        if o < 0:
            return n
        return o if body[o].op == 'loop' else end_of[o]

    # per instruction: successor nodes (None: just the next one), gen and kill bit sets
    succ: list = [None] * n
    if_of_else = {e: o for o, e in else_of.items()}
    gen = [0] * n
    kill = [0] * n
    backward = False
    for i, ins in enumerate(body):
        op = ins.op
        if op == 'local.get':
            gen[i] = 1 << ins.imms[0]
        elif op == 'local.set' or op == 'local.tee':
            kill[i] = 1 << ins.imms[0]
        elif op in _EXITS:
            succ[i] = ()
        elif op == 'if':
            e = else_of.get(i)
            succ[i] = (i + 1, e + 1 if e is not None else end_of[i])
        elif op == 'else':
            succ[i] = (end_of[if_of_else[i]],)
        elif op == 'catch' or op == 'catch_all':
            succ[i] = None     # replaced below, once the try of each catch is known
        elif i in branch:
            falls, targets = branch[i]
            nodes = tuple(node(o) for o in targets)
            backward = backward or any(t <= i for t in nodes)
            succ[i] = ((i + 1,) + nodes) if falls else nodes
    for o, cs in catches_of.items():
        for c in cs:
            succ[c] = (end_of[o],)

    # exception regions: (first, last, handler nodes)
    regions = []
    for o, targets in try_tables.items():
        regions.append((o + 1, end_of[o] - 1, tuple(node(t) for t in targets)))
    handlers_of = {o: tuple(c + 1 for c in cs) for o, cs in catches_of.items()}
    for o, cs in catches_of.items():
        regions.append((o + 1, cs[0] - 1, handlers_of[o]))
    for o, outer in delegates:
        nodes = tuple(h for t in outer for h in handlers_of.get(t, ()))
        regions.append((o + 1, end_of[o] - 1, nodes))
    pushes: dict[int, list] = {}
    pops: dict[int, int] = {}
    for first, last, nodes in sorted(regions):
        if first <= last and nodes:
            # a handler read before this pass computed it (a catch to an enclosing loop, a delegate from a
            # catch handler to its own try's handlers) needs further passes
            backward = backward or any(t <= last for t in nodes)
            pushes.setdefault(last, []).append(nodes)
            pops[first] = pops.get(first, 0) + 1

    live_in = [0] * (n + 1)
    out_of = [0] * n
    while True:
        changed = False
        exc_stack = [0]
        exc = 0
        for i in range(n - 1, -1, -1):
            p = pushes.get(i)
            if p is not None:
                for nodes in p:
                    for t in nodes:
                        exc |= live_in[t]
                    exc_stack.append(exc)
            s = succ[i]
            if s is None:
                out = live_in[i + 1]
            else:
                out = 0
                for t in s:
                    out |= live_in[t]
            out |= exc
            out_of[i] = out
            k = kill[i]
            v = ((out & ~k) if k else out) | gen[i]
            if v != live_in[i]:
                live_in[i] = v
                changed = True
            q = pops.get(i)
            if q is not None:
                del exc_stack[len(exc_stack) - q:]
                exc = exc_stack[-1]
        if not changed or not backward:
            break

    # bit sets to frozensets, shared between equal sets; a set close to the previous one is derived from it by
    # a symmetric difference (C speed) rather than bit by bit (big frames: hundreds of locals live at once)
    memo: dict[int, frozenset] = {0: frozenset()}
    result = []
    prev_v, prev_s = 0, memo[0]
    for v in out_of:
        s = memo.get(v)
        if s is None:
            d = v ^ prev_v
            s = memo[v] = prev_s ^ _bits(d) if 4 * d.bit_count() < v.bit_count() else _bits(v)
        result.append(s)
        prev_v, prev_s = v, s
    return result

