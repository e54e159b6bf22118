"""Stack switching and exceptions, judged by an outside oracle: the same modules run on V8's WasmFX
(node 26, --experimental-wasm-wasmfx) and on our VM must print the same lines. V8 lacks `switch` and
`resume_throw_ref`, so these programs avoid them."""

import subprocess

import pytest
import wasmtime

import vm
from tests.conftest import require_node

RUNNER = r'''
const fs = require('fs');
const bytes = fs.readFileSync(process.argv[2]);
const out = [];
const imports = {env: {print: (x) => out.push(String(x))}};
WebAssembly.instantiate(bytes, imports).then(({instance}) => {
  try { instance.exports.main(); }
  catch (e) { out.push(e instanceof WebAssembly.Exception ? 'exception' : 'trap'); }
  console.log(out.join('\n'));
});
'''

PROGRAMS = {
    # a generator walked by a driver; the driver answers each yield with a running total
    'generator': '''
      (type $ft (func (param i32))) (type $ct (cont $ft))
      (type $f0 (func)) (type $c0 (cont $f0))
      (type $fi (func (param i32))) (type $ci (cont $fi))
      (tag $yield (param i32) (result i32))
      (func $gen (param $n i32) (local $i i32) (local $acc i32)
        (loop $l
          (local.set $acc (suspend $yield (local.get $i)))
          (call $print (local.get $acc))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (local.get $n)))))
      (elem declare func $gen)
      (func (export "main") (local $k (ref null $ci)) (local $sum i32) (local $v i32)
        (block $done
          (block $h (result i32 (ref $ci))
            (resume $ct (on $yield $h) (i32.const 5) (cont.new $ct (ref.func $gen))) (br $done))
          (local.set $k) (local.set $v)
          (loop $l
            (local.set $sum (i32.add (local.get $sum) (local.get $v)))
            (block $h2 (result i32 (ref $ci))
              (resume $ci (on $yield $h2) (local.get $sum) (local.get $k)) (br $done))
            (local.set $k) (local.set $v)
            (br $l)))
        (call $print (i32.const -1)))''',
    # suspensions from deep recursion inside the continuation; a handler in between forwards
    'deep': '''
      (type $f0 (func)) (type $c0 (cont $f0))
      (tag $t (param i32)) (tag $other)
      (func $rec (param i32)
        (if (i32.eqz (local.get 0)) (then (return)))
        (if (i32.eqz (i32.rem_u (local.get 0) (i32.const 100))) (then (suspend $t (local.get 0))))
        (call $rec (i32.sub (local.get 0) (i32.const 1))))
      (func $body (call $rec (i32.const 1000)))
      (func $mid (local $k (ref null $c0))
        (block $h (result (ref $c0))
          (resume $c0 (on $other $h) (cont.new $c0 (ref.func $body))) (return))
        (drop))
      (elem declare func $body $mid)
      (func (export "main") (local $k (ref null $c0))
        (local.set $k (cont.new $c0 (ref.func $mid)))
        (loop $l
          (block $h (result i32 (ref $c0))
            (resume $c0 (on $t $h) (local.get $k)) (call $print (i32.const 0)) (return))
          (local.set $k) (call $print)
          (br $l)))''',
    # exceptions: thrown into a suspended continuation and caught inside it; escaping another one
    'exceptions': '''
      (type $f0 (func)) (type $c0 (cont $f0))
      (tag $y) (tag $e (param i32))
      (func $catcher
        (block $c (result i32)
          (try_table (catch $e $c) (suspend $y) (call $print (i32.const 1)) (return))
          (unreachable))
        (call $print (i32.add (i32.const 100)))
        (suspend $y)
        (throw $e (i32.const 7)))
      (elem declare func $catcher)
      (func (export "main") (local $k (ref null $c0))
        (block $h (result (ref $c0))
          (resume $c0 (on $y $h) (cont.new $c0 (ref.func $catcher))) (return))
        (local.set $k)
        (block $h2 (result (ref $c0))
          (resume_throw $c0 $e (on $y $h2) (i32.const 5) (local.get $k)) (return))
        (local.set $k)
        (block $c (result i32)
          (try_table (catch $e $c) (resume $c0 (local.get $k)))
          (return))
        (call $print)
        (resume $c0 (local.get $k)))''',
    # a round-robin scheduler over three tasks stored in a table
    'scheduler': '''
      (type $f0 (func)) (type $c0 (cont $f0))
      (type $fi (func (param i32))) (type $ci (cont $fi))
      (tag $yield)
      (table $q 3 (ref null $c0))
      (func $task (param $id i32) (local $i i32)
        (loop $l
          (call $print (i32.add (i32.mul (local.get $id) (i32.const 10)) (local.get $i)))
          (suspend $yield)
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (local.get $id)))))
      (elem declare func $task)
      (func (export "main") (local $i i32) (local $live i32) (local $k (ref null $c0))
        (table.set $q (i32.const 0) (cont.bind $ci $c0 (i32.const 1) (cont.new $ci (ref.func $task))))
        (table.set $q (i32.const 1) (cont.bind $ci $c0 (i32.const 2) (cont.new $ci (ref.func $task))))
        (table.set $q (i32.const 2) (cont.bind $ci $c0 (i32.const 3) (cont.new $ci (ref.func $task))))
        (loop $round
          (local.set $live (i32.const 0))
          (local.set $i (i32.const 0))
          (loop $each
            (local.set $k (table.get $q (local.get $i)))
            (if (ref.is_null (local.get $k)) (then) (else
              (block $h (result (ref $c0))
                (resume $c0 (on $yield $h) (local.get $k))
                (table.set $q (local.get $i) (ref.null $c0))
                (br 1))
              (local.set $k)
              (table.set $q (local.get $i) (local.get $k))
              (local.set $live (i32.add (local.get $live) (i32.const 1)))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $each (i32.lt_u (local.get $i) (i32.const 3))))
          (br_if $round (local.get $live))))''',
    # one-shot violation traps on both engines
    'oneshot': '''
      (type $f0 (func)) (type $c0 (cont $f0))
      (tag $y)
      (func $s (suspend $y))
      (elem declare func $s)
      (func (export "main") (local $k (ref null $c0))
        (local.set $k (cont.new $c0 (ref.func $s)))
        (block $h (result (ref $c0)) (resume $c0 (on $y $h) (local.get $k)) (return))
        (drop)
        (call $print (i32.const 1))
        (resume $c0 (local.get $k)))''',
}


def wasm_of(body: str) -> bytes:
    return wasmtime.wat2wasm('(module (import "env" "print" (func $print (param i32)))' + body + ')')


def ours(data: bytes) -> str:
    out = []
    m = vm.decode(data)
    vm.validate(m)
    inst = vm.instantiate(m, {'env': {'print': lambda x: out.append(str(x))}})
    try:
        inst.exports.main()
    except vm.WasmException:
        out.append('exception')
    except vm.Trap:
        out.append('trap')
    return '\n'.join(out)


@pytest.mark.parametrize('name', sorted(PROGRAMS))
def test_same_output_as_v8(name, tmp_path):
    exe = require_node()
    data = wasm_of(PROGRAMS[name])
    (tmp_path / 'm.wasm').write_bytes(data)
    (tmp_path / 'run.js').write_text(RUNNER)
    p = subprocess.run([exe, '--experimental-wasm-wasmfx', str(tmp_path / 'run.js'), str(tmp_path / 'm.wasm')],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    expected = p.stdout.rstrip('\n')
    assert expected, 'V8 printed nothing'
    assert ours(data) == expected
