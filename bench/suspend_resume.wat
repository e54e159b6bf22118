;; WasmFX workloads for bench/vm_speed.py.
;; "run": the shape of wasmfx/benchfx micro/suspend_resume: a generator-like continuation suspends
;; $n times to a resume loop that sums what it yields.
;; "spawn": $n continuations, each started and left suspended in a table (memory per live continuation).
(module
  (type $f (func))
  (type $k (cont $f))
  (tag $yield (param i32))

  (func $gen (local $i i32)
    (loop $l
      (suspend $yield (local.get $i))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
  (elem declare func $gen)

  (func (export "run") (param $n i32) (result i32) (local $k (ref null $k)) (local $sum i32)
    (local.set $k (cont.new $k (ref.func $gen)))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (block $on (result i32 (ref $k))
          (resume $k (on $yield $on) (local.get $k))
          (unreachable))
        (local.set $k)
        (local.set $sum (i32.add (local.get $sum)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $sum))

  (table $live 0 (ref null $k))
  (func (export "spawn") (param $n i32) (local $i i32) (local $kk (ref null $k))
    (drop (table.grow $live (ref.null $k) (local.get $n)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (block $on (result i32 (ref $k))
          (resume $k (on $yield $on) (cont.new $k (ref.func $gen)))
          (unreachable))
        (local.set $kk)
        (drop)
        (table.set $live (local.get $i) (local.get $kk))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))
  (func (export "live") (result i32) (table.size $live))
)
