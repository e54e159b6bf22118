"""`barrier` (0xe7, our extension): a block whose body traps on any suspension that would cross it.

No WAT tool knows barrier, so the modules are assembled here byte by byte.
"""

import pytest

import vm

# --- a minimal binary assembler -------------------------------------------------------------------

I32 = b'\x7f'
EMPTY = b'\x40'


def uleb(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def sleb(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if (n == 0 and not b & 0x40) or (n == -1 and b & 0x40):
            out.append(b)
            return bytes(out)
        out.append(b | 0x80)


def vec(items):
    return uleb(len(items)) + b''.join(items)


def name(s):
    b = s.encode()
    return uleb(len(b)) + b


def section(sid, payload):
    return bytes([sid]) + uleb(len(payload)) + payload


def ref(t):
    return b'\x64' + sleb(t)


def functype(params, results):
    return b'\x60' + vec(params) + vec(results)


def conttype(ft):
    return b'\x5d' + sleb(ft)


# instructions
def block(bt=EMPTY):
    return b'\x02' + bt


def barrier(bt=EMPTY):
    return b'\xe7' + bt


END = b'\x0b'
DROP = b'\x1a'
UNREACHABLE = b'\x00'


def i32c(n):
    return b'\x41' + sleb(n)


def br(l):
    return b'\x0c' + uleb(l)


def call(f):
    return b'\x10' + uleb(f)


def ref_func(f):
    return b'\xd2' + uleb(f)


def cont_new(ct):
    return b'\xe0' + uleb(ct)


def suspend(tag):
    return b'\xe2' + uleb(tag)


def resume(ct, *clauses):
    return b'\xe3' + uleb(ct) + vec([b'\x00' + uleb(t) + uleb(l) for t, l in clauses])


def local_get(x):
    return b'\x20' + uleb(x)


def local_set(x):
    return b'\x21' + uleb(x)


# Types shared by every test module:
#   0: [] -> []        1: cont 0        2: [] -> [i32]        3: [i32] -> [i32]
TYPES = [functype([], []), conttype(0), functype([], [I32]), functype([I32], [I32])]
FT_VOID, CT, FT_I32, FT_I32_I32 = 0, 1, 2, 3


def module(funcs, exports, ntags=1):
    """funcs: list of (type index, locals (list of valtype bytes), body bytes without final end)."""
    out = b'\x00asm\x01\x00\x00\x00'
    out += section(1, vec(TYPES))
    out += section(3, vec([uleb(t) for t, _, _ in funcs]))
    out += section(13, vec([b'\x00' + uleb(FT_VOID) for _ in range(ntags)]))
    out += section(7, vec([name(n) + b'\x00' + uleb(i) for n, i in exports.items()]))
    codes = []
    for _, locs, body in funcs:
        entry = vec([uleb(1) + t for t in locs]) + body + END
        codes.append(uleb(len(entry)) + entry)
    out += section(10, vec(codes))
    return out


def instantiate(data, **kw):
    m = vm.decode(data)
    vm.validate(m)
    return vm.instantiate(m, **kw)


# handle(f): run f as a continuation handling tag 0; leaves 1 if it suspended, 0 if it returned.
def handle_body(f):
    return (block(I32) + block(ref(CT)) + ref_func(f) + cont_new(CT) + resume(CT, (0, 0))
            + i32c(0) + br(1) + END + DROP + i32c(1) + END)


SUSPENDER = (FT_VOID, [], suspend(0))                                           # f0


def test_suspension_handled_inside_barrier_works():
    funcs = [
        SUSPENDER,
        # f1: barrier (result i32) { handle(f0) } -- the suspension never leaves the barrier
        (FT_I32, [], barrier(I32) + handle_body(0) + END),
    ]
    inst = instantiate(module(funcs, {'suspender': 0, 'main': 1}))
    assert inst.exports.main() == 1


def test_suspension_crossing_barrier_traps():
    funcs = [
        SUSPENDER,
        (FT_VOID, [], barrier() + suspend(0) + END),                              # f1
        (FT_VOID, [], barrier() + call(0) + END),                                 # f2
        (FT_I32, [], handle_body(1)),                                             # f3
        (FT_I32, [], handle_body(2)),                                             # f4
    ]
    inst = instantiate(module(funcs, {'s': 0, 'direct': 1, 'viacall': 2, 'main1': 3, 'main2': 4}))
    for main in (inst.exports.main1, inst.exports.main2):
        with pytest.raises(vm.BarrierTrap) as e:
            main()
        assert e.value.msg == 'suspension across barrier'


def test_unhandled_inside_barrier_resume_traps_at_barrier():
    # Inside a continuation, a barrier resumes a continuation whose tag it does not handle: the
    # suspension would leave through the barrier to the outer handler -> trap.
    funcs = [
        SUSPENDER,
        # f1: barrier { resume f0 with no handlers }
        (FT_VOID, [], barrier() + ref_func(0) + cont_new(CT) + resume(CT) + END),
        (FT_I32, [], handle_body(1)),                                             # f2
    ]
    inst = instantiate(module(funcs, {'s': 0, 'f': 1, 'main': 2}))
    with pytest.raises(vm.BarrierTrap):
        inst.exports.main()


def test_nested_barriers():
    funcs = [
        SUSPENDER,
        # f1: barrier { barrier (result i32) { handle(f0) } } -> 1
        (FT_I32, [], barrier(I32) + barrier(I32) + handle_body(0) + END + END),
        # f2: barrier { barrier { suspend } } run as a continuation -> trap
        (FT_VOID, [], barrier() + barrier() + suspend(0) + END + END),
        (FT_I32, [], handle_body(2)),                                             # f3
    ]
    inst = instantiate(module(funcs, {'s': 0, 'ok': 1, 'inner': 2, 'bad': 3}))
    assert inst.exports.ok() == 1
    with pytest.raises(vm.BarrierTrap):
        inst.exports.bad()


def test_barrier_inside_continuation_then_suspend_outside_it():
    # f1 runs as a continuation: a barrier handles an inner suspension, then f1 itself suspends
    # (outside the barrier), which the outer handler sees.
    funcs = [
        SUSPENDER,
        (FT_VOID, [], barrier(I32) + handle_body(0) + END + DROP + suspend(0)),   # f1
        (FT_I32, [], handle_body(1)),                                             # f2
    ]
    inst = instantiate(module(funcs, {'s': 0, 'f': 1, 'main': 2}))
    assert inst.exports.main() == 1


def test_branch_out_of_barrier_restores_state():
    # f1: block { barrier { br 1 } } ; suspend  -- run as a continuation: the suspension after
    # leaving the barrier by a branch must be handled normally.
    funcs = [
        SUSPENDER,
        (FT_VOID, [], block() + barrier() + br(1) + END + END + suspend(0)),       # f1
        (FT_I32, [], handle_body(1)),                                             # f2
    ]
    inst = instantiate(module(funcs, {'s': 0, 'f': 1, 'main': 2}))
    assert inst.exports.main() == 1


def test_barrier_result_and_trap_inside_barrier_restores_state():
    funcs = [
        SUSPENDER,
        (FT_I32_I32, [], barrier(I32) + local_get(0) + i32c(1) + b'\x6a' + END),  # f1: x + 1
        (FT_VOID, [], barrier() + UNREACHABLE + END),                             # f2
        (FT_I32, [], handle_body(0)),                                             # f3
    ]
    inst = instantiate(module(funcs, {'s': 0, 'inc': 1, 'boom': 2, 'main': 3}))
    assert inst.exports.inc(41) == 42
    with pytest.raises(vm.Trap) as e:
        inst.exports.boom()
    assert e.value.msg == 'unreachable'
    assert inst.exports.main() == 1       # not reported as crossing a barrier
