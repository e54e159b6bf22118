"""The sandbox: no guest path leaves the preopened directory, whatever `..`, absolute paths and symlinks
it uses; nothing outside is read, written or created."""

import os

import pytest

from vm.wasi import abi

E = abi.ERRNO
O_CREAT, O_DIRECTORY, O_TRUNC = abi.O_CREAT, abi.O_DIRECTORY, abi.O_TRUNC
RW = abi.R['FD_READ'] | abi.R['FD_WRITE']


@pytest.fixture
def box(host, tmp_path):
    (tmp_path / 'secret').write_text('secret')
    (host.root / 'a.txt').write_text('hello')
    (host.root / 'sub').mkdir()
    os.symlink('../../secret', host.root / 'sub' / 'out')        # escapes
    os.symlink('../a.txt', host.root / 'sub' / 'in')             # stays inside
    os.symlink(str(tmp_path), host.root / 'abs')                # absolute target
    os.symlink('loop2', host.root / 'loop1')
    os.symlink('loop1', host.root / 'loop2')
    os.symlink('..', host.root / 'sub' / 'up')                  # fine: back to the root
    return host


def read_all(h, fd) -> bytes:
    h.iovec(0, 4096, 4096)
    assert h.fd_read(fd, 0, 1, 16) == 0
    return bytes(h.memory.data[4096:4096 + h.u32(16)])


@pytest.mark.parametrize('path, errno', [
    ('../secret', 'NOTCAPABLE'),
    ('sub/../../secret', 'NOTCAPABLE'),
    ('/etc/passwd', 'NOTCAPABLE'),
    ('sub/out', 'NOTCAPABLE'),           # symlink whose target climbs out
    ('abs/secret', 'NOTCAPABLE'),        # symlink to an absolute path, as a directory
    ('abs', 'NOTCAPABLE'),
    ('loop1', 'LOOP'),
    ('sub/up/../secret', 'NOTCAPABLE'),
    ('nope', 'NOENT'),
    ('a.txt/x', 'NOTDIR'),
    ('', 'NOENT'),
    ('a\0b', 'INVAL'),
])
def test_escaping_or_bad_paths_fail_with_their_errno(box, path, errno):
    assert box.open(path)[0] == E[errno]


@pytest.mark.parametrize('path', ['a.txt', 'sub/in', 'sub/../a.txt', './sub/./in', 'sub/up/a.txt'])
def test_paths_inside_the_preopen_open(box, path):
    e, fd = box.open(path)
    assert e == 0
    assert read_all(box, fd) == b'hello'


def test_final_symlink_not_followed_without_the_lookup_flag(box):
    assert box.open('sub/in', follow=0)[0] == E['LOOP']


def test_creating_through_an_escape_touches_nothing_outside(box, tmp_path):
    before = sorted(os.listdir(tmp_path))
    for path in ('../created', 'sub/up/../../created', 'abs/created', '/tmp/created'):
        assert box.open(path, oflags=O_CREAT, rights=RW)[0] == E['NOTCAPABLE']
    os.symlink('../../victim', box.root / 'sub' / 'dangling')   # a dangling link out of the box
    assert box.open('sub/dangling', oflags=O_CREAT | O_TRUNC, rights=RW)[0] == E['NOTCAPABLE']
    assert box.open('sub/dangling', oflags=O_CREAT | O_TRUNC, rights=RW, follow=0)[0] == E['LOOP']
    assert sorted(os.listdir(tmp_path)) == before
    assert (tmp_path / 'secret').read_text() == 'secret'


def test_other_path_calls_are_confined(box, tmp_path):
    def s(text):
        return box.put(1000, text.encode()), len(text.encode())
    assert box.path_unlink_file(3, *s('../secret')) == E['NOTCAPABLE']
    assert box.path_unlink_file(3, *s('sub/out/')) == E['NOTCAPABLE']
    assert box.path_create_directory(3, *s('../newdir')) == E['NOTCAPABLE']
    assert box.path_remove_directory(3, *s('abs/')) == E['NOTCAPABLE']
    assert box.path_filestat_get(3, 1, *s('sub/out'), 3000) == E['NOTCAPABLE']
    p, n = s('a.txt')
    q = box.put(1100, b'../stolen')
    assert box.path_rename(3, p, n, 3, q, 9) == E['NOTCAPABLE']
    assert box.path_symlink(*s('/etc/passwd'), 3, box.put(1200, b'ln'), 2) == E['NOTCAPABLE']
    assert (tmp_path / 'secret').exists() and not (tmp_path / 'stolen').exists()
    assert not (tmp_path / 'newdir').exists()
    # the confined versions work
    assert box.path_create_directory(3, *s('sub/newdir')) == 0
    assert (box.root / 'sub' / 'newdir').is_dir()
    p, n = s('a.txt')
    assert box.path_rename(3, p, n, 3, box.put(1100, b'sub/b.txt'), 9) == 0
    assert (box.root / 'sub' / 'b.txt').read_text() == 'hello'


def test_directory_fd_walks_are_confined_to_the_preopen_too(box):
    e, sub = box.open('sub', oflags=O_DIRECTORY, rights=abi.DIR_RIGHTS)
    assert e == 0
    assert box.open('../a.txt', fd=sub)[0] == E['NOTCAPABLE']   # a directory fd is a capability of its own
    assert box.open('../../secret', fd=sub)[0] == E['NOTCAPABLE']
