(module
  (type (;0;) (func (param i32) (param i32)))
  (type (;1;) (func (param i32)))
  (type (;2;) (func))
  (import "fx" "write" (func $write (;0;) (type 0)))
  (memory (;0;) 1)
  (export "memory" (memory 0))
  (export "main" (func $main))
  (func $say (;1;) (type 1) (param $c i32)
    i32.const 0
    local.get $c
    i32.const 48
    i32.add
    i32.store8
    i32.const 0
    i32.const 1
    call $write
  )
  (func $main (;2;) (type 2)
    block  ;; label = @1
      block  ;; label = @2
        i32.const 1
        call $say
        br 1 (;@1;)
      end
    end
    block (result i32)  ;; label = @1
      i32.const 2
    end
    call $say
  )
)
