"""The program's side of its host interface, WASI preview 1 (docs/host.md): the helpers through which the
generated code writes, fails and traces, each built on the `wasi_snapshot_preview1` calls it needs and
emitted (with its imports) only when used.

    WasiIO(module, memory, literal_offset, segment, helper)
      .call(name)               the imported WASI function `name` (signature from SIGNATURES)
      .write()                  io.write(ptr, len): memory[ptr:ptr+len] to standard output
      .write_fd()               io.write_fd(fd, ptr, len) -> errno: every byte, retrying short writes
      .fail()                   io.fail(ptr, len): "fxc: trap: <message>" to standard error, then a trap (the
                                host ends the line with the panic's location)
      .trace()                  io.trace(ptr, len): "[trace] <line>\\n" to standard error
      .exit()                   io.exit(code): proc_exit

Memory: the iovec and result cells and the constant texts live at IO_AREA, above float formatting's area
(float_repr.AREA_END); the bytes to write are anywhere in memory (the callers use the scratch area at 0).
"""

from __future__ import annotations

from fxlang.wasm.srcmap import NOWHERE, PANIC

from .float_repr import AREA_END

MODULE = 'wasi_snapshot_preview1'
IO_AREA = AREA_END                 # 8-aligned
IOV = IO_AREA                      # up to 4 iovecs (32 bytes)
RESULT = IO_AREA + 32              # nwritten / nread / fd results (8 bytes)
TEXT = IO_AREA + 48                # constant texts copied here before a write (64 bytes)
IO_END = IO_AREA + 112
FAIL_PREFIX = b'fxc: trap: '
TRACE_PREFIX = b'[trace] '
FAIL_STATUS = 1

I32, I64 = 'i32', 'i64'
SIGNATURES = {
    'fd_write': ([I32, I32, I32, I32], [I32]),
    'fd_read': ([I32, I32, I32, I32], [I32]),
    'fd_close': ([I32], [I32]),
    'fd_prestat_get': ([I32, I32], [I32]),
    'fd_prestat_dir_name': ([I32, I32, I32], [I32]),
    'path_open': ([I32, I32, I32, I32, I32, I64, I64, I32, I32], [I32]),
    'args_sizes_get': ([I32, I32], [I32]),
    'args_get': ([I32, I32], [I32]),
    'proc_exit': ([I32], []),
}


class WasiIO:
    def __init__(self, module, memory, literal_offset, segment, helper):
        self.m = module
        self.memory = memory
        self._literal_offset = literal_offset      # bytes -> offset in the passive literals segment
        self._segment = segment                    # () -> the literals segment index
        self._helper = helper
        self._imports: dict = {}

    def call(self, name: str):
        if name not in self._imports:
            params, results = SIGNATURES[name]
            self._imports[name] = self.m.imports.func(MODULE, name, self.m.types.func(params, results),
                                                      name=f'wasi.{name}')
        return self._imports[name]

    def _text(self, f, data: bytes, at: int = TEXT) -> None:
        """Copy constant bytes (from the literals segment) to memory[at:]."""
        off = self._literal_offset(data)
        f.emit('i32.const', at); f.emit('i32.const', off); f.emit('i32.const', len(data))
        f.emit('memory.init', self._segment(), self.memory)

    def write_fd(self):
        """io.write_fd(fd, ptr, len) -> errno: fd_write until every byte is out (a short write goes on from
        where it stopped); the first error, or a write of nothing, ends it."""
        def build(f):
            fd_write = self.call('fd_write')
            err = f.local(I32, 'err')
            with f.block() as done:
                with f.loop() as again:
                    f.emit('local.get', 2); f.emit('i32.eqz'); f.emit('br_if', done)
                    f.emit('i32.const', IOV); f.emit('local.get', 1); f.emit('i32.store')
                    f.emit('i32.const', IOV); f.emit('local.get', 2); f.emit('i32.store', 4)
                    f.emit('local.get', 0); f.emit('i32.const', IOV); f.emit('i32.const', 1)
                    f.emit('i32.const', RESULT); f.emit('call', fd_write); f.emit('local.tee', err)
                    f.emit('br_if', done)
                    f.emit('i32.const', RESULT); f.emit('i32.load'); f.emit('i32.eqz'); f.emit('br_if', done)
                    f.emit('local.get', 1); f.emit('i32.const', RESULT); f.emit('i32.load'); f.emit('i32.add')
                    f.emit('local.set', 1)
                    f.emit('local.get', 2); f.emit('i32.const', RESULT); f.emit('i32.load'); f.emit('i32.sub')
                    f.emit('local.set', 2)
                    f.emit('br', again)
            f.emit('local.get', err)
        return self._helper('io.write_fd', 'io.write_fd', [I32, I32, I32], [I32], build, ('fd', 'ptr', 'len'))

    def write(self):
        """io.write(ptr, len): to standard output (errors ignored, as a closed pipe is not the program's)."""
        def build(f):
            f.emit('i32.const', 1); f.emit('local.get', 0); f.emit('local.get', 1)
            f.emit('call', self.write_fd()); f.emit('drop')
        return self._helper('io.write', 'io.write', [I32, I32], [], build, ('ptr', 'len'))

    def _to_stderr(self, f, prefix: bytes, newline: bool = True) -> None:
        """Write prefix + memory[ptr:ptr+len] (params 0, 1) (+ newline) to standard error."""
        self._text(f, prefix)
        f.emit('i32.const', 2); f.emit('i32.const', TEXT); f.emit('i32.const', len(prefix))
        f.emit('call', self.write_fd()); f.emit('drop')
        f.emit('i32.const', 2); f.emit('local.get', 0); f.emit('local.get', 1)
        f.emit('call', self.write_fd()); f.emit('drop')
        if not newline:
            return
        f.emit('i32.const', TEXT); f.emit('i32.const', 10); f.emit('i32.store8')
        f.emit('i32.const', 2); f.emit('i32.const', TEXT); f.emit('i32.const', 1)
        f.emit('call', self.write_fd()); f.emit('drop')

    def fail(self):
        """io.fail(ptr, len): the program stops with a trap: "fxc: trap: <message>" on standard error, then
        `unreachable` here, in the function the source map names PANIC, so the host ends the line with where
        the panic came from (" at gen.fx:3:5 (in fn f)" and the callers, from the engine's backtrace) as for
        any trap (docs/host.md, "Traps"); exit status 1. Nothing of the program runs after it (a trap
        is caught by no `catch`, runs no `finally`)."""
        def build(f):
            self._to_stderr(f, FAIL_PREFIX, newline=False)
            f.fx_name, f.loc = PANIC, NOWHERE
            f.emit('unreachable')
        return self._helper('io.fail', 'io.fail', [I32, I32], [], build, ('ptr', 'len'))

    def trace(self):
        """io.trace(ptr, len): "[trace] <line>" on standard error (docs/host.md, "Tracing")."""
        def build(f):
            self._to_stderr(f, TRACE_PREFIX)
        return self._helper('io.trace', 'io.trace', [I32, I32], [], build, ('ptr', 'len'))

    def exit(self):
        """io.exit(code): proc_exit(code); never returns."""
        def build(f):
            f.emit('local.get', 0); f.emit('call', self.call('proc_exit'))
            f.emit('unreachable')
        return self._helper('io.exit', 'io.exit', [I32], [], build, ('code',))
