"""The engine that runs translated code: one execution thread with a big stack, so that deep Wasm
recursion works and runaway recursion ends as an Exhaustion trap instead of killing the process.

Every host -> Wasm call goes through `invoke`, which converts API values (signed ints) to the
internal representation and back, and turns Python-level failures into VM errors:
RecursionError -> Exhaustion, an escaping Wasm exception -> WasmException.
"""

from __future__ import annotations

import queue
import sys
import threading

from ..errors import Trap, Exhaustion, WasmException, VMError
from ..runtime.entities import WasmExn
from ..runtime.values import to_internal, to_api

STACK_BYTES = 1 << 30
RECURSION_LIMIT = 100_000

_worker = None
_worker_lock = threading.Lock()
_local = threading.local()


class _Worker:
    def __init__(self):
        self.jobs = queue.SimpleQueue()
        old = threading.stack_size()
        self.limit = 1000
        for size in (STACK_BYTES, 256 << 20, 64 << 20):
            try:
                threading.stack_size(size)
            except (ValueError, RuntimeError):
                continue
            # ~10 KiB of C stack per Python-level recursion is a safe bound (measured well below)
            self.limit = min(RECURSION_LIMIT, size // 10240)
            break
        try:
            self.thread = threading.Thread(target=self._loop, name='vm-exec', daemon=True)
            self.thread.start()
        finally:
            threading.stack_size(old)

    def _loop(self):
        _local.depth = 0
        while True:
            job, box, done = self.jobs.get()
            # The limit is interpreter-wide: raise it only while Wasm runs on this big stack.
            old = sys.getrecursionlimit()
            sys.setrecursionlimit(max(old, self.limit))
            try:
                box.append((True, job()))
            except BaseException as e:  # handed to the calling thread, re-raised there
                box.append((False, e))
            finally:
                sys.setrecursionlimit(old)
                done.set()

    def run(self, job):
        box = []
        done = threading.Event()
        self.jobs.put((job, box, done))
        done.wait()
        ok, v = box[0]
        if ok:
            return v
        raise v


def _get_worker() -> _Worker:
    global _worker
    if _worker is None:
        with _worker_lock:
            if _worker is None:
                _worker = _Worker()
    return _worker


def on_exec_thread() -> bool:
    return _worker is not None and threading.current_thread() is _worker.thread


def run(job):
    """Run job() on the execution thread (directly if already there)."""
    if on_exec_thread():
        return job()
    return _get_worker().run(job)


def _convert_error(e: BaseException, outermost: bool):
    if isinstance(e, RecursionError):
        return Exhaustion()
    if isinstance(e, WasmExn) and outermost:
        return WasmException(e.tag, e.values)
    if isinstance(e, MemoryError):
        return Trap('out of memory')
    return None


def call_func(func, args):
    """Call a Func with API values; returns None, one value, or a tuple of values."""
    ft = func.functype
    if ft is not None:
        ps, rs = ft.params, ft.results
        if len(args) != len(ps):
            raise Trap(f'wrong number of arguments: expected {len(ps)}, got {len(args)}',
                       func_name=func.name)
        internal = tuple(to_internal(t, a) for t, a in zip(ps, args))
    else:
        rs = None
        internal = tuple(args)

    def job():
        depth = getattr(_local, 'depth', 0)
        _local.depth = depth + 1
        try:
            return func.plain(*internal)
        except (RecursionError, WasmExn, MemoryError) as e:
            err = _convert_error(e, depth == 0)
            if err is None:
                raise
            raise err from None
        finally:
            _local.depth = depth

    r = run(job)
    if rs is None:
        return r
    if len(rs) == 0:
        return None
    if len(rs) == 1:
        return to_api(rs[0], r)
    return tuple(to_api(t, v) for t, v in zip(rs, r))


__all__ = ['run', 'call_func', 'on_exec_thread', 'VMError']
