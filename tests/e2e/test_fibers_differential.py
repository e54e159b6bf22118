"""Differential property test of fibers through std.threads: random thread programs (spawn, yield_now, join,
channel send/recv, prints; nested spawns; deadlocks included) run on our VM with target fx (real `switch`), on
our VM with target standard (switch lowered to suspend) and target asyncify (no stack switching at all), and on
V8 with targets standard and asyncify (without the WasmFX flag); all must print what a Python model of the
scheduler says, and trap exactly when it reports a deadlock, with its message.

The model (`Model`) restates stdlib/threads.fx: a FIFO ready queue; yield_now switches to the next ready thread
(nothing happens when none is ready) and the yielder goes to the back; join and recv block; a finished thread
wakes its joiners in order; send wakes the longest-waiting receiver; the run ends when the last thread returns.
"""
from __future__ import annotations

import os
from collections import deque

from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from tests.e2e.test_control_differential import compile_fx, run_on_node, run_on_vm

CHANNELS = 2
EXAMPLES = int(os.environ.get("FX_FIBER_EXAMPLES", "0"))


class Deadlock(Exception):
    pass


class Model:
    def __init__(self):
        self.out: list[str] = []
        self.threads: list[dict] = []
        self.ready: deque = deque()
        self.live = 0
        self.items = [deque() for _ in range(CHANNELS)]
        self.receivers = [deque() for _ in range(CHANNELS)]

    def new_thread(self, script) -> int:
        tid = len(self.threads)
        t = {"id": tid, "state": "ready", "joiners": [], "why": ""}
        self.threads.append(t)
        t["gen"] = self.body(tid, script)
        self.ready.append(tid)
        self.live += 1
        return tid

    def wake(self, tid):
        t = self.threads[tid]
        t["state"], t["why"] = "ready", ""
        self.ready.append(tid)

    def body(self, tid, script):
        handles = {}
        for act in script:
            kind = act[0]
            if kind == "print":
                self.out.append(f"p{act[1]}")
            elif kind == "yield":
                if self.ready:
                    yield ("yield",)
            elif kind == "spawn":
                handles[act[1]] = self.new_thread(act[2])
            elif kind == "join":
                t = self.threads[handles[act[1]]]
                if t["state"] != "done":
                    t["joiners"].append(tid)
                    yield ("block", f"join thread {t['id']}")
            elif kind == "send":
                self.items[act[1]].append(act[2])
                if self.receivers[act[1]]:
                    self.wake(self.receivers[act[1]].popleft())
            elif kind == "recv":
                while not self.items[act[1]]:
                    self.receivers[act[1]].append(tid)
                    yield ("block", "recv")
                self.out.append(f"r{self.items[act[1]].popleft()}")

    def next_thread(self) -> int:
        if not self.ready:
            blocked = ", ".join(f"thread {t['id']} ({t['why']})" for t in self.threads if t["state"] == "blocked")
            raise Deadlock("deadlock: every thread is blocked: " + blocked)
        return self.ready.popleft()

    def run(self, main_script) -> tuple[str, str]:
        """(stdout, deadlock message or "")."""
        try:
            cur = self.new_thread(main_script)
            self.ready.popleft()
            while True:
                t = self.threads[cur]
                req = next(t["gen"], ("done",))
                if req[0] == "yield":
                    nxt = self.next_thread()
                    self.ready.append(cur)
                elif req[0] == "block":
                    t["state"], t["why"] = "blocked", req[1]
                    nxt = self.next_thread()
                else:
                    t["state"] = "done"
                    self.live -= 1
                    for j in t["joiners"]:
                        self.wake(j)
                    if self.live == 0:
                        break
                    nxt = self.next_thread()
                cur = nxt
        except Deadlock as e:
            return "".join(line + "\n" for line in self.out), str(e)
        self.out.append("end")
        return "".join(line + "\n" for line in self.out), ""


# ---- random programs ----------------------------------------------------------------------------------

def scripts(depth: int):
    """A thread's actions; spawns nest `depth` deep.  Weighted towards prints, yields and spawns, so that most
    programs interleave several threads and a minority deadlock."""
    leaf = st.one_of(
        st.just(("print",)),
        st.just(("print",)),
        st.just(("yield",)),
        st.just(("yield",)),
        st.tuples(st.just("send"), st.integers(0, CHANNELS - 1)),
        st.tuples(st.just("send"), st.integers(0, CHANNELS - 1)),
        st.tuples(st.just("recv"), st.integers(0, CHANNELS - 1)),
        st.tuples(st.just("join"), st.integers(0, 3)),
    )
    if depth > 0:
        spawn = st.tuples(st.just("spawn"), st.deferred(lambda: scripts(depth - 1)))
        act = st.one_of(leaf, spawn)
    else:
        act = leaf
    return st.lists(act, min_size=1, max_size=7)


def number(script, counter=None):
    """Give prints, sends and spawn handles unique numbers; a join names one of the handles spawned earlier in
    the same script (dropped when there is none)."""
    counter = counter if counter is not None else [0]
    out, handles = [], []
    for act in script:
        counter[0] += 1
        n = counter[0]
        if act[0] == "print":
            out.append(("print", n))
        elif act[0] == "yield":
            out.append(("yield",))
        elif act[0] == "send":
            out.append(("send", act[1], n))
        elif act[0] == "recv":
            out.append(("recv", act[1]))
        elif act[0] == "join":
            if handles:
                out.append(("join", handles[act[1] % len(handles)]))
        else:
            handles.append(n)
            out.append(("spawn", n, number(act[1], counter)))
    return out


def render(script, indent) -> str:
    pad = "    " * indent
    lines = []
    for act in script:
        kind = act[0]
        if kind == "print":
            lines.append(f'{pad}println("p{act[1]}");')
        elif kind == "yield":
            lines.append(f"{pad}yield_now();")
        elif kind == "send":
            lines.append(f"{pad}send(c{act[1]}, {act[2]});")
        elif kind == "recv":
            lines.append(f'{pad}println("r" + str(recv(c{act[1]})));')
        elif kind == "join":
            lines.append(f"{pad}join(t{act[1]});")
        else:
            lines.append(f"{pad}let t{act[1]} = spawn(|| {{")
            lines.append(render(act[2], indent + 1))
            lines.append(f"{pad}}});")
    return "\n".join(line for line in lines if line)


def program(script) -> str:
    chans = "\n".join(f"        let c{i}: Chan[int] = chan();" for i in range(CHANNELS))
    return ("import std.threads;\n\nfn main() {\n    run(|| {\n" + chans + "\n" + render(script, 2) +
            "\n    });\n    println(\"end\");\n}\n")


SETTINGS = settings(max_examples=EXAMPLES or 30, deadline=None, derandomize=not EXAMPLES, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])


def agrees_with_the_model(raw, tmp_path, engine: str) -> None:
    """Run one random script: engine "vm" on targets fx, standard and asyncify; engine "node" on target standard
    (WasmFX flag) and on target asyncify (without it)."""
    script = number(raw)
    src = program(script)
    note(src)
    expected, deadlock = Model().run(script)
    note(f"model: {expected!r} {deadlock!r}")
    path = tmp_path / "threads.fx"
    if engine == "vm":
        for target in ("fx", "standard", "asyncify"):
            out, err = run_on_vm(compile_fx(src, path, target))
            assert out == expected, f"VM, target {target}, differs from the model"
            if deadlock:
                assert deadlock in err, f"VM, target {target}: {err!r}"
            else:
                assert err == "", f"VM, target {target}: {err!r}"
    else:
        out, err = run_on_node(compile_fx(src, path, "standard"), tmp_path)
        assert out == expected, "V8 differs from the model"
        assert (deadlock in err) if deadlock else err == "", f"V8: {err[-400:]!r}"
        out, err = run_on_node(compile_fx(src, path, "asyncify"), tmp_path, wasmfx=False)
        assert out == expected, "V8, target asyncify, differs from the model"
        assert (deadlock in err) if deadlock else err == "", f"V8, target asyncify: {err[-400:]!r}"


@SETTINGS
@given(raw=scripts(2))
def test_random_thread_programs_agree_with_the_model_on_the_vm(tmp_path, raw):
    agrees_with_the_model(raw, tmp_path, "vm")


@SETTINGS
@given(raw=scripts(2))
def test_random_thread_programs_agree_with_the_model_on_v8(node, tmp_path, raw):
    agrees_with_the_model(raw, tmp_path, "node")
