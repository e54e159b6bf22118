;; Two fibers switch back and forth under one `(on $sw switch)` handler; each prints a letter per turn.
;; Expected output of main: "abcde." (a starts b, b switches back, ..., a returns, which ends the resume).
(module
  (import "fx" "write" (func $write (param i32 i32)))
  (memory (export "memory") 1)
  (rec
    (type $ft (func (param (ref null $ct))))
    (type $ct (cont $ft)))
  (tag $sw)
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
    local.set 0
    i32.const 99
    call $say
    local.get 0
    switch $ct $sw
    drop
    i32.const 101
    call $say)
  (func $b (type $ft)
    i32.const 98
    call $say
    local.get 0
    switch $ct $sw
    local.set 0
    i32.const 100
    call $say
    local.get 0
    switch $ct $sw
    drop
    unreachable)
  (func $main (export "main")
    ref.null $ct
    ref.func $a
    cont.new $ct
    resume $ct (on $sw switch)
    i32.const 46
    call $say))
