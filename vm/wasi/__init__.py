"""vm.wasi: WASI preview 1 (`wasi_snapshot_preview1`) for programs run on the VM, usable by any embedder.

    from vm import wasi
    w = wasi.Wasi(args=["prog", "x"], env={"K": "V"}, stdin=sys.stdin.buffer, stdout=sys.stdout.buffer,
                  stderr=sys.stderr.buffer, preopens=[("/host/dir", "/guest")], seed=None, clock=None)
    inst = vm.instantiate(module, w.imports(module), fuel=...)   # LinkError: a call outside preview 1 or
                                                                  # imported with the wrong type
    status = w.run(inst)          # calls `_start`; the proc_exit code, or 0 when `_start` returns
    w.close()                     # closes the host descriptors of preopens and opened files

Descriptors 0, 1, 2 are the three streams (binary file objects: stdin needs read1() or read(), the others
write() and flush()); preopened directories follow from 3 in the order given. `seed` makes random_get
deterministic (a seeded PRNG; None: os.urandom). `clock(clock_id) -> nanoseconds` replaces the host clocks
(None: the host's realtime/monotonic/process/thread clocks).

Every preview 1 call is linked: the implemented ones are in calls.CALLS; calling any other (sockets,
proc_raise) traps with `WASI call <name> is not implemented by vm.wasi`, so a module that imports but never
calls them runs. A call's failure is its WASI errno: a guest pointer or length outside memory gives EFAULT;
the host's errors map to their WASI codes; paths never leave a preopened directory (sandbox.py). The calls
never raise Python exceptions into the VM other than ProcExit (proc_exit) and Trap.
"""

from __future__ import annotations

import os
import random
import sys
import time

from ..errors import LinkError, Trap
from . import abi, calls
from .guest import Fault, Guest
from .sandbox import Descriptor, FdTable, WasiErr, open_preopen

__all__ = ['Wasi', 'ProcExit', 'MODULE', 'implemented']

MODULE = abi.MODULE


class ProcExit(Exception):
    """Raised by proc_exit through the VM; `Wasi.run` turns it into the exit status."""

    def __init__(self, code: int):
        super().__init__(f'proc_exit({code})')
        self.code = code


def implemented() -> list[str]:
    """The names of the preview 1 calls this package implements."""
    return sorted(calls.CALLS)


class Wasi:
    def __init__(self, args=(), env=None, *, stdin=None, stdout=None, stderr=None, preopens=(),
                 seed: int | None = None, clock=None, clock_resolution: int = 1):
        self.args = [a if isinstance(a, bytes) else str(a).encode() for a in args]
        items = env.items() if isinstance(env, dict) else (env or ())
        self.env = [(k if isinstance(k, bytes) else str(k).encode()) + b'=' +
                    (v if isinstance(v, bytes) else str(v).encode()) for k, v in items]
        self.clock = clock
        self.clock_resolution = clock_resolution
        self._rng = random.Random(seed) if seed is not None else None
        self._memory = None
        self.table = FdTable()
        self.table.fds[0] = Descriptor(abi.FT_CHAR, abi.STDIN_RIGHTS, 0, stream=stdin or _Empty())
        self.table.fds[1] = Descriptor(abi.FT_CHAR, abi.STDOUT_RIGHTS, 0, stream=stdout or _Sink())
        self.table.fds[2] = Descriptor(abi.FT_CHAR, abi.STDOUT_RIGHTS, 0, stream=stderr or _Sink())
        self._stdout = self.table.fds[1].stream
        for host_dir, guest_dir in preopens:
            fd = open_preopen(str(host_dir))
            self.table.add(Descriptor(abi.FT_DIR, abi.DIR_RIGHTS, abi.DIR_RIGHTS | abi.FILE_RIGHTS,
                                      host=fd, preopen=str(guest_dir)))

    # ---- embedding ----------------------------------------------------------------------------
    def imports(self, module=None) -> dict:
        """The import object {MODULE: {name: callable}}. With `module` (a decoded vm module), first check
        its WASI imports: each must be a preview 1 function imported with its preview 1 type."""
        if module is not None:
            self.check(module)
        return {MODULE: {name: self._entry(name) for name in abi.SIGNATURES}}

    def check(self, module) -> None:
        for im in module.imports:
            if im.module != MODULE:
                continue
            sig = abi.SIGNATURES.get(im.name)
            if im.kind != 'func' or sig is None:
                raise LinkError(f'{MODULE}.{im.name} is not a WASI preview 1 function', module=im.module,
                                name=im.name)
            ft = module.types[im.desc].composite if 0 <= im.desc < len(module.types) else None
            got = (tuple(getattr(ft, 'params', ())), tuple(getattr(ft, 'results', ())))
            if got != sig:
                raise LinkError(f'incompatible import type for {MODULE}.{im.name}: expected '
                                f'(param {" ".join(sig[0])}) (result {" ".join(sig[1])})',
                                module=im.module, name=im.name)

    def bind(self, memory) -> None:
        """Use `memory` (a vm.Memory) as the guest's memory; `run` binds the export `memory` itself."""
        self._memory = memory

    @property
    def memory(self):
        """The bound guest memory (a vm.Memory), or None before `bind`/`run`."""
        return self._memory

    def run(self, inst) -> int:
        """Call the command's `_start`; its exit status (proc_exit's code, 0 when `_start` returns)."""
        exports = inst.exports
        try:
            self.bind(exports['memory'])
        except (KeyError, AttributeError):
            raise LinkError('a WASI command must export its memory as `memory`') from None
        try:
            start = exports['_start']
        except (KeyError, AttributeError):
            raise LinkError('a WASI command must export a function `_start`') from None
        try:
            start()
        except ProcExit as e:
            return e.code
        finally:
            self.flush()
        return 0

    def flush(self) -> None:
        for fd in (1, 2):
            d = self.table.fds.get(fd)
            if d is not None and d.stream is not None:
                try:
                    d.stream.flush()
                except (AttributeError, OSError, ValueError):
                    pass

    def close(self) -> None:
        self.flush()
        self.table.close_all()

    # ---- services the calls use ---------------------------------------------------------------
    def now(self, clock_id: int) -> int:
        if clock_id > abi.CLOCK_THREAD_CPUTIME:
            raise WasiErr(abi.INVAL)
        if self.clock is not None:
            return self.clock(clock_id) & 0xFFFFFFFFFFFFFFFF
        if clock_id == abi.CLOCK_REALTIME:
            return time.time_ns()
        if clock_id == abi.CLOCK_MONOTONIC:
            return time.monotonic_ns()
        if clock_id == abi.CLOCK_PROCESS_CPUTIME:
            return time.process_time_ns()
        if clock_id == abi.CLOCK_THREAD_CPUTIME:
            return time.thread_time_ns()
        raise WasiErr(abi.INVAL)

    def sleep(self, ns: int) -> None:
        if self.clock is None:
            time.sleep(min(ns, 3600 * 10**9) / 1e9)

    def random_bytes(self, n: int) -> bytes:
        return self._rng.randbytes(n) if self._rng is not None else os.urandom(n)

    def write_stream(self, stream, data: bytes) -> None:
        if stream is not self._stdout:      # keep program order when stdout and stderr share a terminal
            try:
                self._stdout.flush()
            except (AttributeError, OSError, ValueError):
                pass
        stream.write(data)
        if stream is not self._stdout:
            stream.flush()

    # ---- dispatch -----------------------------------------------------------------------------
    def _entry(self, name: str):
        impl = calls.CALLS.get(name)
        if impl is None:
            def missing(*args):
                raise Trap(f'WASI call {name} is not implemented by vm.wasi', func_name=f'{MODULE}.{name}')
            return missing

        def entry(*args):
            memory = self._memory
            g = Guest(memory.data if memory is not None else bytearray())
            try:
                return impl(self, g, *args)
            except WasiErr as e:
                return e.code
            except Fault:
                return abi.FAULT
            except OSError as e:
                return abi.from_host(e.errno)
            except UnicodeError:
                return abi.ILSEQ
            except (ValueError, OverflowError):
                return abi.INVAL
            # anything else is a defect of the host: it propagates as what it is (fxc reports an internal
            # error, exit 3), never disguised as a trap of the guest (issue 13)
        entry.__name__ = name
        return entry


class _Empty:
    """Standard input with nothing in it."""

    def read(self, n: int) -> bytes:
        return b''


class _Sink:
    """A standard output that discards what it is given."""

    def write(self, data: bytes) -> int:
        return len(data)

    def flush(self) -> None:
        pass
