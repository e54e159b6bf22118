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
  (type (;10;) (func (param i32) (param i32) (param i32) (param i32) (result i32)))
  (type (;11;) (cont 4))
  (import "fx" "write" (func $write (;0;) (type 1)))
  (import "wasi_snapshot_preview1" "fd_write" (func $wasi_snapshot_preview1.fd_write (;1;) (type 10)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $wasi_snapshot_preview1.proc_exit (;2;) (type 3)))
  (memory (;0;) 1)
  (tag $ask (;0;) (type 2))
  (export "memory" (memory 0))
  (export "main" (func $main))
  (elem (;0;) declare func $nosuspend.body)
  (func $say (;3;) (type 3) (param $c i32)
    i32.const 0
    local.get $c
    i32.const 48
    i32.add
    i32.store8
    i32.const 0
    i32.const 1
    call $write
  )
  (func $never_called (;4;) (type 2) (result i32)
    suspend $ask
  )
  (func $main (;5;) (type 4)
    (local $x i32)
    (local $y i32)
    (local $tmp i32)
    i32.const 0
    if  ;; label = @1
      ref.null 4
      cont.new 11
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
  (func $nosuspend.body (;6;) (type 5) (param i32) (param i32) (param i32) (result i32) (result i32)
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
  (func $nosuspend.run (;7;) (type 5) (param i32) (param i32) (param i32) (result i32) (result i32)
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
  (func $nosuspend.panic (;8;) (type 4)
    i32.const 16
    i32.const 0
    i32.const 39
    memory.init 0 $nosuspend.message
    i32.const 0
    i32.const 16
    i32.store
    i32.const 0
    i32.const 39
    i32.store offset=4
    i32.const 2
    i32.const 0
    i32.const 1
    i32.const 8
    call $wasi_snapshot_preview1.fd_write
    drop
    i32.const 1
    call $wasi_snapshot_preview1.proc_exit
    unreachable
  )
  (data $nosuspend.message (;0;) "fxc: trap: suspension across nosuspend\0a")
)
