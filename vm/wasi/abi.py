"""WASI preview 1 (`wasi_snapshot_preview1`) constants and the signatures of its calls, as the witx
definitions give them: errno values, rights bits, file types, flags, and each call's core Wasm type."""

from __future__ import annotations

import errno as _host_errno

MODULE = 'wasi_snapshot_preview1'

# errno: the index in this list is the WASI code ('SUCCESS' is 0, 'NOTCAPABLE' 76)
ERRNO_NAMES = (
    'SUCCESS 2BIG ACCES ADDRINUSE ADDRNOTAVAIL AFNOSUPPORT AGAIN ALREADY BADF BADMSG BUSY CANCELED CHILD '
    'CONNABORTED CONNREFUSED CONNRESET DEADLK DESTADDRREQ DOM DQUOT EXIST FAULT FBIG HOSTUNREACH IDRM ILSEQ '
    'INPROGRESS INTR INVAL IO ISCONN ISDIR LOOP MFILE MLINK MSGSIZE MULTIHOP NAMETOOLONG NETDOWN NETRESET '
    'NETUNREACH NFILE NOBUFS NODEV NOENT NOEXEC NOLCK NOLINK NOMEM NOMSG NOPROTOOPT NOSPC NOSYS NOTCONN '
    'NOTDIR NOTEMPTY NOTRECOVERABLE NOTSOCK NOTSUP NOTTY NXIO OVERFLOW OWNERDEAD PERM PIPE PROTO PROTONOSUPPORT PROTOTYPE RANGE '
    'ROFS SPIPE SRCH STALE TIMEDOUT TXTBSY XDEV NOTCAPABLE').split()
ERRNO = {name: code for code, name in enumerate(ERRNO_NAMES)}
SUCCESS, BADF, EXIST, FAULT, INVAL, IO, ISDIR, LOOP, NOENT, NOSYS, NOTDIR, NOTSUP, SPIPE, NOTCAPABLE, \
    ILSEQ, NAMETOOLONG, PERM, ACCES, NOTEMPTY, OVERFLOW = (ERRNO[n] for n in (
        'SUCCESS', 'BADF', 'EXIST', 'FAULT', 'INVAL', 'IO', 'ISDIR', 'LOOP', 'NOENT', 'NOSYS', 'NOTDIR',
        'NOTSUP', 'SPIPE', 'NOTCAPABLE', 'ILSEQ', 'NAMETOOLONG', 'PERM', 'ACCES', 'NOTEMPTY', 'OVERFLOW'))

# host errno -> WASI errno, by name (E2BIG -> 2BIG, ...); unknown host codes become IO
HOST_ERRNO = {}
for _name, _code in ERRNO.items():
    _host = getattr(_host_errno, 'E' + _name, None)
    if _host is not None:
        HOST_ERRNO.setdefault(_host, _code)
if hasattr(_host_errno, 'EOPNOTSUPP'):
    HOST_ERRNO.setdefault(_host_errno.EOPNOTSUPP, ERRNO['NOTSUP'])
if hasattr(_host_errno, 'EWOULDBLOCK'):
    HOST_ERRNO.setdefault(_host_errno.EWOULDBLOCK, ERRNO['AGAIN'])


def from_host(err: int | None) -> int:
    return HOST_ERRNO.get(err, IO)


# rights (u64 bit flags)
RIGHT_NAMES = (
    'FD_DATASYNC FD_READ FD_SEEK FD_FDSTAT_SET_FLAGS FD_SYNC FD_TELL FD_WRITE FD_ADVISE FD_ALLOCATE '
    'PATH_CREATE_DIRECTORY PATH_CREATE_FILE PATH_LINK_SOURCE PATH_LINK_TARGET PATH_OPEN FD_READDIR '
    'PATH_READLINK PATH_RENAME_SOURCE PATH_RENAME_TARGET PATH_FILESTAT_GET PATH_FILESTAT_SET_SIZE '
    'PATH_FILESTAT_SET_TIMES FD_FILESTAT_GET FD_FILESTAT_SET_SIZE FD_FILESTAT_SET_TIMES PATH_SYMLINK '
    'PATH_REMOVE_DIRECTORY PATH_UNLINK_FILE POLL_FD_READWRITE SOCK_SHUTDOWN SOCK_ACCEPT').split()
R = {name: 1 << bit for bit, name in enumerate(RIGHT_NAMES)}
ALL_RIGHTS = (1 << len(RIGHT_NAMES)) - 1
FILE_RIGHTS = (R['FD_DATASYNC'] | R['FD_READ'] | R['FD_SEEK'] | R['FD_FDSTAT_SET_FLAGS'] | R['FD_SYNC']
               | R['FD_TELL'] | R['FD_WRITE'] | R['FD_ADVISE'] | R['FD_ALLOCATE'] | R['FD_FILESTAT_GET']
               | R['FD_FILESTAT_SET_SIZE'] | R['FD_FILESTAT_SET_TIMES'] | R['POLL_FD_READWRITE'])
DIR_RIGHTS = (R['FD_FDSTAT_SET_FLAGS'] | R['FD_SYNC'] | R['FD_ADVISE'] | R['PATH_CREATE_DIRECTORY']
              | R['PATH_CREATE_FILE'] | R['PATH_LINK_SOURCE'] | R['PATH_LINK_TARGET'] | R['PATH_OPEN']
              | R['FD_READDIR'] | R['PATH_READLINK'] | R['PATH_RENAME_SOURCE'] | R['PATH_RENAME_TARGET']
              | R['PATH_FILESTAT_GET'] | R['PATH_FILESTAT_SET_SIZE'] | R['PATH_FILESTAT_SET_TIMES']
              | R['FD_FILESTAT_GET'] | R['FD_FILESTAT_SET_TIMES'] | R['PATH_SYMLINK']
              | R['PATH_REMOVE_DIRECTORY'] | R['PATH_UNLINK_FILE'])
STDIN_RIGHTS = R['FD_READ'] | R['FD_FDSTAT_SET_FLAGS'] | R['FD_FILESTAT_GET'] | R['POLL_FD_READWRITE']
STDOUT_RIGHTS = R['FD_WRITE'] | R['FD_FDSTAT_SET_FLAGS'] | R['FD_FILESTAT_GET'] | R['POLL_FD_READWRITE']

# filetype
FT_UNKNOWN, FT_BLOCK, FT_CHAR, FT_DIR, FT_FILE, FT_DGRAM, FT_STREAM, FT_SYMLINK = range(8)
# fdflags
FDFLAG_APPEND, FDFLAG_DSYNC, FDFLAG_NONBLOCK, FDFLAG_RSYNC, FDFLAG_SYNC = 1, 2, 4, 8, 16
# oflags
O_CREAT, O_DIRECTORY, O_EXCL, O_TRUNC = 1, 2, 4, 8
# lookupflags
LOOKUP_SYMLINK_FOLLOW = 1
# whence
WHENCE_SET, WHENCE_CUR, WHENCE_END = 0, 1, 2
# clockid
CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME, CLOCK_THREAD_CPUTIME = range(4)
# fstflags
FST_ATIM, FST_ATIM_NOW, FST_MTIM, FST_MTIM_NOW = 1, 2, 4, 8
# eventtype
EVENT_CLOCK, EVENT_FD_READ, EVENT_FD_WRITE = range(3)
SUBCLOCK_ABSTIME = 1

# every preview 1 call: name -> (params, results) as core Wasm types
_I, _L = 'i32', 'i64'
SIGNATURES = {
    'args_get': ((_I, _I), (_I,)),
    'args_sizes_get': ((_I, _I), (_I,)),
    'environ_get': ((_I, _I), (_I,)),
    'environ_sizes_get': ((_I, _I), (_I,)),
    'clock_res_get': ((_I, _I), (_I,)),
    'clock_time_get': ((_I, _L, _I), (_I,)),
    'fd_advise': ((_I, _L, _L, _I), (_I,)),
    'fd_allocate': ((_I, _L, _L), (_I,)),
    'fd_close': ((_I,), (_I,)),
    'fd_datasync': ((_I,), (_I,)),
    'fd_fdstat_get': ((_I, _I), (_I,)),
    'fd_fdstat_set_flags': ((_I, _I), (_I,)),
    'fd_fdstat_set_rights': ((_I, _L, _L), (_I,)),
    'fd_filestat_get': ((_I, _I), (_I,)),
    'fd_filestat_set_size': ((_I, _L), (_I,)),
    'fd_filestat_set_times': ((_I, _L, _L, _I), (_I,)),
    'fd_pread': ((_I, _I, _I, _L, _I), (_I,)),
    'fd_prestat_get': ((_I, _I), (_I,)),
    'fd_prestat_dir_name': ((_I, _I, _I), (_I,)),
    'fd_pwrite': ((_I, _I, _I, _L, _I), (_I,)),
    'fd_read': ((_I, _I, _I, _I), (_I,)),
    'fd_readdir': ((_I, _I, _I, _L, _I), (_I,)),
    'fd_renumber': ((_I, _I), (_I,)),
    'fd_seek': ((_I, _L, _I, _I), (_I,)),
    'fd_sync': ((_I,), (_I,)),
    'fd_tell': ((_I, _I), (_I,)),
    'fd_write': ((_I, _I, _I, _I), (_I,)),
    'path_create_directory': ((_I, _I, _I), (_I,)),
    'path_filestat_get': ((_I, _I, _I, _I, _I), (_I,)),
    'path_filestat_set_times': ((_I, _I, _I, _I, _L, _L, _I), (_I,)),
    'path_link': ((_I, _I, _I, _I, _I, _I, _I), (_I,)),
    'path_open': ((_I, _I, _I, _I, _I, _L, _L, _I, _I), (_I,)),
    'path_readlink': ((_I, _I, _I, _I, _I, _I), (_I,)),
    'path_remove_directory': ((_I, _I, _I), (_I,)),
    'path_rename': ((_I, _I, _I, _I, _I, _I), (_I,)),
    'path_symlink': ((_I, _I, _I, _I, _I), (_I,)),
    'path_unlink_file': ((_I, _I, _I), (_I,)),
    'poll_oneoff': ((_I, _I, _I, _I), (_I,)),
    'proc_exit': ((_I,), ()),
    'proc_raise': ((_I,), (_I,)),
    'sched_yield': ((), (_I,)),
    'random_get': ((_I, _I), (_I,)),
    'sock_accept': ((_I, _I, _I), (_I,)),
    'sock_recv': ((_I, _I, _I, _I, _I, _I), (_I,)),
    'sock_send': ((_I, _I, _I, _I, _I), (_I,)),
    'sock_shutdown': ((_I, _I), (_I,)),
}
