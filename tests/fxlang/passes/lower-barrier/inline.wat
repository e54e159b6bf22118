;; Barriers that stay in place as plain blocks: one branches out of itself (so it cannot be outlined), and in
;; a module without any `suspend` nothing can cross a barrier anyway.  Expected output of main: "12".
(module
  (import "fx" "write" (func $write (param i32 i32)))
  (memory (export "memory") 1)
  (func $say (param $c i32)
    i32.const 0
    local.get $c
    i32.const 48
    i32.add
    i32.store8
    i32.const 0
    i32.const 1
    call $write)
  (func $main (export "main")
    block $out
      nop barrier
        i32.const 1
        call $say
        br $out
      end
    end
    nop barrier (result i32)
      i32.const 2
    end
    call $say))
