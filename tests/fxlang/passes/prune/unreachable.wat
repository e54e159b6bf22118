;; What the exports cannot reach goes: a function, a global, a tag and the types only they use; everything
;; kept is renumbered.  Expected output of main: "5".
(module
  (import "fx" "write" (func $write (param i32 i32)))
  (import "fx" "f64_to_str" (func $unused (param f64 i32) (result i32)))
  (memory (export "memory") 1)
  (type $dead (struct (field i64)))
  (global $g (mut (ref null $dead)) (ref.null $dead))
  (global $n i32 (i32.const 5))
  (tag $t (param (ref $dead)))
  (func $dead (param (ref $dead))
    local.get 0
    throw $t)
  (func $main (export "main")
    i32.const 0
    global.get $n
    i32.const 48
    i32.add
    i32.store8
    i32.const 0
    i32.const 1
    call $write))
