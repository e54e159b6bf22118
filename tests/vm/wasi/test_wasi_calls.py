"""The calls one by one, called the way the VM calls them (signed ints), with the errno each returns;
bad descriptors, out-of-bounds pointers and huge lengths give error codes, never a Python exception."""

import io
import struct

import pytest
import wasmtime
from hypothesis import HealthCheck, given, settings, strategies as st

import vm
from vm import wasi
from vm.wasi import abi

from .conftest import Host

E = abi.ERRNO
PAGE = 65536


def test_write_to_stdout_and_stderr(host):
    host.put(100, b'out!err!')
    host.iovec(0, 100, 4)
    assert host.fd_write(1, 0, 1, 8) == 0 and host.u32(8) == 4
    host.iovec(0, 104, 4)
    assert host.fd_write(2, 0, 1, 8) == 0
    assert host.out.getvalue() == b'out!' and host.err.getvalue() == b'err!'


def test_read_stdin_in_pieces(tmp_path):
    h = Host(tmp_path, stdin=b'abcdef')
    h.iovec(0, 100, 4)
    h.iovec(8, 200, 10)
    assert h.fd_read(0, 0, 2, 16) == 0 and h.u32(16) == 6
    assert bytes(h.memory.data[100:104]) == b'abcd' and bytes(h.memory.data[200:202]) == b'ef'
    assert h.fd_read(0, 0, 1, 16) == 0 and h.u32(16) == 0          # end of input
    h.close()


@pytest.mark.parametrize('fd', [3 + 1, 99, -1, 2**31 - 1])
def test_invalid_fds_are_badf(host, fd):
    host.iovec(0, 100, 4)
    assert host.fd_write(fd, 0, 1, 8) == E['BADF']
    assert host.fd_read(fd, 0, 1, 8) == E['BADF']
    assert host.fd_close(fd) == E['BADF']
    assert host.fd_seek(fd, 0, 0, 8) == E['BADF']
    assert host.fd_fdstat_get(fd, 8) == E['BADF']


def test_closed_fd_is_badf_and_its_number_is_reused(host):
    (host.root / 'f').write_text('x')
    e, fd = host.open('f')
    assert e == 0 and fd == 4
    assert host.fd_close(fd) == 0
    assert host.fd_close(fd) == E['BADF']
    host.iovec(0, 100, 1)
    assert host.fd_read(fd, 0, 1, 8) == E['BADF']
    assert host.open('f')[1] == 4


def test_rights_are_checked(host):
    (host.root / 'f').write_text('data')
    e, fd = host.open('f', rights=abi.R['FD_READ'])
    host.put(100, b'zz')
    host.iovec(0, 100, 2)
    assert host.fd_write(fd, 0, 1, 8) == E['NOTCAPABLE']
    assert host.fd_read(1, 0, 1, 8) == E['NOTCAPABLE']           # stdout is not readable
    assert host.fd_write(0, 0, 1, 8) == E['NOTCAPABLE']          # stdin is not writable
    assert host.fd_fdstat_set_rights(fd, 0, 0) == 0             # drop every right
    assert host.fd_read(fd, 0, 1, 8) == E['NOTCAPABLE']
    assert host.fd_fdstat_set_rights(fd, abi.R['FD_READ'], 0) == E['NOTCAPABLE']   # and never regain them
    assert (host.root / 'f').read_text() == 'data'


@pytest.mark.parametrize('iov_ptr, buf_ptr, length', [
    (PAGE - 4, 0, 1),            # the iovec array itself runs off the end
    (0, PAGE - 2, 4),            # the buffer runs off the end
    (0, 0, 0xFFFFFFFF),          # a huge length
    (0, -1, 1),                  # a pointer at 4 GiB - 1
])
def test_out_of_bounds_iovecs_are_efault(host, iov_ptr, buf_ptr, length):
    if iov_ptr + 8 <= PAGE:
        host.iovec(iov_ptr, buf_ptr & 0xFFFFFFFF, length)
    assert host.fd_write(1, iov_ptr, 1, 8) == E['FAULT']
    assert host.fd_read(0, iov_ptr, 1, 8) == E['FAULT']
    assert host.out.getvalue() == b''


def test_huge_counts_and_lengths(host):
    assert host.fd_write(1, 0, 0x7FFFFFFF, 8) == E['INVAL']        # more iovecs than IOV_MAX
    assert host.fd_write(1, 0, -1, 8) == E['INVAL']
    assert host.random_get(0, -1) == E['FAULT']
    assert host.args_get(PAGE, PAGE) == 0                         # no arguments: nothing to write
    assert host.args_sizes_get(PAGE - 2, 0) == E['FAULT']
    assert host.path_open(3, 0, 0, 0x7FFFFFFF, 0, 2, 0, 0, 8) == E['FAULT']
    assert host.fd_prestat_dir_name(3, PAGE - 1, 100) == E['FAULT']
    assert host.fd_write(1, 0, 1, PAGE - 1) == E['FAULT']         # result pointer out of bounds
    assert host.fd_readdir(3, 0, -1, 0, 8) == E['FAULT']
    assert host.poll_oneoff(0, 0, 0x10000000, 8) == E['FAULT']


def test_many_overlapping_iovecs_stay_bounded(host):
    for i in range(1024):
        host.iovec(8 * i, 0, PAGE)                       # 1024 × 64 KiB of the same page
    assert host.fd_write(1, 0, 1024, 8192 + 8) == 0
    assert host.u32(8200) == 1024 * PAGE


def test_args_env_and_prestat(tmp_path):
    h = Host(tmp_path, args=['prog', 'x y', 'é'], env={'A': '1', 'B': ''})
    assert h.args_sizes_get(0, 4) == 0 and (h.u32(0), h.u32(4)) == (3, 5 + 4 + 3)
    assert h.args_get(100, 200) == 0
    assert [h.u32(100 + 4 * i) for i in range(3)] == [200, 205, 209]
    assert bytes(h.memory.data[200:212]) == 'prog\0x y\0é\0'.encode()
    assert h.environ_sizes_get(0, 4) == 0 and (h.u32(0), h.u32(4)) == (2, 4 + 3)
    assert h.environ_get(100, 200) == 0 and bytes(h.memory.data[200:207]) == b'A=1\0B=\0'
    assert h.fd_prestat_get(3, 0) == 0 and h.u32(4) == len('/sandbox')
    assert h.fd_prestat_dir_name(3, 300, 3) == E['NAMETOOLONG']
    assert h.fd_prestat_dir_name(3, 300, 8) == 0 and bytes(h.memory.data[300:308]) == b'/sandbox'
    assert h.fd_prestat_get(4, 0) == E['BADF'] and h.fd_prestat_get(1, 0) == E['BADF']
    h.close()


def test_file_round_trip_seek_stat_readdir(host):
    e, fd = host.open('new.txt', oflags=abi.O_CREAT,
                      rights=abi.R['FD_READ'] | abi.R['FD_WRITE'] | abi.R['FD_SEEK'] | abi.R['FD_FILESTAT_GET'])
    assert e == 0
    host.put(100, b'hello world')
    host.iovec(0, 100, 11)
    assert host.fd_write(fd, 0, 1, 8) == 0
    assert host.fd_seek(fd, -5, abi.WHENCE_END, 16) == 0 and host.u32(16) == 6
    host.iovec(0, 200, 100)
    assert host.fd_read(fd, 0, 1, 8) == 0 and bytes(host.memory.data[200:205]) == b'world'
    assert host.fd_seek(fd, -100, abi.WHENCE_SET, 16) == E['INVAL']
    assert host.fd_filestat_get(fd, 300) == 0
    filetype, = struct.unpack_from('<B', host.memory.data, 316)
    size, = struct.unpack_from('<Q', host.memory.data, 332)
    assert (filetype, size) == (abi.FT_FILE, 11)
    assert host.fd_seek(1, 0, abi.WHENCE_CUR, 16) == E['SPIPE']
    (host.root / 'd').mkdir()
    assert host.fd_readdir(3, 1000, 4096, 0, 8) == 0
    used, names, at = host.u32(8), [], 1000
    while at < 1000 + used:
        _next, _ino, namlen, _type = struct.unpack_from('<QQIB', host.memory.data, at)
        names.append(bytes(host.memory.data[at + 24:at + 24 + namlen]))
        at += 24 + namlen
    assert names == [b'.', b'..', b'd', b'new.txt']


def test_proc_exit_and_missing_calls_through_a_module(tmp_path):
    wat = '''(module
      (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
      (import "wasi_snapshot_preview1" "sock_accept" (func $accept (param i32 i32 i32) (result i32)))
      (memory (export "memory") 1)
      (func (export "_start") (call $exit (i32.const 42)))
      (func (export "accept") (result i32) (call $accept (i32.const 0) (i32.const 0) (i32.const 0))))'''
    m = vm.decode(wasmtime.wat2wasm(wat))
    w = wasi.Wasi()
    inst = vm.instantiate(m, w.imports(m))
    assert w.run(inst) == 42
    with pytest.raises(vm.Trap, match='WASI call sock_accept is not implemented by vm.wasi'):
        inst.exports['accept']()


@pytest.mark.parametrize('imp, message', [
    ('(import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32) (result i32)))',
     'incompatible import type for wasi_snapshot_preview1.fd_write'),
    ('(import "wasi_snapshot_preview1" "fd_frobnicate" (func))',
     'wasi_snapshot_preview1.fd_frobnicate is not a WASI preview 1 function'),
    ('(import "wasi_snapshot_preview1" "memory" (memory 1))', 'is not a WASI preview 1 function'),
])
def test_bad_wasi_imports_are_link_errors(imp, message):
    m = vm.decode(wasmtime.wat2wasm(f'(module {imp})'))
    with pytest.raises(vm.LinkError, match=message):
        wasi.Wasi().imports(m)


def test_seeded_random_and_injected_clock(tmp_path):
    draws = []
    for _ in range(2):
        h = Host(tmp_path, seed=7, clock=lambda cid: 1234 + cid)
        assert h.random_get(0, 32) == 0
        draws.append(bytes(h.memory.data[:32]))
        assert h.clock_time_get(abi.CLOCK_MONOTONIC, 0, 64) == 0
        assert struct.unpack_from('<Q', h.memory.data, 64)[0] == 1235
        assert h.clock_time_get(9, 0, 64) == E['INVAL']
        h.close()
    assert draws[0] == draws[1] and draws[0] != bytes(32)


NAMES = sorted(n for n in wasi.implemented() if n != 'proc_exit')


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(NAMES), memory=st.binary(min_size=64, max_size=64), data=st.data())
def test_any_arguments_give_an_errno_never_an_exception(tmp_path, name, memory, data):
    """Fuzz: random arguments and memory contents; every call returns a WASI errno (0..76)."""
    root = tmp_path / 'fuzz'
    root.mkdir(exist_ok=True)
    h = Host(root, stdin=b'input', clock=lambda cid: 0)
    try:
        h.memory.data[:64] = memory
        params = abi.SIGNATURES[name][0]
        small = st.integers(0, 80)
        edge = st.sampled_from([0, 3, 8, PAGE - 1, PAGE, -1, 2**31 - 1, -2**31])
        args = [data.draw(st.one_of(small, edge) if t == 'i32'
                          else st.sampled_from([0, 1, -1, 2**63 - 1, -2**63])) for t in params]
        r = h.calls[name](*args)
        assert isinstance(r, int) and 0 <= r <= E['NOTCAPABLE']
    finally:
        h.close()
