(module
  (type $pair (;0;) (func (param i32) (result i32)))
  (type (;1;) (func (param i32) (param i32)))
  (type (;2;) (func (result i32)))
  (type (;3;) (func (param i32)))
  (type (;4;) (func))
  (type (;5;) (func (param i32) (param i32) (param i32) (result i32) (result i32)))
  (type (;6;) (cont 5))
  (type (;7;) (func (param i32) (result i32) (result i32)))
  (type (;8;) (cont 7))
  (type (;9;) (func (result (ref 8))))
  (type (;10;) (cont 4))
  (import "fx" "write" (func $write (;0;) (type 1)))
  (import "fx" "panic" (func $fx.panic (;1;) (type 1)))
  (memory (;0;) 1)
  (tag $ask (;0;) (type 2))
  (export "memory" (memory 0))
  (export "main" (func $main))
  (elem (;0;) declare func $nosuspend.body)
  (func $say (;2;) (type 3) (param $c i32)
    i32.const 0
    local.get $c
    i32.const 48
    i32.add
    i32.store8
    i32.const 0
    i32.const 1
    call $write
  )
  (func $never_called (;3;) (type 2) (result i32)
    suspend $ask
  )
  (func $main (;4;) (type 4)
    (local $x i32)
    (local $y i32)
    (local $tmp i32)
    i32.const 0
    if  ;; label = @1
      ref.null 4
      cont.new 10
      drop
    end
    i32.const 4
    local.set $x
    i32.const 3
    local.get $x
    local.get $y
    call $nosuspend.run
    local.set $y
    call $say
    local.get $y
    call $say
  )
  (func $nosuspend.body (;5;) (type 5) (param i32) (param i32) (param i32) (result i32) (result i32)
    (local i32)
    local.get 0
    block (type $pair)  ;; label = @1
      local.set 3
      local.get 3
      local.set 2
      local.get 1
      local.get 3
      i32.add
    end
    local.get 2
  )
  (func $nosuspend.run (;6;) (type 5) (param i32) (param i32) (param i32) (result i32) (result i32)
    block  ;; label = @1
      block (type 9)  ;; label = @2
        local.get 0
        local.get 1
        local.get 2
        ref.func $nosuspend.body
        cont.new 6
        resume 6 (on $ask 0 (;@2;))
        return
      end
      drop
      br 0 (;@1;)
    end
    call $nosuspend.panic
    unreachable
  )
  (func $nosuspend.panic (;7;) (type 4)
    i32.const 0
    i32.const 0
    i32.const 27
    memory.init 0 $nosuspend.message
    i32.const 0
    i32.const 27
    call $fx.panic
    unreachable
  )
  (data $nosuspend.message (;0;) "suspension across nosuspend")
)
