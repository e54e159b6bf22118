;; c10m, hand-written WasmFX without GC (as c10m.fx): `active` worker slots in a table of continuations; for
;; each of `total` iterations slot i mod active is resumed twice (the first resume runs the worker to its
;; suspension, the second gives it the stack budget `kb`; it uses that many frames and returns 1), then gets
;; a fresh worker; at the end every slot is run the same way. Same output line as c10m.fx.
;; bench/seed/run.py sets the numbers marked PARAM. The lines between HOST-BEGIN and HOST-END (printing
;; through fx.write) are cut out for wasmtime, which calls the export `run` instead.
(module
  ;; HOST-BEGIN
  (import "fx" "write" (func $fx_write (param i32 i32)))
  ;; HOST-END
  (type $wf (func (param i32) (result i32)))
  (type $wk (cont $wf))
  (tag $worker_yield (param i32) (result i32))
  (table $slots 0 (ref null $wk))
  (memory (export "memory") 1)
  (global $total i64 (i64.const 10000000)) ;; PARAM total
  (global $active i32 (i32.const 10000)) ;; PARAM active
  (global $kb i32 (i32.const 32)) ;; PARAM kb
  (elem declare func $async_worker)

  (func $stack_use (param $kb i32) (result i32)
    (if (result i32) (i32.le_s (local.get $kb) (i32.const 0))
      (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $stack_use (i32.sub (local.get $kb) (i32.const 1)))))))

  (func $async_worker (param $arg i32) (result i32)
    (local $kb i32)
    (local.set $kb (suspend $worker_yield (local.get $arg)))
    (i32.eq (call $stack_use (local.get $kb)) (local.get $kb)))

  (func $alloc (param $j i32)
    (table.set $slots (local.get $j) (cont.new $wk (ref.func $async_worker))))

  ;; resumes slot j: the worker's result when it returns (the slot is emptied), 0 when it suspends again
  (func $resume_worker (param $j i32) (param $kb i32) (result i32)
    (local $r i32) (local $k (ref null $wk))
    (block $on_yield (result i32 (ref $wk))
      (local.set $r (resume $wk (on $worker_yield $on_yield) (local.get $kb) (table.get $slots (local.get $j))))
      (table.set $slots (local.get $j) (ref.null $wk))
      (return (local.get $r)))
    (local.set $k)
    (drop)                                        ;; the worker's argument
    (table.set $slots (local.get $j) (local.get $k))
    (i32.const 0))

  (func $run (export "run") (result i64)
    (local $i i64) (local $j i32) (local $count i64)
    (drop (table.grow $slots (ref.null $wk) (global.get $active)))
    (block $made
      (loop $make
        (br_if $made (i32.ge_u (local.get $j) (global.get $active)))
        (call $alloc (local.get $j))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $make)))
    (block $done
      (loop $iter
        (br_if $done (i64.ge_u (local.get $i) (global.get $total)))
        (local.set $j (i32.wrap_i64 (i64.rem_u (local.get $i) (i64.extend_i32_u (global.get $active)))))
        (drop (call $resume_worker (local.get $j) (global.get $kb)))
        (local.set $count (i64.add (local.get $count)
                                   (i64.extend_i32_u (call $resume_worker (local.get $j) (global.get $kb)))))
        (call $alloc (local.get $j))
        (local.set $i (i64.add (local.get $i) (i64.const 1)))
        (br $iter)))
    (local.set $j (i32.const 0))
    (block $finished
      (loop $last
        (br_if $finished (i32.ge_u (local.get $j) (global.get $active)))
        (drop (call $resume_worker (local.get $j) (global.get $kb)))
        (local.set $count (i64.add (local.get $count)
                                   (i64.extend_i32_u (call $resume_worker (local.get $j) (global.get $kb)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $last)))
    (local.get $count))

  ;; HOST-BEGIN
  (data (i32.const 0) "c10m count ")
  (data (i32.const 32) "\n")
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
    (local $n i64)
    (local.set $n (call $run))
    (call $fx_write (i32.const 0) (i32.const 11))
    (call $print_i64 (local.get $n))
    (call $fx_write (i32.const 32) (i32.const 1)))
  ;; HOST-END
)
