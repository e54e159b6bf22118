;; three fibers pass a token around a ring with `switch`; each adds its id and hands it on
(module
  (rec
    (type $ft (func (param i32 (ref null $ct)) (result i32)))
    (type $ct (cont $ft)))
  (tag $sw (result i32))
  (global $ring (mut (ref null $ct)) (ref.null $ct))
  (func $fiber (param $id i32) (param $tok i32) (param $next (ref null $ct)) (result i32)
    (local $round i32)
    (loop $l
      (local.set $tok (i32.add (local.get $tok) (local.get $id)))
      (if (i32.ge_u (local.get $tok) (i32.const 200)) (then (return (local.get $tok))))
      (switch $ct $sw (local.get $tok) (local.get $next))
      (local.set $next)
      (local.set $tok)
      (br $l))
    (unreachable))
  (func $f1 (type $ft) (call $fiber (i32.const 1) (local.get 0) (local.get 1)))
  (func $f2 (type $ft) (call $fiber (i32.const 2) (local.get 0) (local.get 1)))
  (elem declare func $f1 $f2)
  (func (export "main") (result i32)
    (resume $ct (on $sw switch) (i32.const 0) (cont.new $ct (ref.func $f2)) (cont.new $ct (ref.func $f1))))
)
