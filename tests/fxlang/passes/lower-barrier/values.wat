;; A barrier that takes a parameter and a shared local, writes a local read afterwards and returns a value;
;; the module suspends elsewhere ($ask, never across the barrier), so the barrier is outlined.
;; Expected output of main: "7" then "3" (the barrier's result, then the local it wrote).
(module
  (import "fx" "write" (func $write (param i32 i32)))
  (memory (export "memory") 1)
  (type $pair (func (param i32) (result i32)))
  (tag $ask (result i32))
  (func $say (param $c i32)
    i32.const 0
    local.get $c
    i32.const 48
    i32.add
    i32.store8
    i32.const 0
    i32.const 1
    call $write)
  (func $never_called (result i32)
    suspend $ask)
  (func $main (export "main")
    (local $x i32) (local $y i32) (local $tmp i32)
    i32.const 4
    local.set $x
    i32.const 3
    nop barrier (type $pair)
      local.set $tmp
      local.get $tmp
      local.set $y
      local.get $x
      local.get $tmp
      i32.add
    end
    call $say
    local.get $y
    call $say))
