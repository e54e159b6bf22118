;; WasmFX workloads for bench/vm_speed.py.
;; "run": the shape of wasmfx/benchfx micro/suspend_resume: a generator-like continuation suspends
;; $n times to a resume loop that sums what it yields.
;; "spawn": $n continuations, each started and left suspended in a table (memory per live continuation).
;; More generator shapes, each $n round trips summed by the resumer (bench/vm_speed.py (b)):
;; "run_global" (the resumer's bound in a global), "run_i64" (an i64 accumulator fed with
;; i64.extend_i32_u, yielded as i64), "run_pair" (a payload of two values), "run_forward" (the
;; generator runs under a middle resume that handles another tag and forwards $yield outward).
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

  ;; --- more shapes -------------------------------------------------------------------------------
  (global $bound (mut i32) (i32.const 0))
  (tag $yield64 (param i64))
  (tag $pair (param i32 i32))
  (tag $other (param i32))

  (func (export "run_global") (param $n i32) (result i32) (local $k (ref null $k)) (local $sum i32) (local $i i32)
    (global.set $bound (local.get $n))
    (local.set $k (cont.new $k (ref.func $gen)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (global.get $bound)))
        (block $on (result i32 (ref $k))
          (resume $k (on $yield $on) (local.get $k))
          (unreachable))
        (local.set $k)
        (local.set $sum (i32.add (local.get $sum)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $sum))

  (func $gen64 (local $i i32) (local $acc i64)
    (loop $l
      (suspend $yield64 (local.get $acc))
      (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
  (func (export "run_i64") (param $n i32) (result i64) (local $k (ref null $k)) (local $sum i64)
    (local.set $k (cont.new $k (ref.func $gen64)))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (block $on (result i64 (ref $k))
          (resume $k (on $yield64 $on) (local.get $k))
          (unreachable))
        (local.set $k)
        (local.set $sum (i64.add (local.get $sum)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $sum))

  (func $genpair (local $i i32)
    (loop $l
      (suspend $pair (local.get $i) (i32.shl (local.get $i) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
  (func (export "run_pair") (param $n i32) (result i32) (local $k (ref null $k)) (local $sum i32)
    (local.set $k (cont.new $k (ref.func $genpair)))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (block $on (result i32 i32 (ref $k))
          (resume $k (on $pair $on) (local.get $k))
          (unreachable))
        (local.set $k)
        (i32.add)
        (local.set $sum (i32.add (local.get $sum)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $sum))

  (func $middle (local $k (ref null $k))
    (local.set $k (cont.new $k (ref.func $gen)))
    (loop $again
      (block $on (result i32 (ref $k))
        (resume $k (on $other $on) (local.get $k))
        (return))
      (local.set $k)
      (drop)
      (br $again)))
  (elem declare func $gen64 $genpair $middle)
  (func (export "run_forward") (param $n i32) (result i32) (local $k (ref null $k)) (local $sum i32)
    (local.set $k (cont.new $k (ref.func $middle)))
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
)
