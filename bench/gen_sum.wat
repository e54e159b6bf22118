;; bench/gen_sum.py's hand-written baseline: the program bench/gen_sum.fx compiles from, written directly in
;; WasmFX text the way a person would. A generator ($nat) suspends with a tag carrying each i64; a consumer loop
;; ($sum) resumes it until it returns, summing what it yields; _start prints "sum = <n>" through WASI
;; fd_write (docs/host.md), formatting the number straight into linear memory.
;; bench/gen_sum.py replaces the N line below (exactly one `i64.const` on the line marked `;; N`).
(module
  (type $unit (func))
  (type $gen (cont $unit))                 ;; a suspended generator: resumed with nothing
  (type $nat_f (func (param i64)))
  (type $nat_k (cont $nat_f))              ;; a generator not yet given its argument
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; write(ptr, len) to standard output: the iovec and the result cell at 64..76
  (func $write (param $ptr i32) (param $len i32)
    (i32.store (i32.const 64) (local.get $ptr))
    (i32.store (i32.const 68) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 64) (i32.const 1) (i32.const 72))))
  (tag $yield (param i64))
  (data (i32.const 0) "sum = ")

  ;; yields 0, 1, ..., n-1
  (func $nat (param $n i64) (local $i i64)
    (block $done
      (loop $next
        (br_if $done (i64.ge_s (local.get $i) (local.get $n)))
        (suspend $yield (local.get $i))
        (local.set $i (i64.add (local.get $i) (i64.const 1)))
        (br $next))))
  (elem declare func $nat)

  ;; the sum of everything $nat(n) yields
  (func $sum (param $n i64) (result i64) (local $k (ref null $gen)) (local $s i64)
    (local.set $k (cont.bind $nat_k $gen (local.get $n) (cont.new $nat_k (ref.func $nat))))
    (block $finished
      (loop $next
        (block $on_yield (result i64 (ref $gen))
          (resume $gen (on $yield $on_yield) (local.get $k))
          (br $finished))
        (local.set $k)
        (local.set $s (i64.add (local.get $s)))
        (br $next)))
    (local.get $s))

  ;; "sum = " is at 0..6; the digits are written backwards so that they end at 32, followed by "\n"
  (func $main (export "_start") (local $v i64) (local $p i32)
    (local.set $v (call $sum (i64.const 1000000)))  ;; N
    (local.set $p (i32.const 32))
    (i32.store8 (i32.const 32) (i32.const 10))
    (loop $digit
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p)
        (i32.add (i32.const 48) (i32.wrap_i64 (i64.rem_u (local.get $v) (i64.const 10)))))
      (local.set $v (i64.div_u (local.get $v) (i64.const 10)))
      (br_if $digit (i64.ne (local.get $v) (i64.const 0))))
    (call $write (i32.const 0) (i32.const 6))
    (call $write (local.get $p) (i32.sub (i32.const 33) (local.get $p))))
)
