(module
  (type $kf (;0;) (func (result i32)))
  (type $k (;1;) (cont $kf))
  (type $rf (;2;) (func (param i32) (result i32)))
  (type $rest (;3;) (cont $rf))
  (type (;4;) (func (param i32) (param i32)))
  (type (;5;) (func (param i32)))
  (type (;6;) (func))
  (type (;7;) (func (result (ref $rest))))
  (type (;8;) (func (param i32) (param i32) (param i32) (param i32) (result i32)))
  (type (;9;) (cont 6))
  (import "fx" "write" (func $write (;0;) (type 4)))
  (import "wasi_snapshot_preview1" "fd_write" (func $wasi_snapshot_preview1.fd_write (;1;) (type 8)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $wasi_snapshot_preview1.proc_exit (;2;) (type 5)))
  (memory (;0;) 1)
  (tag $ask (;0;) (type $kf))
  (export "memory" (memory 0))
  (export "main" (func $main))
  (elem (;0;) declare func $body)
  (elem (;1;) declare func $nosuspend.body)
  (func $say (;3;) (type 5) (param $c i32)
    i32.const 0
    local.get $c
    i32.store8
    i32.const 0
    i32.const 1
    call $write
  )
  (func $ask (;4;) (type $kf) (result i32)
    suspend $ask
  )
  (func $body (;5;) (type $kf) (result i32)
    i32.const 0
    if  ;; label = @1
      ref.null 6
      cont.new 9
      drop
    end
    i32.const 60
    call $say
    call $nosuspend.run
  )
  (func $main (;6;) (type 6)
    block (result (ref $rest))  ;; label = @1
      ref.func $body
      cont.new $k
      resume $k (on $ask 0 (;@1;))
      call $say
      return
    end
    drop
    i32.const 63
    call $say
  )
  (func $nosuspend.body (;7;) (type $kf) (result i32)
    block (result i32)  ;; label = @1
      call $ask
    end
  )
  (func $nosuspend.run (;8;) (type $kf) (result i32)
    block  ;; label = @1
      block (type 7)  ;; label = @2
        ref.func $nosuspend.body
        cont.new $k
        resume $k (on $ask 0 (;@2;))
        return
      end
      drop
      br 0 (;@1;)
    end
    call $nosuspend.panic
    unreachable
  )
  (func $nosuspend.panic (;9;) (type 6)
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
