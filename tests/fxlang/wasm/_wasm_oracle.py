"""Helpers for the fxlang.wasm tests: the wasm-tools oracle (validate, parse) and binary comparison."""

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
TESTSUITE = REPO / '../shared/testsuite'
_local = Path(sys.executable).parent / 'wasm-tools'
WASM_TOOLS = str(_local) if _local.exists() else shutil.which('wasm-tools')


def validate(data: bytes) -> tuple[bool, str]:
    """wasm-tools validate --features all; (accepted, error text)."""
    p = subprocess.run([WASM_TOOLS, 'validate', '--features', 'all', '-'], input=data, capture_output=True)
    return p.returncode == 0, p.stderr.decode()


def parse_wat(text: str) -> bytes:
    p = subprocess.run([WASM_TOOLS, 'parse', '-', '-o', '/dev/stdout'], input=text.encode(), capture_output=True)
    assert p.returncode == 0, p.stderr.decode() + '\n' + text
    return p.stdout


def parse_many(texts: list[str]) -> list[bytes | str]:
    """Parse many WAT modules with one wasm-tools run (as a .wast script); per module the binary, or the
    error text when wasm-tools rejects the whole script."""
    with tempfile.TemporaryDirectory() as d:
        wast = Path(d, 'all.wast')
        wast.write_text('\n'.join(texts))
        p = subprocess.run([WASM_TOOLS, 'json-from-wast', str(wast), '-o', str(Path(d, 'all.json')),
                            '--wasm-dir', d], capture_output=True)
        if p.returncode:
            return [p.stderr.decode()] * len(texts)
        cmds = [c for c in json.loads(Path(d, 'all.json').read_text())['commands'] if c['type'] == 'module']
        return [Path(d, c['filename']).read_bytes() for c in cmds]


def spec_binaries(wast: Path, workdir: Path) -> list[tuple[str, str, bytes]]:
    """(command type, file name, bytes) of every binary module in a spec script."""
    out = workdir / wast.stem
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run([WASM_TOOLS, 'json-from-wast', str(wast), '-o', str(out / 'x.json'), '--wasm-dir',
                    str(out)], check=True, capture_output=True)
    result = []
    for c in json.loads((out / 'x.json').read_text())['commands']:
        fn = c.get('filename', '')
        if fn.endswith('.wasm'):
            result.append((c['type'], fn, (out / fn).read_bytes()))
    return result


def strip_custom(data: bytes) -> bytes:
    """The binary without its custom sections (section framing read independently of fxlang.wasm)."""
    out, pos = bytearray(data[:8]), 8
    while pos < len(data):
        sid, p = data[pos], pos + 1
        size = shift = 0
        while True:
            b = data[p]
            p += 1
            size |= (b & 0x7f) << shift
            shift += 7
            if not b & 0x80:
                break
        if sid != 0:
            out += data[pos:p + size]
        pos = p + size
    return bytes(out)


_CORPUS: list | None = None


def spec_corpus() -> list[tuple[str, str, str, bytes]]:
    """(script path relative to the testsuite, command type, file name, bytes) for every binary module of
    every spec script; converted once per process by wasm-tools json-from-wast."""
    global _CORPUS
    if _CORPUS is None:
        work = Path(tempfile.mkdtemp(prefix='fxwasm-spec-'))
        _CORPUS = []
        for wast in sorted(TESTSUITE.glob('**/*.wast')):
            rel = wast.relative_to(TESTSUITE).as_posix()
            try:
                binaries = spec_binaries(wast, work / rel.replace('/', '_'))
            except subprocess.CalledProcessError:
                continue        # a script wasm-tools itself cannot convert
            _CORPUS.extend((rel, t, fn, data) for t, fn, data in binaries)
        shutil.rmtree(work, ignore_errors=True)
    return _CORPUS
