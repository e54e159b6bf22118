;; the pass 'asyncify' on a small generator: $gen is instrumented (its suspend is a point), main's resume site
;; handles $yield; the output has no stack switching (tests/fxlang/asyncify/cases/ holds the lowering's own
;; golden cases, run on V8 without the WasmFX flag too)
(module
  (type $ft (func (param i32) (result i32)))
  (type $ct (cont $ft))
  (tag $yield (param i32) (result i32))
  (func $gen (param $x i32) (result i32)
    (local $i i32)
    (loop $l
      (local.set $x (suspend $yield (i32.add (local.get $x) (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 3))))
    (local.get $x))
  (memory (export "memory") 1)
  (elem declare func $gen)
  (func (export "main") (result i32)
    (local $k (ref null $ct)) (local $sum i32)
    (local.set $k (cont.new $ct (ref.func $gen)))
    (loop $l
      (block $on_yield (result i32 (ref $ct))
        (return (i32.add (local.get $sum) (resume $ct (on $yield $on_yield) (i32.const 5) (local.get $k)))))
      (local.set $k)
      (local.set $sum (i32.add (local.get $sum)))
      (br $l))
    (unreachable))
)
