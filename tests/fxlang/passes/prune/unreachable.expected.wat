(module
  (type (;0;) (func (param i32) (param i32)))
  (type (;1;) (func))
  (import "fx" "write" (func $write (;0;) (type 0)))
  (memory (;0;) 1)
  (global $n (;0;) i32 i32.const 5)
  (export "memory" (memory 0))
  (export "main" (func $main))
  (func $main (;1;) (type 1)
    i32.const 0
    global.get $n
    i32.const 48
    i32.add
    i32.store8
    i32.const 0
    i32.const 1
    call $write
  )
)
