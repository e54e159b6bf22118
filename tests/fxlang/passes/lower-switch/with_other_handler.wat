;; The resume that handles `switch` also handles $stop: the switch loop is built in place (not outlined), and a
;; fiber switched to later still reaches the $stop clause.  Expected output of main: "ab!".
(module
  (import "fx" "write" (func $write (param i32 i32)))
  (memory (export "memory") 1)
  (rec
    (type $ft (func (param (ref null $ct))))
    (type $ct (cont $ft)))
  (type $unit (func))
  (type $done (cont $unit))
  (tag $sw)
  (tag $stop)
  (elem declare func $a $b)
  (func $say (param $c i32)
    i32.const 0
    local.get $c
    i32.store8
    i32.const 0
    i32.const 1
    call $write)
  (func $a (type $ft)
    i32.const 97
    call $say
    ref.func $b
    cont.new $ct
    switch $ct $sw
    drop)
  (func $b (type $ft)
    i32.const 98
    call $say
    suspend $stop)
  (func $main (export "main")
    block $stopped (result (ref $done))
      ref.null $ct
      ref.func $a
      cont.new $ct
      resume $ct (on $sw switch) (on $stop $stopped)
      return
    end
    drop
    i32.const 33
    call $say))
