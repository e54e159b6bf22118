"""The typing of fibers: the builtin type `Fiber`, the builtin effect `Switch` and three builtins (docs/fibers.md).

    fiber(body: fn(Option[Fiber]) -> unit / {Switch}) -> Fiber     a new fiber; nothing runs yet
    switch_to(target: Fiber) -> Fiber                               performs Switch: `target` runs now; returns
                                                                    the fiber that later switches back here
    fiber_run(f: Fiber) -> unit                                     runs f (and every fiber it switches to) until
                                                                    the fiber running at that moment returns

    check_builtin(checker, call) -> the call's type     called by calls.py for a name in BUILTINS

`Switch` is an ordinary effect for inference: `switch_to` performs it, and `fiber_run` handles it.  Every
fiber of the program shares one latent effect variable (like a struct field of function type: a Fiber value
may travel anywhere, and whichever fiber runs, it runs inside some `fiber_run`): a fiber body's type is
`fn(Option[Fiber]) -> unit / F`, so what bodies perform flows into F, and `fiber_run` performs F minus
`Switch` — it is a handler of Switch around a call of every fiber.  So a thread may perform an effect that a
handler around its `fiber_run` handles; `switch_to` outside any fiber body is an unhandled effect (Switch),
and inside `nosuspend` the usual nosuspend error.  `switch_to` returns a Fiber, not an Option: whoever
switches back to a fiber always hands over its own continuation; only a body's first argument can be None
(the fiber was started by fiber_run).
"""

from __future__ import annotations

from fxlang.check import types as T
from fxlang.check.unify import ERROR

SWITCH = T.Effect("Switch", "", [T.Op("switch", (T.FIBER,), T.FIBER)])

BUILTINS = ("fiber", "switch_to", "fiber_run")


def fiber_effects(c) -> T.EffectVar:
    """F: the latent effects of every fiber of the program (one variable, owned by no fn)."""
    v = getattr(c, "_fiber_effects", None)
    if v is None:
        v = c._fiber_effects = T.EffectVar(None)
    return v


def body_type(c, option_fiber) -> T.Fn:
    """The type of a fiber body: fn(Option[Fiber]) -> unit / F."""
    return T.Fn((option_fiber,), T.UNIT, fiber_effects(c))


def check_builtin(c, e) -> T.Type:
    """`c` is the checker (calls.CallChecking), `e` an ast.Call of one of BUILTINS."""
    name, args = e.builtin, e.args
    if len(args) != 1:
        for a in args:
            c.infer(a)
        c.error(f"'{name}' takes 1 argument but {len(args)} {'was' if len(args) == 1 else 'were'} given", e.span)
        return ERROR if name != "fiber_run" else T.UNIT
    if name == "fiber":
        opt = c.option_of(T.FIBER, e.span)
        if opt is ERROR:
            c.infer(args[0])
            return ERROR
        c.coerce(args[0], body_type(c, opt))
        return T.FIBER
    c.coerce(args[0], T.FIBER)
    if name == "switch_to":
        c.tracker.perform(SWITCH, e.span, "switch_to")
        return T.FIBER
    # fiber_run: a handler of Switch around the fibers it runs
    scope = c.tracker.push("handle", e)
    scope.handled = frozenset({SWITCH})
    try:
        c.tracker.perform_latent(fiber_effects(c), e.span, "fiber_run")
    finally:
        c.tracker.pop()
    return T.UNIT
