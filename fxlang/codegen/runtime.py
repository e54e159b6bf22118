"""Runtime helpers the generated code calls, written directly as Wasm functions (docs/codegen.md,
"Strings and output").  Each helper is emitted the first time it is asked for, so a program carries (and
imports) only what it uses.

    Runtime(module, layout)
      .literal(fn, text)           emit code pushing a new $str holding `text` (array.new_data)
      .concat / .str_eq / .str_cmp / .int_to_str / .float_to_str / .print / .println / .float_rem
      .float_format                `float.format(x, ptr) -> len`: repr(x) into memory, no host involved
      .push(elem) / .pop(elem)     per element type
      .panic(f, message)           emit a call that reports `message` on standard error and exits (never returns)
      .io                          the WASI helpers (wasi_io.py): write, fail, trace, exit
"""

from __future__ import annotations

from fxlang.wasm import ref

from .float_repr import float_format
from .io_builtins import io_builtin
from .wasi_io import WasiIO
from .layout import VEC_DATA, VEC_LEN

SCRATCH = 4096          # bytes of `memory` used as the I/O buffer (one chunk per fd_write)
MIN_CAPACITY = 4


class Runtime:
    def __init__(self, module, layout):
        self.m = module
        self.layout = layout
        self._funcs: dict = {}
        self._imports: dict = {}
        self._data = bytearray()
        self._literals: dict[bytes, int] = {}
        self._seg = None
        self._site = None
        self.memory = self.m.memories.add(1, name='memory')
        self.m.exports.memory('memory', self.memory)
        self.io = WasiIO(self.m, self.memory, self._literal_offset, lambda: self._seg, self._helper)

    # ---- literals ---------------------------------------------------------------------------
    def literal(self, f, text: str) -> None:
        data = text.encode('utf-8')
        if not data:
            f.emit('array.new_fixed', self.layout.str, 0)
            return
        off = self._literal_offset(data)
        f.emit('i32.const', off)
        f.emit('i32.const', len(data))
        f.emit('array.new_data', self.layout.str, self._seg)

    # ---- panics -----------------------------------------------------------------------------
    def panic(self, f, message: str) -> None:
        """Stop with `message` (docs/host.md, "Panics"): the bytes live in the literals segment; a helper
        copies them into the scratch area and calls io.fail, which does not return.  The `unreachable`
        after the call keeps the site valid where any type is expected."""
        data = message.encode('utf-8')[:SCRATCH]
        off = self._literal_offset(data)
        f.emit('i32.const', off)
        f.emit('i32.const', len(data))
        f.emit('call', self._panic_helper())
        f.emit('unreachable')

    def _panic_helper(self):
        def build(f):
            host = self._import('panic', ['i32', 'i32'], [])
            f.emit('i32.const', 0); f.emit('local.get', 0); f.emit('local.get', 1)
            f.emit('memory.init', self._seg, self.memory)
            f.emit('i32.const', 0); f.emit('local.get', 1); f.emit('call', host)
            f.emit('unreachable')
        return self._helper('panic', 'panic', ['i32', 'i32'], [], build, ('offset', 'len'))

    def panic_str(self):
        """`panic(msg)` of the language: stop with the message in a $str (its first SCRATCH bytes), through
        io.fail like `panic` above; never returns."""
        def build(f):
            host = self._import('panic', ['i32', 'i32'], [])
            n, i = f.local('i32', 'n'), f.local('i32', 'i')
            # n = min(SCRATCH, len)
            f.emit('i32.const', SCRATCH); f.emit('local.get', 0); f.emit('array.len')
            f.emit('local.get', 0); f.emit('array.len'); f.emit('i32.const', SCRATCH); f.emit('i32.gt_u')
            f.emit('select'); f.emit('local.set', n)
            with f.block() as copied:
                with f.loop() as byte:
                    f.emit('local.get', i); f.emit('local.get', n); f.emit('i32.ge_u'); f.emit('br_if', copied)
                    f.emit('local.get', i)
                    f.emit('local.get', 0); f.emit('local.get', i); f.emit('array.get_u', self.layout.str)
                    f.emit('i32.store8')
                    f.emit('local.get', i); f.emit('i32.const', 1); f.emit('i32.add'); f.emit('local.set', i)
                    f.emit('br', byte)
            f.emit('i32.const', 0); f.emit('local.get', n); f.emit('call', host)
            f.emit('unreachable')
        return self._helper('panic.str', 'panic.str', [self._s], [], build, ('message',))

    # ---- throw sites ------------------------------------------------------------------------
    def note_throw(self, f) -> None:
        """Remember where the exception about to be thrown comes from (the current location of `f`), for
        `_start`'s report of an exception nobody catches: a global holding the literal " at FILE:L:C (in fn
        f)" as offset << 32 | length (0: unknown). One constant store per `throw`."""
        loc = f.loc
        if loc is None:
            return
        data = f' at {loc.file}:{loc.line}:{loc.col} (in {f.fx_name})'.encode('utf-8')
        off = self._literal_offset(data)
        f.emit('i64.const', off << 32 | len(data))
        f.emit('global.set', self.throw_site())

    def throw_site(self):
        if self._site is None:
            self._site = self.m.globals.add('i64', [('i64.const', 0)], mutable=True, name='fx.thrown_at')
        return self._site

    def site_text(self, f) -> None:
        """Push the remembered throw site as a $str ("" when unknown)."""
        site = self.throw_site()
        f.emit('global.get', site); f.emit('i64.eqz')
        with f.if_(self._s):
            f.emit('array.new_fixed', self.layout.str, 0)
            f.else_()
            f.emit('global.get', site); f.emit('i64.const', 32); f.emit('i64.shr_u'); f.emit('i32.wrap_i64')
            f.emit('global.get', site); f.emit('i32.wrap_i64')
            f.emit('array.new_data', self.layout.str, self._seg)

    # ---- tracing (fxlang/codegen/trace.py) --------------------------------------------------------
    def trace(self, f, text: str) -> None:
        """Report the line `text` on standard error through io.trace (docs/host.md, "Tracing")."""
        data = text.encode('utf-8')[:SCRATCH]
        off = self._literal_offset(data)
        f.emit('i32.const', off)
        f.emit('i32.const', len(data))
        f.emit('call', self._trace_helper())

    def _trace_helper(self):
        def build(f):
            host = self._import('trace', ['i32', 'i32'], [])
            f.emit('i32.const', 0); f.emit('local.get', 0); f.emit('local.get', 1)
            f.emit('memory.init', self._seg, self.memory)
            f.emit('i32.const', 0); f.emit('local.get', 1); f.emit('call', host)
        return self._helper('trace', 'trace', ['i32', 'i32'], [], build, ('offset', 'len'))

    # ---- plumbing ---------------------------------------------------------------------------
    def _literal_offset(self, data: bytes) -> int:
        """Where `data` starts in the passive `literals` segment (added once, shared by equal literals)."""
        if self._seg is None:
            self._seg = self.m.datas.passive(b'', name='literals')
            self.m.data_count = True
        off = self._literals.get(data)
        if off is None:
            off = self._literals[data] = len(self._data)
            self._data += data
            self.m.datas.entries[self._seg].data = bytes(self._data)
        return off

    def _import(self, field, params, results):
        """The host operation `field` ('write', 'panic', 'trace'; `params`/`results` as the callers use
        them): a helper of wasi_io.py over the program's WASI imports (docs/host.md)."""
        return {'write': self.io.write, 'panic': self.io.fail, 'trace': self.io.trace}[field]()

    def _helper(self, key, name, params, results, build, param_names=()):
        f = self._funcs.get(key)
        if f is None:
            f = self._funcs[key] = self.m.funcs.add(self.m.types.func(params, results), name=name)
            for i, n in enumerate(param_names):
                f.name_param(i, n)
            build(f)
        return f

    @property
    def _s(self):
        return ref(self.layout.str)

    # ---- strings ----------------------------------------------------------------------------
    def concat(self):
        def build(f):
            s = self.layout.str
            la, lb, out = f.local('i32', 'la'), f.local('i32', 'lb'), f.local(self._s, 'out')
            f.emit('local.get', 0); f.emit('array.len'); f.emit('local.set', la)
            f.emit('local.get', 1); f.emit('array.len'); f.emit('local.set', lb)
            f.emit('local.get', la); f.emit('local.get', lb); f.emit('i32.add')
            f.emit('array.new_default', s); f.emit('local.set', out)
            f.emit('local.get', out); f.emit('i32.const', 0); f.emit('local.get', 0); f.emit('i32.const', 0)
            f.emit('local.get', la); f.emit('array.copy', s, s)
            f.emit('local.get', out); f.emit('local.get', la); f.emit('local.get', 1); f.emit('i32.const', 0)
            f.emit('local.get', lb); f.emit('array.copy', s, s)
            f.emit('local.get', out)
        return self._helper('concat', 'str.concat', [self._s, self._s], [self._s], build, ('a', 'b'))

    def str_cmp(self):
        """-1, 0 or 1: byte-wise lexicographic order (code-point order for UTF-8)."""
        def build(f):
            s = self.layout.str
            i, n, x, y = (f.local('i32', nm) for nm in ('i', 'n', 'x', 'y'))
            # n = min(len a, len b)
            f.emit('local.get', 0); f.emit('array.len'); f.emit('local.get', 1); f.emit('array.len')
            f.emit('local.get', 0); f.emit('array.len'); f.emit('local.get', 1); f.emit('array.len')
            f.emit('i32.lt_u'); f.emit('select'); f.emit('local.set', n)
            with f.block() as done:
                with f.loop() as again:
                    f.emit('local.get', i); f.emit('local.get', n); f.emit('i32.ge_u'); f.emit('br_if', done)
                    f.emit('local.get', 0); f.emit('local.get', i); f.emit('array.get_u', s); f.emit('local.set', x)
                    f.emit('local.get', 1); f.emit('local.get', i); f.emit('array.get_u', s); f.emit('local.set', y)
                    f.emit('local.get', x); f.emit('local.get', y); f.emit('i32.ne')
                    with f.if_():
                        f.emit('local.get', x); f.emit('local.get', y); f.emit('i32.gt_u')
                        f.emit('local.get', x); f.emit('local.get', y); f.emit('i32.lt_u'); f.emit('i32.sub')
                        f.emit('return')
                    f.emit('local.get', i); f.emit('i32.const', 1); f.emit('i32.add'); f.emit('local.set', i)
                    f.emit('br', again)
            f.emit('local.get', 0); f.emit('array.len'); f.emit('local.get', 1); f.emit('array.len')
            f.emit('i32.gt_u')
            f.emit('local.get', 0); f.emit('array.len'); f.emit('local.get', 1); f.emit('array.len')
            f.emit('i32.lt_u'); f.emit('i32.sub')
        return self._helper('cmp', 'str.cmp', [self._s, self._s], ['i32'], build, ('a', 'b'))

    def str_eq(self):
        def build(f):
            s = self.layout.str
            i, n = f.local('i32', 'i'), f.local('i32', 'n')
            f.emit('local.get', 0); f.emit('local.get', 1); f.emit('ref.eq')
            with f.if_():
                f.emit('i32.const', 1); f.emit('return')
            f.emit('local.get', 0); f.emit('array.len'); f.emit('local.tee', n)
            f.emit('local.get', 1); f.emit('array.len'); f.emit('i32.ne')
            with f.if_():
                f.emit('i32.const', 0); f.emit('return')
            with f.block() as done:
                with f.loop() as again:
                    f.emit('local.get', i); f.emit('local.get', n); f.emit('i32.ge_u'); f.emit('br_if', done)
                    f.emit('local.get', 0); f.emit('local.get', i); f.emit('array.get_u', s)
                    f.emit('local.get', 1); f.emit('local.get', i); f.emit('array.get_u', s)
                    f.emit('i32.ne')
                    with f.if_():
                        f.emit('i32.const', 0); f.emit('return')
                    f.emit('local.get', i); f.emit('i32.const', 1); f.emit('i32.add'); f.emit('local.set', i)
                    f.emit('br', again)
            f.emit('i32.const', 1)
        return self._helper('eq', 'str.eq', [self._s, self._s], ['i32'], build, ('a', 'b'))

    def int_to_str(self):
        """Decimal digits of an i64; the magnitude is taken unsigned so i64.min works."""
        def build(f):
            s = self.layout.str
            buf, pos, mag = f.local(self._s, 'buf'), f.local('i32', 'pos'), f.local('i64', 'mag')
            out = f.local(self._s, 'out')
            f.emit('i32.const', 20); f.emit('array.new_default', s); f.emit('local.set', buf)
            f.emit('i32.const', 20); f.emit('local.set', pos)
            # mag = n < 0 ? 0 - n : n   (as unsigned)
            f.emit('i64.const', 0); f.emit('local.get', 0); f.emit('i64.sub')
            f.emit('local.get', 0)
            f.emit('local.get', 0); f.emit('i64.const', 0); f.emit('i64.lt_s'); f.emit('select')
            f.emit('local.set', mag)
            with f.loop() as again:
                f.emit('local.get', pos); f.emit('i32.const', 1); f.emit('i32.sub'); f.emit('local.set', pos)
                f.emit('local.get', buf); f.emit('local.get', pos)
                f.emit('local.get', mag); f.emit('i64.const', 10); f.emit('i64.rem_u'); f.emit('i32.wrap_i64')
                f.emit('i32.const', 48); f.emit('i32.add'); f.emit('array.set', s)
                f.emit('local.get', mag); f.emit('i64.const', 10); f.emit('i64.div_u'); f.emit('local.tee', mag)
                f.emit('i64.const', 0); f.emit('i64.ne'); f.emit('br_if', again)
            f.emit('local.get', 0); f.emit('i64.const', 0); f.emit('i64.lt_s')
            with f.if_():
                f.emit('local.get', pos); f.emit('i32.const', 1); f.emit('i32.sub'); f.emit('local.set', pos)
                f.emit('local.get', buf); f.emit('local.get', pos); f.emit('i32.const', 45); f.emit('array.set', s)
            f.emit('i32.const', 20); f.emit('local.get', pos); f.emit('i32.sub')
            f.emit('array.new_default', s); f.emit('local.set', out)
            f.emit('local.get', out); f.emit('i32.const', 0); f.emit('local.get', buf); f.emit('local.get', pos)
            f.emit('i32.const', 20); f.emit('local.get', pos); f.emit('i32.sub'); f.emit('array.copy', s, s)
            f.emit('local.get', out)
        return self._helper('int_to_str', 'int.to_str', ['i64'], [self._s], build, ('n',))

    def float_to_str(self):
        """repr(x) computed inside the program (float_repr.py writes it at memory[0:]), copied into a $str."""
        def build(f):
            s = self.layout.str
            n, i, out = f.local('i32', 'n'), f.local('i32', 'i'), f.local(self._s, 'out')
            f.emit('local.get', 0); f.emit('i32.const', 0); f.emit('call', self.float_format())
            f.emit('local.tee', n)
            f.emit('array.new_default', s); f.emit('local.set', out)
            with f.block() as done:
                with f.loop() as again:
                    f.emit('local.get', i); f.emit('local.get', n); f.emit('i32.ge_u'); f.emit('br_if', done)
                    f.emit('local.get', out); f.emit('local.get', i)
                    f.emit('local.get', i); f.emit('i32.load8_u'); f.emit('array.set', s)
                    f.emit('local.get', i); f.emit('i32.const', 1); f.emit('i32.add'); f.emit('local.set', i)
                    f.emit('br', again)
            f.emit('local.get', out)
        return self._helper('float_to_str', 'float.to_str', ['f64'], [self._s], build, ('x',))

    def io_builtin(self, name: str):
        """The helper of an I/O builtin (ast.IO_BUILTINS: sys_read, ..., exit; fxlang/codegen/io_builtins.py)."""
        return io_builtin(self, name)

    def float_format(self):
        """`float.format(x, ptr) -> len`: repr(x) written into memory (fxlang/codegen/float_repr.py)."""
        return float_format(self._helper, self.memory)

    def float_rem(self):
        """x - y * trunc(x / y): the remainder with the sign of the dividend, like integer %."""
        def build(f):
            f.emit('local.get', 0)
            f.emit('local.get', 1)
            f.emit('local.get', 0); f.emit('local.get', 1); f.emit('f64.div'); f.emit('f64.trunc')
            f.emit('f64.mul'); f.emit('f64.sub')
        return self._helper('float_rem', 'float.rem', ['f64', 'f64'], ['f64'], build, ('x', 'y'))

    def _bounds_trap(self, f):
        """Trap with Wasm's own "out of bounds" message (reading index -1 of an empty string)."""
        f.emit('i32.const', 0); f.emit('array.new_default', self.layout.str)
        f.emit('i32.const', -1); f.emit('array.get_u', self.layout.str); f.emit('drop')
        f.emit('unreachable')

    def str_byte(self):
        """byte(s, i): the UTF-8 byte at i; traps (out of bounds) unless 0 <= i < len(s)."""
        def build(f):
            s = self.layout.str
            f.emit('local.get', 0)
            f.emit('local.get', 1); f.emit('i32.wrap_i64')
            f.emit('i32.const', -1)
            f.emit('local.get', 1); f.emit('local.get', 0); f.emit('array.len'); f.emit('i64.extend_i32_u')
            f.emit('i64.lt_u'); f.emit('select')
            f.emit('array.get_u', s); f.emit('i64.extend_i32_u')
        return self._helper('byte', 'str.byte', [self._s, 'i64'], ['i64'], build, ('s', 'i'))

    def str_slice(self):
        """slice(s, start, end): bytes start..end; traps unless 0 <= start <= end <= len(s)."""
        def build(f):
            s = self.layout.str
            out, n = f.local(self._s, 'out'), f.local('i32', 'n')
            # unsigned: end <= len and start <= end (so both are >= 0)
            f.emit('local.get', 2); f.emit('local.get', 0); f.emit('array.len'); f.emit('i64.extend_i32_u')
            f.emit('i64.gt_u')
            f.emit('local.get', 1); f.emit('local.get', 2); f.emit('i64.gt_u')
            f.emit('i32.or')
            with f.if_():
                self._bounds_trap(f)
            f.emit('local.get', 2); f.emit('local.get', 1); f.emit('i64.sub'); f.emit('i32.wrap_i64')
            f.emit('local.tee', n); f.emit('array.new_default', s); f.emit('local.set', out)
            f.emit('local.get', out); f.emit('i32.const', 0)
            f.emit('local.get', 0); f.emit('local.get', 1); f.emit('i32.wrap_i64')
            f.emit('local.get', n); f.emit('array.copy', s, s)
            f.emit('local.get', out)
        return self._helper('slice', 'str.slice', [self._s, 'i64', 'i64'], [self._s], build,
                            ('s', 'start', 'end'))

    def chr(self):
        """chr(n): the UTF-8 encoding of code point n; panics unless n is a scalar value."""
        def build(f):
            s = self.layout.str
            c = f.local('i32', 'c')
            # invalid: n > 0x10FFFF (unsigned, so negatives too) or a surrogate
            f.emit('local.get', 0); f.emit('i64.const', 0x10FFFF); f.emit('i64.gt_u')
            f.emit('local.get', 0); f.emit('i64.const', 0xD800); f.emit('i64.sub')
            f.emit('i64.const', 0x800); f.emit('i64.lt_u')
            f.emit('i32.or')
            with f.if_():
                self.panic(f, 'chr: not a Unicode scalar value')
            f.emit('local.get', 0); f.emit('i32.wrap_i64'); f.emit('local.set', c)

            def cont_byte(shift):           # 0x80 | ((c >> shift) & 0x3f)
                f.emit('local.get', c)
                if shift:
                    f.emit('i32.const', shift); f.emit('i32.shr_u')
                f.emit('i32.const', 0x3F); f.emit('i32.and'); f.emit('i32.const', 0x80); f.emit('i32.or')

            def lead(shift, mark):          # mark | (c >> shift)
                f.emit('local.get', c)
                if shift:
                    f.emit('i32.const', shift); f.emit('i32.shr_u')
                f.emit('i32.const', mark); f.emit('i32.or')

            f.emit('local.get', c); f.emit('i32.const', 0x80); f.emit('i32.lt_u')
            with f.if_():
                f.emit('local.get', c); f.emit('array.new_fixed', s, 1); f.emit('return')
            f.emit('local.get', c); f.emit('i32.const', 0x800); f.emit('i32.lt_u')
            with f.if_():
                lead(6, 0xC0); cont_byte(0); f.emit('array.new_fixed', s, 2); f.emit('return')
            f.emit('local.get', c); f.emit('i32.const', 0x10000); f.emit('i32.lt_u')
            with f.if_():
                lead(12, 0xE0); cont_byte(6); cont_byte(0); f.emit('array.new_fixed', s, 3); f.emit('return')
            lead(18, 0xF0); cont_byte(12); cont_byte(6); cont_byte(0); f.emit('array.new_fixed', s, 4)
        return self._helper('chr', 'chr', ['i64'], [self._s], build, ('n',))

    # ---- output -----------------------------------------------------------------------------
    def print(self):
        """Copy the bytes into memory[0 .. SCRATCH) chunk by chunk, calling io.write (fd_write) per chunk."""
        def build(f):
            s = self.layout.str
            write = self._import('write', ['i32', 'i32'], [])
            pos, n, i, total = (f.local('i32', nm) for nm in ('pos', 'n', 'i', 'total'))
            f.emit('local.get', 0); f.emit('array.len'); f.emit('local.set', total)
            with f.block() as done:
                with f.loop() as chunk:
                    f.emit('local.get', pos); f.emit('local.get', total); f.emit('i32.ge_u'); f.emit('br_if', done)
                    # n = min(SCRATCH, total - pos)
                    f.emit('i32.const', SCRATCH)
                    f.emit('local.get', total); f.emit('local.get', pos); f.emit('i32.sub')
                    f.emit('i32.const', SCRATCH)
                    f.emit('local.get', total); f.emit('local.get', pos); f.emit('i32.sub')
                    f.emit('i32.lt_u'); f.emit('select'); f.emit('local.set', n)
                    f.emit('i32.const', 0); f.emit('local.set', i)
                    with f.block() as copied:
                        with f.loop() as byte:
                            f.emit('local.get', i); f.emit('local.get', n); f.emit('i32.ge_u')
                            f.emit('br_if', copied)
                            f.emit('local.get', i)
                            f.emit('local.get', 0); f.emit('local.get', pos); f.emit('local.get', i)
                            f.emit('i32.add'); f.emit('array.get_u', s)
                            f.emit('i32.store8')
                            f.emit('local.get', i); f.emit('i32.const', 1); f.emit('i32.add')
                            f.emit('local.set', i)
                            f.emit('br', byte)
                    f.emit('i32.const', 0); f.emit('local.get', n); f.emit('call', write)
                    f.emit('local.get', pos); f.emit('local.get', n); f.emit('i32.add'); f.emit('local.set', pos)
                    f.emit('br', chunk)
        return self._helper('print', 'print', [self._s], [], build, ('s',))

    def println(self):
        def build(f):
            write = self._import('write', ['i32', 'i32'], [])
            f.emit('local.get', 0); f.emit('call', self.print())
            f.emit('i32.const', 0); f.emit('i32.const', 10); f.emit('i32.store8')
            f.emit('i32.const', 0); f.emit('i32.const', 1); f.emit('call', write)
        return self._helper('println', 'println', [self._s], [], build, ('s',))

    # ---- growable arrays --------------------------------------------------------------------
    def push(self, elem):
        """Append in place; when full, double the capacity (at least MIN_CAPACITY)."""
        L = self.layout
        vec, arr, st = L.vec(elem), L.arr(elem), L.st(elem)

        def build(f):
            n, data, grown = f.local('i32', 'n'), f.local(ref(arr), 'data'), f.local(ref(arr), 'grown')
            f.emit('local.get', 0); f.emit('struct.get', vec, VEC_LEN); f.emit('local.set', n)
            f.emit('local.get', 0); f.emit('struct.get', vec, VEC_DATA); f.emit('local.set', data)
            f.emit('local.get', n); f.emit('local.get', data); f.emit('array.len'); f.emit('i32.eq')
            with f.if_():
                # array.new fills with the pushed value: element types without a default (non-null
                # references) need some value, and slots past `len` are never read
                f.emit('local.get', 1)
                f.emit('i32.const', MIN_CAPACITY)
                f.emit('local.get', n); f.emit('i32.const', 1); f.emit('i32.shl')
                f.emit('local.get', n); f.emit('i32.const', MIN_CAPACITY // 2); f.emit('i32.lt_u')
                f.emit('select')
                f.emit('array.new', arr)
                f.emit('local.set', grown)
                f.emit('local.get', grown); f.emit('i32.const', 0); f.emit('local.get', data)
                f.emit('i32.const', 0); f.emit('local.get', n); f.emit('array.copy', arr, arr)
                f.emit('local.get', 0); f.emit('local.get', grown); f.emit('struct.set', vec, VEC_DATA)
                f.emit('local.get', grown); f.emit('local.set', data)
            f.emit('local.get', data); f.emit('local.get', n); f.emit('local.get', 1); f.emit('array.set', arr)
            f.emit('local.get', 0); f.emit('local.get', n); f.emit('i32.const', 1); f.emit('i32.add')
            f.emit('struct.set', vec, VEC_LEN)
        return self._helper(('push', vec), f'push<{_name(L, vec)}>', [ref(vec), st], [], build, ('xs', 'x'))

    def pop(self, elem):
        """Remove and return the last element; an empty array traps (index -1 is out of bounds)."""
        L = self.layout
        vec, arr, st = L.vec(elem), L.arr(elem), L.st(elem)

        def build(f):
            n = f.local('i32', 'n')
            f.emit('local.get', 0); f.emit('struct.get', vec, VEC_LEN); f.emit('i32.const', 1); f.emit('i32.sub')
            f.emit('local.set', n)
            f.emit('local.get', 0); f.emit('struct.get', vec, VEC_DATA); f.emit('local.get', n)
            f.emit('array.get', arr)
            f.emit('local.get', 0); f.emit('local.get', n); f.emit('struct.set', vec, VEC_LEN)
        return self._helper(('pop', vec), f'pop<{_name(L, vec)}>', [ref(vec)], [st], build, ('xs',))


def _name(layout, idx) -> str:
    return layout.m.names.types.get(idx, str(idx))
