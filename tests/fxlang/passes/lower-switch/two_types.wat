;; Switches through two continuation types under one handler ($cI takes an i32 first): the loop has a path per
;; type and dispatches with br_table.  Expected output of main: "a5cde.".
(module
  (import "fx" "write" (func $write (param i32 i32)))
  (memory (export "memory") 1)
  (rec
    (type $f0 (func (param (ref null $c0))))
    (type $c0 (cont $f0))
    (type $fI (func (param i32 (ref null $c0))))
    (type $cI (cont $fI)))
  (tag $sw)
  (elem declare func $fa $fb)
  (func $say (param $c i32)
    i32.const 0
    local.get $c
    i32.store8
    i32.const 0
    i32.const 1
    call $write)
  (func $fa (type $f0)
    i32.const 97
    call $say
    i32.const 5
    ref.func $fb
    cont.new $cI
    switch $cI $sw
    local.set 0
    i32.const 99
    call $say
    local.get 0
    switch $c0 $sw
    drop
    i32.const 101
    call $say)
  (func $fb (type $fI)
    local.get 0
    i32.const 48
    i32.add
    call $say
    local.get 1
    switch $c0 $sw
    local.set 1
    i32.const 100
    call $say
    local.get 1
    switch $c0 $sw
    drop
    unreachable)
  (func $main (export "main")
    ref.null $c0
    ref.func $fa
    cont.new $c0
    resume $c0 (on $sw switch)
    i32.const 46
    call $say))
