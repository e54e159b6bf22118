"""The WASI preview 1 calls this package implements, one function each: `call(w, g, *args) -> errno`
where `w` is the Wasi instance (configuration, fd table), `g` the Guest view of linear memory and `args`
the call's core Wasm arguments (signed ints, as the VM passes them). A call raises WasiErr(code), Fault
(a bad guest pointer: EFAULT) or OSError (mapped from the host's errno); `Wasi` turns these into the
returned code. Calls absent from CALLS trap with their name when a program calls them."""

from __future__ import annotations

import os
import stat
import struct
import time

from . import abi
from .abi import R
from .guest import MASK32, MASK64, Guest
from .sandbox import Descriptor, Resolved, WasiErr

CALLS: dict = {}
READ_CHUNK = 1 << 20          # the most one fd_read/fd_pread moves (a short read is always allowed)


def call(fn):
    CALLS[fn.__name__] = fn
    return fn


def _u32(x: int) -> int:
    return x & MASK32


def _u64(x: int) -> int:
    return x & MASK64


# ---------------------------------------------------------------------------------------- args, env

def _strings_get(g: Guest, items: list[bytes], ptrs: int, buf: int) -> int:
    total = sum(len(s) + 1 for s in items)
    g.check(ptrs, 4 * len(items))
    g.check(buf, total)
    off = _u32(buf)
    for i, s in enumerate(items):
        g.put(ptrs + 4 * i, '<I', off)
        g.write(off, s + b'\0')
        off += len(s) + 1
    return 0


def _sizes_get(g: Guest, items: list[bytes], count_ptr: int, size_ptr: int) -> int:
    g.check(count_ptr, 4)
    g.check(size_ptr, 4)
    g.put(count_ptr, '<I', len(items))
    g.put(size_ptr, '<I', sum(len(s) + 1 for s in items))
    return 0


@call
def args_get(w, g, argv, buf):
    return _strings_get(g, w.args, argv, buf)


@call
def args_sizes_get(w, g, count_ptr, size_ptr):
    return _sizes_get(g, w.args, count_ptr, size_ptr)


@call
def environ_get(w, g, environ, buf):
    return _strings_get(g, w.env, environ, buf)


@call
def environ_sizes_get(w, g, count_ptr, size_ptr):
    return _sizes_get(g, w.env, count_ptr, size_ptr)


# ---------------------------------------------------------------------------------------- clocks, random

@call
def clock_res_get(w, g, clock_id, res_ptr):
    if _u32(clock_id) > abi.CLOCK_THREAD_CPUTIME:
        raise WasiErr(abi.INVAL)
    g.put(res_ptr, '<Q', 1 if w.clock is None else w.clock_resolution)
    return 0


@call
def clock_time_get(w, g, clock_id, precision, time_ptr):
    g.put(time_ptr, '<Q', w.now(_u32(clock_id)))
    return 0


@call
def random_get(w, g, buf, length):
    length = _u32(length)
    g.check(buf, length)
    g.write(buf, w.random_bytes(length))
    return 0


@call
def sched_yield(w, g):
    return 0


@call
def proc_exit(w, g, code):
    from . import ProcExit
    raise ProcExit(_u32(code))


# ---------------------------------------------------------------------------------------- reading, writing

def _read_into(g: Guest, bufs, read) -> int:
    """Fill the iovecs in order with `read(n) -> bytes` until one comes back short; the byte count."""
    total = 0
    budget = READ_CHUNK
    for ptr, n in bufs:
        n = min(n, budget)
        if n == 0:
            continue
        data = read(n)
        g.write(ptr, data)
        total += len(data)
        budget -= len(data)
        if len(data) < n or budget == 0:
            break
    return total


def _stream_read(stream, n: int) -> bytes:
    read1 = getattr(stream, 'read1', None)
    data = read1(n) if read1 is not None else stream.read(n)
    return data or b''


@call
def fd_read(w, g, fd, iovs, iovs_len, nread_ptr):
    d = w.table.get(fd, R['FD_READ'])
    bufs = g.iovecs(iovs, iovs_len)
    g.check(nread_ptr, 4)
    if d.filetype == abi.FT_DIR:
        raise WasiErr(abi.ISDIR)
    if d.stream is not None:
        n = _read_into(g, bufs, lambda k: _stream_read(d.stream, k))
    else:
        n = _read_into(g, bufs, lambda k: os.read(d.host, k))
    g.put(nread_ptr, '<I', n)
    return 0


@call
def fd_pread(w, g, fd, iovs, iovs_len, offset, nread_ptr):
    d = w.table.get(fd, R['FD_READ'] | R['FD_SEEK'])
    bufs = g.iovecs(iovs, iovs_len)
    g.check(nread_ptr, 4)
    if d.host is None or d.filetype != abi.FT_FILE:
        raise WasiErr(abi.SPIPE if d.stream is not None else abi.ISDIR)
    pos = [_u64(offset)]

    def read(k):
        data = os.pread(d.host, k, pos[0])
        pos[0] += len(data)
        return data
    g.put(nread_ptr, '<I', _read_into(g, bufs, read))
    return 0


def _gather(g: Guest, iovs, iovs_len) -> bytes:
    return b''.join(g.read(p, n) for p, n in g.iovecs(iovs, iovs_len))


@call
def fd_write(w, g, fd, iovs, iovs_len, nwritten_ptr):
    d = w.table.get(fd, R['FD_WRITE'])
    data = _gather(g, iovs, iovs_len)
    g.check(nwritten_ptr, 4)
    if d.filetype == abi.FT_DIR:
        raise WasiErr(abi.ISDIR)
    if d.stream is not None:
        w.write_stream(d.stream, data)
        n = len(data)
    else:
        n = 0
        while n < len(data):
            k = os.write(d.host, data[n:])
            if k <= 0:
                break
            n += k
    g.put(nwritten_ptr, '<I', n)
    return 0


@call
def fd_pwrite(w, g, fd, iovs, iovs_len, offset, nwritten_ptr):
    d = w.table.get(fd, R['FD_WRITE'] | R['FD_SEEK'])
    data = _gather(g, iovs, iovs_len)
    g.check(nwritten_ptr, 4)
    if d.host is None or d.filetype != abi.FT_FILE:
        raise WasiErr(abi.SPIPE if d.stream is not None else abi.ISDIR)
    g.put(nwritten_ptr, '<I', os.pwrite(d.host, data, _u64(offset)))
    return 0


@call
def fd_seek(w, g, fd, offset, whence, newoffset_ptr):
    whence = _u32(whence)
    right = R['FD_TELL'] if whence == abi.WHENCE_CUR and offset == 0 else R['FD_SEEK']
    d = w.table.get(fd)
    if d.stream is not None:                # a stream, whatever its rights: not seekable
        raise WasiErr(abi.SPIPE)
    d.need(right)
    g.check(newoffset_ptr, 8)
    if d.host is None:
        raise WasiErr(abi.SPIPE)
    how = {abi.WHENCE_SET: os.SEEK_SET, abi.WHENCE_CUR: os.SEEK_CUR, abi.WHENCE_END: os.SEEK_END}.get(whence)
    if how is None:
        raise WasiErr(abi.INVAL)
    g.put(newoffset_ptr, '<Q', os.lseek(d.host, offset, how))
    return 0


@call
def fd_tell(w, g, fd, offset_ptr):
    d = w.table.get(fd)
    if d.stream is not None:
        raise WasiErr(abi.SPIPE)
    d.need(R['FD_TELL'])
    g.check(offset_ptr, 8)
    if d.host is None:
        raise WasiErr(abi.SPIPE)
    g.put(offset_ptr, '<Q', os.lseek(d.host, 0, os.SEEK_CUR))
    return 0


@call
def fd_close(w, g, fd):
    d = w.table.get(fd)
    del w.table.fds[_u32(fd)]
    d.close()
    return 0


@call
def fd_renumber(w, g, fd, to):
    d = w.table.get(fd)
    old = w.table.get(to)
    if _u32(fd) != _u32(to):
        old.close()
        w.table.fds[_u32(to)] = d
        del w.table.fds[_u32(fd)]
    return 0


@call
def fd_sync(w, g, fd):
    d = w.table.get(fd, R['FD_SYNC'])
    if d.host is not None:
        os.fsync(d.host)
    return 0


@call
def fd_datasync(w, g, fd):
    d = w.table.get(fd, R['FD_DATASYNC'])
    if d.host is not None:
        getattr(os, 'fdatasync', os.fsync)(d.host)
    return 0


@call
def fd_advise(w, g, fd, offset, length, advice):
    w.table.get(fd, R['FD_ADVISE'])
    if _u32(advice) > 5:
        raise WasiErr(abi.INVAL)
    return 0


@call
def fd_allocate(w, g, fd, offset, length):
    d = w.table.get(fd, R['FD_ALLOCATE'])
    if d.host is None or d.filetype != abi.FT_FILE:
        raise WasiErr(abi.BADF)
    end = _u64(offset) + _u64(length)
    if end > os.fstat(d.host).st_size:
        os.ftruncate(d.host, end)
    return 0


# ---------------------------------------------------------------------------------------- fd metadata

def _filetype(mode: int) -> int:
    if stat.S_ISREG(mode):
        return abi.FT_FILE
    if stat.S_ISDIR(mode):
        return abi.FT_DIR
    if stat.S_ISLNK(mode):
        return abi.FT_SYMLINK
    if stat.S_ISCHR(mode):
        return abi.FT_CHAR
    if stat.S_ISBLK(mode):
        return abi.FT_BLOCK
    if stat.S_ISSOCK(mode):
        return abi.FT_STREAM
    return abi.FT_UNKNOWN


def _put_filestat(g: Guest, ptr: int, st) -> None:
    g.put(ptr, '<QQB7xQQQQQ', _u64(st.st_dev), _u64(st.st_ino), _filetype(st.st_mode), st.st_nlink,
          st.st_size, _u64(st.st_atime_ns), _u64(st.st_mtime_ns), _u64(st.st_ctime_ns))


@call
def fd_fdstat_get(w, g, fd, ptr):
    d = w.table.get(fd)
    g.put(ptr, '<BxHxxxxQQ', d.filetype, d.flags, d.rights, d.inheriting)
    return 0


@call
def fd_fdstat_set_flags(w, g, fd, flags):
    d = w.table.get(fd, R['FD_FDSTAT_SET_FLAGS'])
    flags = _u32(flags) & 0xFFFF
    if flags & ~(abi.FDFLAG_APPEND | abi.FDFLAG_NONBLOCK):
        raise WasiErr(abi.NOTSUP)
    if d.host is not None and d.filetype == abi.FT_FILE:
        import fcntl
        cur = fcntl.fcntl(d.host, fcntl.F_GETFL)
        cur = (cur | os.O_APPEND) if flags & abi.FDFLAG_APPEND else (cur & ~os.O_APPEND)
        fcntl.fcntl(d.host, fcntl.F_SETFL, cur)
    d.flags = flags
    return 0


@call
def fd_fdstat_set_rights(w, g, fd, base, inheriting):
    d = w.table.get(fd)
    base, inheriting = _u64(base), _u64(inheriting)
    if base & ~d.rights or inheriting & ~d.inheriting:
        raise WasiErr(abi.NOTCAPABLE)           # rights only shrink
    d.rights, d.inheriting = base, inheriting
    return 0


@call
def fd_filestat_get(w, g, fd, ptr):
    d = w.table.get(fd, R['FD_FILESTAT_GET'])
    g.check(ptr, 64)
    if d.host is None:
        g.put(ptr, '<QQB7xQQQQQ', 0, 0, d.filetype, 1, 0, 0, 0, 0)
    else:
        _put_filestat(g, ptr, os.fstat(d.host))
    return 0


@call
def fd_filestat_set_size(w, g, fd, size):
    d = w.table.get(fd, R['FD_FILESTAT_SET_SIZE'])
    if d.host is None or d.filetype != abi.FT_FILE:
        raise WasiErr(abi.INVAL)
    os.ftruncate(d.host, _u64(size))
    return 0


def _times(atim: int, mtim: int, fst: int, st):
    fst = _u32(fst)
    if (fst & abi.FST_ATIM and fst & abi.FST_ATIM_NOW) or (fst & abi.FST_MTIM and fst & abi.FST_MTIM_NOW):
        raise WasiErr(abi.INVAL)
    now = time.time_ns()
    a = _u64(atim) if fst & abi.FST_ATIM else now if fst & abi.FST_ATIM_NOW else st.st_atime_ns
    m = _u64(mtim) if fst & abi.FST_MTIM else now if fst & abi.FST_MTIM_NOW else st.st_mtime_ns
    return a, m


@call
def fd_filestat_set_times(w, g, fd, atim, mtim, fst):
    d = w.table.get(fd, R['FD_FILESTAT_SET_TIMES'])
    if d.host is None:
        raise WasiErr(abi.BADF)
    os.utime(d.host, ns=_times(atim, mtim, fst, os.fstat(d.host)))
    return 0


@call
def fd_prestat_get(w, g, fd, ptr):
    d = w.table.get(fd)
    if d.preopen is None:
        raise WasiErr(abi.BADF)
    g.put(ptr, '<BxxxI', 0, len(d.preopen.encode()))
    return 0


@call
def fd_prestat_dir_name(w, g, fd, path, path_len):
    d = w.table.get(fd)
    if d.preopen is None:
        raise WasiErr(abi.BADF)
    name = d.preopen.encode()
    if _u32(path_len) < len(name):
        raise WasiErr(abi.NAMETOOLONG)
    g.write(path, name)
    return 0


@call
def fd_readdir(w, g, fd, buf, buf_len, cookie, bufused_ptr):
    d = w.table.get(fd, R['FD_READDIR'])
    buf_len = _u32(buf_len)
    g.check(buf, buf_len)
    g.check(bufused_ptr, 4)
    if d.filetype != abi.FT_DIR or d.host is None:
        raise WasiErr(abi.NOTDIR)
    cookie = _u64(cookie)
    if cookie == 0 or d.listing is None:
        d.listing = _listing(d.host)
    out = bytearray()
    for i in range(cookie, len(d.listing)):
        if len(out) >= buf_len:
            break
        name, ino, ftype = d.listing[i]
        out += struct.pack('<QQIB3x', i + 1, ino, len(name), ftype) + name
    used = min(len(out), buf_len)
    g.write(buf, bytes(out[:used]))
    g.put(bufused_ptr, '<I', used)
    return 0


def _listing(dirfd: int) -> list:
    """'.', '..', then the entries sorted by name (a deterministic order): (name bytes, inode, filetype)."""
    st = os.fstat(dirfd)
    entries = [(b'.', st.st_ino, abi.FT_DIR), (b'..', 0, abi.FT_DIR)]
    with os.scandir(dirfd) as it:
        rest = []
        for e in it:
            try:
                ft = _filetype(e.stat(follow_symlinks=False).st_mode)
            except OSError:
                ft = abi.FT_UNKNOWN
            rest.append((os.fsencode(e.name), e.inode(), ft))
    return entries + sorted(rest)


# ---------------------------------------------------------------------------------------- paths

def _dir(w, fd: int, right: int) -> Descriptor:
    d = w.table.get(fd, right)
    if d.filetype != abi.FT_DIR or d.host is None:
        raise WasiErr(abi.NOTDIR)
    return d


@call
def path_open(w, g, fd, dirflags, path, path_len, oflags, rights_base, rights_inheriting, fdflags, fd_ptr):
    oflags, fdflags = _u32(oflags) & 0xFFFF, _u32(fdflags) & 0xFFFF
    base, inheriting = _u64(rights_base), _u64(rights_inheriting)
    need = R['PATH_OPEN'] | (R['PATH_CREATE_FILE'] if oflags & abi.O_CREAT else 0)
    if oflags & abi.O_TRUNC:
        need |= R['PATH_FILESTAT_SET_SIZE']
    d = _dir(w, fd, need)
    if (base | inheriting) & ~d.inheriting:
        raise WasiErr(abi.NOTCAPABLE)
    name = g.string(path, path_len)
    g.check(fd_ptr, 4)
    writing = base & (R['FD_WRITE'] | R['FD_ALLOCATE'] | R['FD_FILESTAT_SET_SIZE'])
    if oflags & abi.O_DIRECTORY:
        if writing:
            raise WasiErr(abi.ISDIR)
        flags = os.O_RDONLY | os.O_DIRECTORY
    else:
        flags = os.O_RDWR if writing and base & R['FD_READ'] else os.O_WRONLY if writing else os.O_RDONLY
    if oflags & abi.O_CREAT:
        flags |= os.O_CREAT
    if oflags & abi.O_EXCL:
        flags |= os.O_EXCL
    if oflags & abi.O_TRUNC:
        flags |= os.O_TRUNC
    if fdflags & abi.FDFLAG_APPEND:
        flags |= os.O_APPEND
    if fdflags & (abi.FDFLAG_DSYNC | abi.FDFLAG_RSYNC | abi.FDFLAG_SYNC):
        flags |= os.O_SYNC
    flags |= os.O_NOFOLLOW | getattr(os, 'O_CLOEXEC', 0)
    follow = _u32(dirflags) & abi.LOOKUP_SYMLINK_FOLLOW
    with Resolved(d.host, name, bool(follow)) as r:
        if r.trailing_slash:
            flags |= os.O_DIRECTORY
        host = os.open(r.name, flags, 0o666, dir_fd=r.dirfd)
    try:
        ftype = _filetype(os.fstat(host).st_mode)
    except OSError:
        os.close(host)
        raise
    limit = abi.DIR_RIGHTS if ftype == abi.FT_DIR else abi.FILE_RIGHTS
    new = Descriptor(ftype, base & limit, inheriting & (abi.DIR_RIGHTS | abi.FILE_RIGHTS), host=host,
                     flags=fdflags)
    g.put(fd_ptr, '<I', w.table.add(new))
    return 0


@call
def path_create_directory(w, g, fd, path, path_len):
    d = _dir(w, fd, R['PATH_CREATE_DIRECTORY'])
    with Resolved(d.host, g.string(path, path_len), False) as r:
        os.mkdir(r.name, 0o777, dir_fd=r.dirfd)
    return 0


@call
def path_remove_directory(w, g, fd, path, path_len):
    d = _dir(w, fd, R['PATH_REMOVE_DIRECTORY'])
    with Resolved(d.host, g.string(path, path_len), False) as r:
        if r.name == '.':
            raise WasiErr(abi.INVAL)
        os.rmdir(r.name, dir_fd=r.dirfd)
    return 0


@call
def path_unlink_file(w, g, fd, path, path_len):
    d = _dir(w, fd, R['PATH_UNLINK_FILE'])
    with Resolved(d.host, g.string(path, path_len), False) as r:
        if r.trailing_slash:
            raise WasiErr(abi.NOTDIR)
        os.unlink(r.name, dir_fd=r.dirfd)
    return 0


@call
def path_filestat_get(w, g, fd, flags, path, path_len, ptr):
    d = _dir(w, fd, R['PATH_FILESTAT_GET'])
    g.check(ptr, 64)
    follow = bool(_u32(flags) & abi.LOOKUP_SYMLINK_FOLLOW)
    with Resolved(d.host, g.string(path, path_len), follow) as r:
        st = os.stat(r.name, dir_fd=r.dirfd, follow_symlinks=False)
    _put_filestat(g, ptr, st)
    return 0


@call
def path_filestat_set_times(w, g, fd, flags, path, path_len, atim, mtim, fst):
    d = _dir(w, fd, R['PATH_FILESTAT_SET_TIMES'])
    follow = bool(_u32(flags) & abi.LOOKUP_SYMLINK_FOLLOW)
    with Resolved(d.host, g.string(path, path_len), follow) as r:
        st = os.stat(r.name, dir_fd=r.dirfd, follow_symlinks=False)
        os.utime(r.name, ns=_times(atim, mtim, fst, st), dir_fd=r.dirfd, follow_symlinks=False)
    return 0


@call
def path_readlink(w, g, fd, path, path_len, buf, buf_len, bufused_ptr):
    d = _dir(w, fd, R['PATH_READLINK'])
    buf_len = _u32(buf_len)
    g.check(buf, buf_len)
    g.check(bufused_ptr, 4)
    with Resolved(d.host, g.string(path, path_len), False) as r:
        target = os.fsencode(os.readlink(r.name, dir_fd=r.dirfd))[:buf_len]
    g.write(buf, target)
    g.put(bufused_ptr, '<I', len(target))
    return 0


@call
def path_rename(w, g, fd, old_path, old_len, new_fd, new_path, new_len):
    src = _dir(w, fd, R['PATH_RENAME_SOURCE'])
    dst = _dir(w, new_fd, R['PATH_RENAME_TARGET'])
    old, new = g.string(old_path, old_len), g.string(new_path, new_len)
    with Resolved(src.host, old, False) as a, Resolved(dst.host, new, False) as b:
        if a.name == '.' or b.name == '.':
            raise WasiErr(abi.INVAL)
        os.rename(a.name, b.name, src_dir_fd=a.dirfd, dst_dir_fd=b.dirfd)
    return 0


@call
def path_link(w, g, old_fd, old_flags, old_path, old_len, new_fd, new_path, new_len):
    src = _dir(w, old_fd, R['PATH_LINK_SOURCE'])
    dst = _dir(w, new_fd, R['PATH_LINK_TARGET'])
    old, new = g.string(old_path, old_len), g.string(new_path, new_len)
    follow = bool(_u32(old_flags) & abi.LOOKUP_SYMLINK_FOLLOW)
    with Resolved(src.host, old, follow) as a, Resolved(dst.host, new, False) as b:
        os.link(a.name, b.name, src_dir_fd=a.dirfd, dst_dir_fd=b.dirfd, follow_symlinks=False)
    return 0


@call
def path_symlink(w, g, old_path, old_len, fd, new_path, new_len):
    d = _dir(w, fd, R['PATH_SYMLINK'])
    target, new = g.string(old_path, old_len), g.string(new_path, new_len)
    if target.startswith('/') or '\0' in target:
        raise WasiErr(abi.NOTCAPABLE)          # a link the sandbox could never follow
    with Resolved(d.host, new, False) as r:
        os.symlink(target, r.name, dir_fd=r.dirfd)
    return 0


# ---------------------------------------------------------------------------------------- polling

@call
def poll_oneoff(w, g, subs, events, nsubs, nevents_ptr):
    """Clock subscriptions sleep (the earliest deadline); fd subscriptions are reported ready at once
    (every descriptor here is a blocking file or stream)."""
    nsubs = _u32(nsubs)
    if nsubs == 0:
        raise WasiErr(abi.INVAL)
    raw = g.read(subs, 48 * nsubs)
    g.check(events, 32 * nsubs)
    g.check(nevents_ptr, 4)
    ready, clocks = [], []
    for i in range(nsubs):
        userdata, tag = struct.unpack_from('<QB', raw, 48 * i)
        if tag == abi.EVENT_CLOCK:
            clock_id, timeout, _precision, flags = struct.unpack_from('<IxxxxQQH', raw, 48 * i + 16)
            if clock_id > abi.CLOCK_THREAD_CPUTIME:
                ready.append((userdata, abi.INVAL, tag, 0))
                continue
            if flags & abi.SUBCLOCK_ABSTIME:
                timeout = max(0, timeout - w.now(clock_id))
            clocks.append((timeout, userdata))
        elif tag in (abi.EVENT_FD_READ, abi.EVENT_FD_WRITE):
            (fd,) = struct.unpack_from('<I', raw, 48 * i + 16)
            try:
                w.table.get(fd, R['POLL_FD_READWRITE'])
                ready.append((userdata, 0, tag, 0))
            except WasiErr as e:
                ready.append((userdata, e.code, tag, 0))
        else:
            raise WasiErr(abi.INVAL)
    if not ready and clocks:
        timeout, userdata = min(clocks)
        w.sleep(timeout)
        ready.append((userdata, 0, abi.EVENT_CLOCK, 0))
    for k, (userdata, err, tag, nbytes) in enumerate(ready):
        g.put(events + 32 * k, '<QHBxxxxxQH6x', userdata, err, tag, nbytes, 0)
    g.put(nevents_ptr, '<I', len(ready))
    return 0
