"""The low-level I/O builtins (ast.IO_BUILTINS) as runtime helpers over WASI calls (docs/host.md);
stdlib/io.fx builds read_line/read_all/args/read_file/write_file and its IOError on them.

    io_builtin(rt, name) -> the helper function of builtin `name` (emitted on first use)

Calling convention: fx ints are i64, strings $str; each helper converts.  Bytes pass through the scratch
area (memory 0..SCRATCH): a read moves at most SCRATCH bytes per call (a short read, as WASI allows), a
write goes out in SCRATCH-byte chunks.  `sys_read` and `sys_preopen` leave their WASI errno in the ERRNO
cell, which `sys_errno` reads; the others return it (`sys_open_at`: the new fd, or -errno).  `sys_args`
places argv at ARGS (growing memory when the arguments need it).
"""

from __future__ import annotations

from fxlang.check import types as T
from fxlang.wasm import ref

from .wasi_io import IO_AREA, IOV, RESULT

ERRNO = IO_AREA + 40
ARGS = 8192
# rights asked for by sys_open_at (WASI preview 1 bit numbers): read FD_READ, FD_SEEK, FD_TELL,
# FD_FILESTAT_GET; write/append FD_WRITE, FD_SEEK, FD_TELL, FD_FILESTAT_GET, FD_FILESTAT_SET_SIZE
READ_RIGHTS = (1 << 1) | (1 << 2) | (1 << 5) | (1 << 21)
WRITE_RIGHTS = (1 << 6) | (1 << 2) | (1 << 5) | (1 << 21) | (1 << 22)
O_CREAT, O_TRUNC, FDFLAG_APPEND, LOOKUP_FOLLOW = 1, 8, 1, 1
ENAMETOOLONG = 37


def io_builtin(rt, name: str):
    return _BUILDERS[name](rt)


def _copy_out(f, rt, count_local, out_local) -> None:
    """out = a new $str of the `count` bytes at memory 0."""
    s = rt.layout.str
    i = f.local('i32', 'i')
    f.emit('local.get', count_local); f.emit('array.new_default', s); f.emit('local.set', out_local)
    with f.block() as done:
        with f.loop() as again:
            f.emit('local.get', i); f.emit('local.get', count_local); f.emit('i32.ge_u'); f.emit('br_if', done)
            f.emit('local.get', out_local); f.emit('local.get', i)
            f.emit('local.get', i); f.emit('i32.load8_u'); f.emit('array.set', s)
            f.emit('local.get', i); f.emit('i32.const', 1); f.emit('i32.add'); f.emit('local.set', i)
            f.emit('br', again)


def _copy_in(f, rt, str_local, start_local, count_local) -> None:
    """memory[0:count] = the bytes of the $str from `start`."""
    s = rt.layout.str
    i = f.local('i32', 'j')
    with f.block() as done:
        with f.loop() as again:
            f.emit('local.get', i); f.emit('local.get', count_local); f.emit('i32.ge_u'); f.emit('br_if', done)
            f.emit('local.get', i)
            f.emit('local.get', str_local); f.emit('local.get', start_local); f.emit('local.get', i); f.emit('i32.add')
            f.emit('array.get_u', s); f.emit('i32.store8')
            f.emit('local.get', i); f.emit('i32.const', 1); f.emit('i32.add'); f.emit('local.set', i)
            f.emit('br', again)


def _sys_read(rt):
    from .runtime import SCRATCH

    def build(f):
        n, out = f.local('i32', 'n'), f.local(ref(rt.layout.str), 'out')
        # n = clamp(max, 0, SCRATCH)
        f.emit('local.get', 1); f.emit('i64.const', 0); f.emit('i64.le_s')
        with f.if_('i32'):
            f.emit('i32.const', 0)
            f.else_()
            f.emit('i64.const', SCRATCH); f.emit('local.get', 1)
            f.emit('local.get', 1); f.emit('i64.const', SCRATCH); f.emit('i64.gt_s'); f.emit('select')
            f.emit('i32.wrap_i64')
        f.emit('local.set', n)
        f.emit('i32.const', IOV); f.emit('i32.const', 0); f.emit('i32.store')
        f.emit('i32.const', IOV); f.emit('local.get', n); f.emit('i32.store', 4)
        f.emit('i32.const', ERRNO)
        f.emit('local.get', 0); f.emit('i32.wrap_i64'); f.emit('i32.const', IOV); f.emit('i32.const', 1)
        f.emit('i32.const', RESULT); f.emit('call', rt.io.call('fd_read'))
        f.emit('i32.store')
        f.emit('i32.const', 0); f.emit('i32.const', RESULT); f.emit('i32.load')
        f.emit('i32.const', ERRNO); f.emit('i32.load'); f.emit('select'); f.emit('local.set', n)
        _copy_out(f, rt, n, out)
        f.emit('local.get', out)
    return rt._helper('sys_read', 'sys_read', ['i64', 'i64'], [ref(rt.layout.str)], build, ('fd', 'max'))


def _sys_write(rt):
    from .runtime import SCRATCH

    def build(f):
        pos, n, total, err = (f.local('i32', nm) for nm in ('pos', 'n', 'total', 'err'))
        f.emit('local.get', 1); f.emit('array.len'); f.emit('local.set', total)
        with f.block() as done:
            with f.loop() as chunk:
                f.emit('local.get', pos); f.emit('local.get', total); f.emit('i32.ge_u'); f.emit('br_if', done)
                f.emit('i32.const', SCRATCH)
                f.emit('local.get', total); f.emit('local.get', pos); f.emit('i32.sub')
                f.emit('i32.const', SCRATCH)
                f.emit('local.get', total); f.emit('local.get', pos); f.emit('i32.sub')
                f.emit('i32.lt_u'); f.emit('select'); f.emit('local.set', n)
                _copy_in(f, rt, 1, pos, n)
                f.emit('local.get', 0); f.emit('i32.wrap_i64'); f.emit('i32.const', 0); f.emit('local.get', n)
                f.emit('call', rt.io.write_fd()); f.emit('local.tee', err); f.emit('br_if', done)
                f.emit('local.get', pos); f.emit('local.get', n); f.emit('i32.add'); f.emit('local.set', pos)
                f.emit('br', chunk)
        f.emit('local.get', err); f.emit('i64.extend_i32_u')
    return rt._helper('sys_write', 'sys_write', ['i64', ref(rt.layout.str)], ['i64'], build, ('fd', 's'))


def _sys_preopen(rt):
    from .runtime import SCRATCH

    def build(f):
        n, out = f.local('i32', 'n'), f.local(ref(rt.layout.str), 'out')
        f.emit('i32.const', ERRNO)
        f.emit('local.get', 0); f.emit('i32.wrap_i64'); f.emit('i32.const', RESULT)
        f.emit('call', rt.io.call('fd_prestat_get'))
        f.emit('i32.store')
        # a preopened directory (tag 0) with a name that fits
        f.emit('i32.const', ERRNO); f.emit('i32.load'); f.emit('i32.eqz')
        f.emit('i32.const', RESULT); f.emit('i32.load8_u'); f.emit('i32.eqz'); f.emit('i32.and')
        f.emit('i32.const', RESULT); f.emit('i32.load', 4); f.emit('i32.const', SCRATCH); f.emit('i32.le_u')
        f.emit('i32.and')
        with f.if_():
            f.emit('i32.const', RESULT); f.emit('i32.load', 4); f.emit('local.set', n)
            f.emit('i32.const', ERRNO)
            f.emit('local.get', 0); f.emit('i32.wrap_i64'); f.emit('i32.const', 0); f.emit('local.get', n)
            f.emit('call', rt.io.call('fd_prestat_dir_name'))
            f.emit('i32.store')
            f.emit('i32.const', ERRNO); f.emit('i32.load')
            with f.if_():
                f.emit('i32.const', 0); f.emit('local.set', n)
            # some runtimes count a trailing NUL in the name
            f.emit('local.get', n)
            with f.if_():
                f.emit('local.get', n); f.emit('i32.const', 1); f.emit('i32.sub'); f.emit('i32.load8_u')
                f.emit('i32.eqz')
                with f.if_():
                    f.emit('local.get', n); f.emit('i32.const', 1); f.emit('i32.sub'); f.emit('local.set', n)
        _copy_out(f, rt, n, out)
        f.emit('local.get', out)
    return rt._helper('sys_preopen', 'sys_preopen', ['i64'], [ref(rt.layout.str)], build, ('fd',))


def _sys_open_at(rt):
    from .runtime import SCRATCH

    def build(f):
        n, zero, err = f.local('i32', 'n'), f.local('i32', 'zero'), f.local('i32', 'err')
        f.emit('local.get', 1); f.emit('array.len'); f.emit('local.tee', n)
        f.emit('i32.const', SCRATCH); f.emit('i32.gt_u')
        with f.if_():
            f.emit('i64.const', -ENAMETOOLONG); f.emit('return')
        _copy_in(f, rt, 1, zero, n)
        f.emit('local.get', 0); f.emit('i32.wrap_i64')
        f.emit('i32.const', LOOKUP_FOLLOW)
        f.emit('i32.const', 0); f.emit('local.get', n)
        # oflags: read 0, write CREAT|TRUNC, append CREAT
        f.emit('i32.const', 0); f.emit('i32.const', O_CREAT); f.emit('i32.const', O_CREAT | O_TRUNC)
        f.emit('local.get', 2); f.emit('i64.const', 2); f.emit('i64.eq'); f.emit('select')
        f.emit('local.get', 2); f.emit('i64.eqz'); f.emit('select')
        f.emit('i64.const', READ_RIGHTS); f.emit('i64.const', WRITE_RIGHTS)
        f.emit('local.get', 2); f.emit('i64.eqz'); f.emit('select')
        f.emit('i64.const', 0)
        f.emit('i32.const', FDFLAG_APPEND); f.emit('i32.const', 0)
        f.emit('local.get', 2); f.emit('i64.const', 2); f.emit('i64.eq'); f.emit('select')
        f.emit('i32.const', RESULT)
        f.emit('call', rt.io.call('path_open')); f.emit('local.tee', err)
        with f.if_('i64'):
            f.emit('i64.const', 0); f.emit('local.get', err); f.emit('i64.extend_i32_u'); f.emit('i64.sub')
            f.else_()
            f.emit('i32.const', RESULT); f.emit('i64.load32_u')
    return rt._helper('sys_open_at', 'sys_open_at', ['i64', ref(rt.layout.str), 'i64'], ['i64'], build,
                      ('dir', 'path', 'mode'))


def _sys_close(rt):
    def build(f):
        f.emit('local.get', 0); f.emit('i32.wrap_i64'); f.emit('call', rt.io.call('fd_close'))
        f.emit('i64.extend_i32_u')
    return rt._helper('sys_close', 'sys_close', ['i64'], ['i64'], build, ('fd',))


def _sys_errno(rt):
    def build(f):
        f.emit('i32.const', ERRNO); f.emit('i64.load32_u')
    return rt._helper('sys_errno', 'sys_errno', [], ['i64'], build)


def _sys_args(rt):
    L = rt.layout
    vec, arr = L.vec(T.STR), L.arr(T.STR)

    def build(f):
        argc, size, need, i, p, n = (f.local('i32', nm) for nm in ('argc', 'size', 'need', 'i', 'p', 'n'))
        xs, s = f.local(ref(arr), 'xs'), f.local(ref(L.str), 's')
        f.emit('i32.const', RESULT); f.emit('i32.const', RESULT + 4); f.emit('call', rt.io.call('args_sizes_get'))
        with f.if_():                                          # no arguments to be had: argc 0
            f.emit('i32.const', RESULT); f.emit('i64.const', 0); f.emit('i64.store')
        f.emit('i32.const', RESULT); f.emit('i32.load'); f.emit('local.set', argc)
        f.emit('i32.const', RESULT); f.emit('i32.load', 4); f.emit('local.set', size)
        # memory for argv[] and the strings at ARGS; grow when short
        f.emit('i32.const', ARGS); f.emit('local.get', argc); f.emit('i32.const', 2); f.emit('i32.shl'); f.emit('i32.add')
        f.emit('local.get', size); f.emit('i32.add'); f.emit('local.tee', need)
        f.emit('memory.size', rt.memory); f.emit('i32.const', 16); f.emit('i32.shl'); f.emit('i32.gt_u')
        with f.if_():
            f.emit('local.get', need); f.emit('i32.const', 0xFFFF); f.emit('i32.add'); f.emit('i32.const', 16)
            f.emit('i32.shr_u'); f.emit('memory.size', rt.memory); f.emit('i32.sub')
            f.emit('memory.grow', rt.memory); f.emit('i32.const', -1); f.emit('i32.eq')
            with f.if_():
                f.emit('i32.const', 0); f.emit('local.set', argc)
        f.emit('local.get', argc)
        with f.if_():
            f.emit('i32.const', ARGS)
            f.emit('i32.const', ARGS); f.emit('local.get', argc); f.emit('i32.const', 2); f.emit('i32.shl')
            f.emit('i32.add')
            f.emit('call', rt.io.call('args_get'))
            with f.if_():
                f.emit('i32.const', 0); f.emit('local.set', argc)
        f.emit('i32.const', 0); f.emit('array.new_default', L.str)
        f.emit('local.get', argc); f.emit('array.new', arr); f.emit('local.set', xs)
        with f.block() as done:
            with f.loop() as each:
                f.emit('local.get', i); f.emit('local.get', argc); f.emit('i32.ge_u'); f.emit('br_if', done)
                f.emit('i32.const', ARGS); f.emit('local.get', i); f.emit('i32.const', 2); f.emit('i32.shl')
                f.emit('i32.add'); f.emit('i32.load'); f.emit('local.set', p)
                f.emit('i32.const', 0); f.emit('local.set', n)
                with f.block() as end:                     # n = strlen(p)
                    with f.loop() as more:
                        f.emit('local.get', p); f.emit('local.get', n); f.emit('i32.add'); f.emit('i32.load8_u')
                        f.emit('i32.eqz'); f.emit('br_if', end)
                        f.emit('local.get', n); f.emit('i32.const', 1); f.emit('i32.add'); f.emit('local.set', n)
                        f.emit('br', more)
                f.emit('local.get', n); f.emit('array.new_default', L.str); f.emit('local.set', s)
                _copy_bytes(f, L.str, s, p, n)
                f.emit('local.get', xs); f.emit('local.get', i); f.emit('local.get', s); f.emit('array.set', arr)
                f.emit('local.get', i); f.emit('i32.const', 1); f.emit('i32.add'); f.emit('local.set', i)
                f.emit('br', each)
        f.emit('local.get', argc); f.emit('local.get', xs); f.emit('struct.new', vec)
    return rt._helper('sys_args', 'sys_args', [], [ref(vec)], build)


def _copy_bytes(f, str_type, s, p, n):
    """s[0:n] = memory[p:p+n]."""
    k = f.local('i32', 'k')
    f.emit('i32.const', 0); f.emit('local.set', k)
    with f.block() as done:
        with f.loop() as again:
            f.emit('local.get', k); f.emit('local.get', n); f.emit('i32.ge_u'); f.emit('br_if', done)
            f.emit('local.get', s); f.emit('local.get', k)
            f.emit('local.get', p); f.emit('local.get', k); f.emit('i32.add'); f.emit('i32.load8_u')
            f.emit('array.set', str_type)
            f.emit('local.get', k); f.emit('i32.const', 1); f.emit('i32.add'); f.emit('local.set', k)
            f.emit('br', again)


def _exit(rt):
    def build(f):
        f.emit('local.get', 0); f.emit('i32.wrap_i64'); f.emit('call', rt.io.exit())
        f.emit('unreachable')
    return rt._helper('exit', 'exit', ['i64'], [], build, ('code',))


_BUILDERS = {'sys_read': _sys_read, 'sys_write': _sys_write, 'sys_preopen': _sys_preopen,
             'sys_open_at': _sys_open_at, 'sys_close': _sys_close, 'sys_errno': _sys_errno,
             'sys_args': _sys_args, 'exit': _exit}
