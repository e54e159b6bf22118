(module
  (type $kf (;0;) (func (result i32)))
  (type $k (;1;) (cont $kf))
  (type $rf (;2;) (func (param i32) (result i32)))
  (type $rest (;3;) (cont $rf))
  (type (;4;) (func (param i32) (param i32)))
  (type (;5;) (func (param i32)))
  (type (;6;) (func))
  (type (;7;) (func (result (ref $rest))))
  (type (;8;) (cont 6))
  (import "fx" "write" (func $write (;0;) (type 4)))
  (import "fx" "panic" (func $fx.panic (;1;) (type 4)))
  (memory (;0;) 1)
  (tag $ask (;0;) (type $kf))
  (export "memory" (memory 0))
  (export "main" (func $main))
  (elem (;0;) declare func $body)
  (elem (;1;) declare func $nosuspend.body)
  (func $say (;2;) (type 5) (param $c i32)
    i32.const 0
    local.get $c
    i32.store8
    i32.const 0
    i32.const 1
    call $write
  )
  (func $ask (;3;) (type $kf) (result i32)
    suspend $ask
  )
  (func $body (;4;) (type $kf) (result i32)
    i32.const 0
    if  ;; label = @1
      ref.null 6
      cont.new 8
      drop
    end
    i32.const 60
    call $say
    call $nosuspend.run
  )
  (func $main (;5;) (type 6)
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
  (func $nosuspend.body (;6;) (type $kf) (result i32)
    block (result i32)  ;; label = @1
      call $ask
    end
  )
  (func $nosuspend.run (;7;) (type $kf) (result i32)
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
  (func $nosuspend.panic (;8;) (type 6)
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
