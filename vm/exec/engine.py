"""The engine that runs translated code: one execution thread with a big stack, so that deep Wasm
recursion works and runaway recursion ends as an Exhaustion trap instead of killing the process.

Every host -> Wasm call goes through `call_func`, which converts API values (signed ints) to the
internal representation and back, and turns Python-level failures into VM errors:
RecursionError -> Exhaustion, an escaping Wasm exception -> WasmException, MemoryError -> Trap
"out of memory" (in `_Worker.run`, once the thread has dropped the frames holding the memory).
"""

from __future__ import annotations

import queue
import sys
import threading

from ..errors import Trap, Exhaustion, WasmException, VMError
from ..runtime.entities import WasmExn
from ..runtime.values import to_internal, to_api

# Stack sizes tried for the execution thread, biggest first: under an address-space limit
# (`ulimit -v`) a 1 GiB stack cannot be mapped, and a smaller one still runs everything but the
# deepest recursion. If no thread starts at all, Wasm runs on the caller's thread.
STACK_SIZES = (1 << 30, 256 << 20, 64 << 20, 16 << 20)
RECURSION_LIMIT = 100_000

_worker = None
_worker_lock = threading.Lock()
_local = threading.local()


class _Worker:
    def __init__(self):
        self.jobs = queue.SimpleQueue()
        self.limit = sys.getrecursionlimit()
        self.thread = None
        old = threading.stack_size()
        try:
            for size in STACK_SIZES:
                # ~10 KiB of C stack per Python-level recursion is a safe bound (measured well below)
                self.limit = min(RECURSION_LIMIT, size // 10240)
                try:
                    threading.stack_size(size)
                    thread = threading.Thread(target=self._loop, name='vm-exec', daemon=True)
                    thread.start()
                except (ValueError, RuntimeError, MemoryError):
                    continue
                self.thread = thread
                break
        finally:
            threading.stack_size(old)

    def _loop(self):
        # Nothing here allocates after a job has run: under memory exhaustion the result slot is
        # preallocated and the caller waits on a lock released without allocating, so a
        # MemoryError reaches the caller instead of leaving it waiting forever.
        _local.depth = 0
        while True:
            job, box, done = self.jobs.get()
            # The limit is interpreter-wide: raise it only while Wasm runs on this big stack.
            old = sys.getrecursionlimit()
            sys.setrecursionlimit(max(old, self.limit))
            try:
                box[1] = job()
                box[0] = True
            except BaseException as e:  # handed to the calling thread, re-raised there
                if isinstance(e, MemoryError):
                    e.__traceback__ = None      # frees the frames that hold what filled the memory
                box[1] = e
            finally:
                sys.setrecursionlimit(old)
                done.release()
                job = box = done = None          # keep nothing of the job alive while waiting

    def run(self, job):
        if self.thread is None:
            try:
                return job()
            except MemoryError:
                raise Trap('out of memory') from None
        box = [False, None]
        done = threading.Lock()
        done.acquire()
        self.jobs.put((job, box, done))
        done.acquire()
        ok, v = box
        box[1] = None
        if ok:
            return v
        if isinstance(v, MemoryError):
            raise Trap('out of memory') from None
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
        except (RecursionError, WasmExn) as e:       # (MemoryError: see _Worker.run)
            err = _convert_error(e, depth == 0)
            if err is None:
                raise
            raise err.with_traceback(e.__traceback__) from None     # (the backtrace: Trap.frames)
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
