;; coroutines, hand-written WasmFX without GC: the talk's experiment 1 (as coroutines.fx). The ready
;; coroutines wait in a ring buffer that is a table of continuations; `total` coroutines are created, and
;; whenever more than `simul` are ready the oldest one is resumed. A coroutine counts itself, suspends once,
;; then calls a function with a large frame. Same output line as coroutines.fx.
;; bench/seed/run.py sets the numbers marked PARAM. The lines between HOST-BEGIN and HOST-END (the fx host
;; interface: printing through fx.write) are cut out for wasmtime, which calls the export `run` instead.
(module
  ;; HOST-BEGIN
  (import "fx" "write" (func $fx_write (param i32 i32)))
  ;; HOST-END
  (type $f (func))
  (type $k (cont $f))
  (tag $pause)
  (table $q 0 (ref null $k))
  (memory (export "memory") 1)
  (global $total i64 (i64.const 10000000)) ;; PARAM total
  (global $simul i32 (i32.const 10000)) ;; PARAM simul
  (global $cap (mut i32) (i32.const 0))
  (global $head (mut i32) (i32.const 0))
  (global $size (mut i32) (i32.const 0))
  (global $count (mut i64) (i64.const 0))
  (global $black_box (mut i64) (i64.const 0))
  (elem declare func $a_coroutine)

  ;; sixteen live locals: the large frame of coroutines.fx
  (func $big_function (param $seed i64) (result i64)
    (local $a1 i64) (local $a2 i64) (local $a3 i64) (local $a4 i64) (local $a5 i64) (local $a6 i64)
    (local $a7 i64) (local $a8 i64) (local $a9 i64) (local $a10 i64) (local $a11 i64) (local $a12 i64)
    (local $a13 i64) (local $a14 i64) (local $a15 i64)
    (local.set $a1 (i64.add (local.get $seed) (i64.const 1)))
    (local.set $a2 (i64.add (local.get $a1) (i64.const 1)))
    (local.set $a3 (i64.add (local.get $a2) (i64.const 1)))
    (local.set $a4 (i64.add (local.get $a3) (i64.const 1)))
    (local.set $a5 (i64.add (local.get $a4) (i64.const 1)))
    (local.set $a6 (i64.add (local.get $a5) (i64.const 1)))
    (local.set $a7 (i64.add (local.get $a6) (i64.const 1)))
    (local.set $a8 (i64.add (local.get $a7) (i64.const 1)))
    (local.set $a9 (i64.add (local.get $a8) (i64.const 1)))
    (local.set $a10 (i64.add (local.get $a9) (i64.const 1)))
    (local.set $a11 (i64.add (local.get $a10) (i64.const 1)))
    (local.set $a12 (i64.add (local.get $a11) (i64.const 1)))
    (local.set $a13 (i64.add (local.get $a12) (i64.const 1)))
    (local.set $a14 (i64.add (local.get $a13) (i64.const 1)))
    (local.set $a15 (i64.add (local.get $a14) (i64.const 1)))
    (i64.add (i64.add (i64.add (i64.add (local.get $seed) (local.get $a1))
                               (i64.add (local.get $a2) (local.get $a3)))
                      (i64.add (i64.add (local.get $a4) (local.get $a5))
                               (i64.add (local.get $a6) (local.get $a7))))
             (i64.add (i64.add (i64.add (local.get $a8) (local.get $a9))
                               (i64.add (local.get $a10) (local.get $a11)))
                      (i64.add (i64.add (local.get $a12) (local.get $a13))
                               (i64.add (local.get $a14) (local.get $a15))))))

  (func $a_coroutine
    (local $save i64)
    (global.set $count (i64.add (global.get $count) (i64.const 1)))
    (local.set $save (global.get $count))
    (suspend $pause)
    (global.set $black_box (i64.add (global.get $black_box) (call $big_function (local.get $save)))))

  (func $enqueue (param $c (ref null $k))
    (table.set $q (i32.rem_u (i32.add (global.get $head) (global.get $size)) (global.get $cap)) (local.get $c))
    (global.set $size (i32.add (global.get $size) (i32.const 1))))

  ;; resumes the oldest ready coroutine; if it suspends, it goes to the back of the queue
  (func $pop_and_resume
    (local $c (ref null $k))
    (local.set $c (table.get $q (global.get $head)))
    (table.set $q (global.get $head) (ref.null $k))
    (global.set $head (i32.rem_u (i32.add (global.get $head) (i32.const 1)) (global.get $cap)))
    (global.set $size (i32.sub (global.get $size) (i32.const 1)))
    (block $on_pause (result (ref $k))
      (resume $k (on $pause $on_pause) (local.get $c))
      (return))
    (call $enqueue))

  (func $run (export "run") (result i64)
    (local $created i64)
    (global.set $cap (i32.add (global.get $simul) (i32.const 2)))
    (drop (table.grow $q (ref.null $k) (global.get $cap)))
    (block $done
      (loop $create
        (br_if $done (i64.ge_u (local.get $created) (global.get $total)))
        (call $enqueue (cont.new $k (ref.func $a_coroutine)))
        (local.set $created (i64.add (local.get $created) (i64.const 1)))
        (block $calm
          (loop $drain
            (br_if $calm (i32.le_u (global.get $size) (global.get $simul)))
            (call $pop_and_resume)
            (br $drain)))
        (br $create)))
    (block $empty
      (loop $rest
        (br_if $empty (i32.eqz (global.get $size)))
        (call $pop_and_resume)
        (br $rest)))
    (global.get $black_box))

  ;; HOST-BEGIN
  (data (i32.const 0) "coroutines ")
  (data (i32.const 16) " checksum ")
  (data (i32.const 32) "\n")
  ;; writes the decimal digits of a non-negative $v
  (func $print_i64 (param $v i64)
    (local $p i32)
    (local.set $p (i32.const 128))
    (loop $digit
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i64.store8 (local.get $p) (i64.add (i64.const 48) (i64.rem_u (local.get $v) (i64.const 10))))
      (local.set $v (i64.div_u (local.get $v) (i64.const 10)))
      (br_if $digit (i64.ne (local.get $v) (i64.const 0))))
    (call $fx_write (local.get $p) (i32.sub (i32.const 128) (local.get $p))))
  (func $main (export "main")
    (local $sum i64)
    (local.set $sum (call $run))
    (call $fx_write (i32.const 0) (i32.const 11))
    (call $print_i64 (global.get $count))
    (call $fx_write (i32.const 16) (i32.const 10))
    (call $print_i64 (local.get $sum))
    (call $fx_write (i32.const 32) (i32.const 1)))
  ;; HOST-END
)
