import io

import pytest

import vm
from vm import wasi

M = wasi.MODULE


class Host:
    """A Wasi instance over a 1-page memory with captured streams, its calls callable directly."""

    def __init__(self, root, stdin=b'', **kw):
        self.out, self.err = io.BytesIO(), io.BytesIO()
        self.w = wasi.Wasi(stdin=io.BytesIO(stdin), stdout=self.out, stderr=self.err,
                           preopens=[(str(root), '/sandbox')], **kw)
        self.memory = vm.Memory(1)
        self.w.bind(self.memory)
        self.calls = self.w.imports()[M]

    def __getattr__(self, name):
        return self.calls[name]

    def put(self, addr: int, data: bytes) -> int:
        self.memory.data[addr:addr + len(data)] = data
        return addr

    def u32(self, addr: int) -> int:
        return int.from_bytes(self.memory.data[addr:addr + 4], 'little')

    def iovec(self, at: int, ptr: int, length: int) -> int:
        self.put(at, ptr.to_bytes(4, 'little') + length.to_bytes(4, 'little'))
        return at

    def open(self, path: str, oflags=0, rights=0x2 | 0x40, follow=1, fd=3) -> tuple[int, int]:
        """path_open under `fd` (default the preopen): (errno, new fd)."""
        p = self.put(1000, path.encode())
        e = self.path_open(fd, follow, p, len(path.encode()), oflags, rights, 0, 0, 2000)
        return e, self.u32(2000)

    def close(self):
        self.w.close()


@pytest.fixture
def host(tmp_path):
    root = tmp_path / 'root'
    root.mkdir()
    h = Host(root)
    h.root = root
    yield h
    h.close()
