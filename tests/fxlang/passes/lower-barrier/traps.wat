;; A suspension across the barrier: on the VM the input traps "suspension across barrier", the output panics
;; "suspension across nosuspend" as a panic (WASI fd_write to standard error, then proc_exit(1), both imported by the pass).
;; Expected output of main: "<" then the trap.
(module
  (import "fx" "write" (func $write (param i32 i32)))
  (memory (export "memory") 1)
  (type $kf (func (result i32)))
  (type $k (cont $kf))
  (type $rf (func (param i32) (result i32)))
  (type $rest (cont $rf))
  (tag $ask (result i32))
  (elem declare func $body)
  (func $say (param $c i32)
    i32.const 0
    local.get $c
    i32.store8
    i32.const 0
    i32.const 1
    call $write)
  (func $ask (result i32)
    suspend $ask)
  (func $body (result i32)
    i32.const 60
    call $say
    nop barrier (result i32)
      call $ask
    end)
  (func $main (export "main")
    block $asked (result (ref $rest))
      ref.func $body
      cont.new $k
      resume $k (on $ask $asked)
      call $say
      return
    end
    drop
    i32.const 63
    call $say))
