"""Preopened directories and the guest's file descriptor table, with path resolution that cannot leave a
preopened directory.

Algorithm (openat-style walking, as capability-based runtimes do): a guest path is resolved relative to a
directory descriptor the guest holds, one component at a time, on host directory descriptors this module
opens itself:
  * an absolute path, or a `..` that would climb above the starting directory, is refused (ENOTCAPABLE);
  * `..` pops back to the descriptor of the parent *we walked through* — the host's `..` is never used;
  * each intermediate directory is opened with O_NOFOLLOW | O_DIRECTORY relative to the previous one;
  * symbolic links are read with readlink (never followed by the host) and their target is spliced into the
    remaining path, so it obeys the same rules (an absolute target or one climbing out is refused); at most
    MAX_SYMLINKS expansions (ELOOP);
  * the last component is followed only with LOOKUP_SYMLINK_FOLLOW; the final host call always carries
    O_NOFOLLOW (or follow_symlinks=False), so a symlink swapped in after the check fails with ELOOP rather
    than being followed.
The result is a (host directory fd, name) pair on which the call does its *at() operation.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field

from . import abi

MAX_SYMLINKS = 40
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, 'O_CLOEXEC', 0)


class WasiErr(Exception):
    """A WASI call's failure with errno `code` (a WASI code, not the host's)."""

    def __init__(self, code: int):
        super().__init__(abi.ERRNO_NAMES[code])
        self.code = code


@dataclass
class Descriptor:
    """One entry of the guest's fd table."""
    filetype: int
    rights: int
    inheriting: int
    host: int | None = None            # host fd of a file or directory
    stream: object = None              # binary stream of stdin/stdout/stderr
    preopen: str | None = None         # guest name of a preopened directory
    flags: int = 0                     # fdflags
    owned: bool = True                 # close `host` when the guest closes it
    listing: list | None = field(default=None, repr=False)   # fd_readdir snapshot

    def need(self, right: int) -> None:
        if self.rights & right != right:
            raise WasiErr(abi.NOTCAPABLE)

    def close(self) -> None:
        if self.host is not None and self.owned:
            try:
                os.close(self.host)
            except OSError:
                pass
        self.host = None


class FdTable:
    def __init__(self):
        self.fds: dict[int, Descriptor] = {}

    def get(self, fd: int, right: int = 0) -> Descriptor:
        d = self.fds.get(fd & 0xFFFFFFFF)
        if d is None:
            raise WasiErr(abi.BADF)
        d.need(right)
        return d

    def add(self, d: Descriptor) -> int:
        n = 0
        while n in self.fds:
            n += 1
        self.fds[n] = d
        return n

    def close_all(self) -> None:
        for d in self.fds.values():
            d.close()
        self.fds.clear()


def open_preopen(host_dir: str) -> int:
    """A host directory descriptor for a preopen (follows symlinks in the *host's* path: the host chose it)."""
    return os.open(host_dir, os.O_RDONLY | os.O_DIRECTORY | getattr(os, 'O_CLOEXEC', 0))


def _readlink(name: str, dirfd: int) -> str | None:
    """The target of `name` if it is a symlink, else None (also when it does not exist)."""
    try:
        return os.readlink(name, dir_fd=dirfd)
    except OSError as e:
        if e.errno in (errno.EINVAL, errno.ENOENT, errno.ENOTDIR):
            return None
        raise


class Resolved:
    """A context manager: `.dirfd` and `.name` of a resolved path; closes the directories it opened."""

    def __init__(self, base: int, path: str, follow: bool):
        self._opened: list[int] = []
        try:
            self.dirfd, self.name, self.trailing_slash = self._walk(base, path, follow)
        except BaseException:
            self.close()
            raise

    def _walk(self, base: int, path: str, follow: bool):
        if '\0' in path:
            raise WasiErr(abi.INVAL)
        if not path:
            raise WasiErr(abi.NOENT)
        if path.startswith('/'):
            raise WasiErr(abi.NOTCAPABLE)
        trailing = path.endswith('/')
        pending = [p for p in path.split('/') if p]
        pending.reverse()                      # a stack: next component last
        stack = [base]
        links = 0
        while pending:
            name = pending.pop()
            if name == '.':
                continue
            if name == '..':
                if len(stack) == 1:
                    raise WasiErr(abi.NOTCAPABLE)
                os.close(stack.pop())
                self._opened.pop()
                continue
            last = not any(p != '.' for p in pending)
            if last and pending:               # `name/.` names the directory itself: like `name/`
                trailing = True
            if last and not (follow or trailing):
                return stack[-1], name, trailing
            target = _readlink(name, stack[-1])
            if target is not None:
                links += 1
                if links > MAX_SYMLINKS:
                    raise WasiErr(abi.LOOP)
                if target.startswith('/') or not target:
                    raise WasiErr(abi.NOTCAPABLE)
                pending.extend(reversed([p for p in target.split('/') if p]))
                trailing = trailing or (last and target.endswith('/'))
                continue
            if last:
                return stack[-1], name, trailing
            fd = os.open(name, _DIR_FLAGS, dir_fd=stack[-1])
            self._opened.append(fd)
            stack.append(fd)
        return stack[-1], '.', trailing

    def close(self) -> None:
        while self._opened:
            try:
                os.close(self._opened.pop())
            except OSError:
                pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
