;; A hand-written WASI command: copies standard input to standard output, prints each environment
;; variable on a line, creates `out.txt` in the first preopened directory (fd 3) holding its argv[1], and
;; exits with status 3.
(module
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $env_sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $env_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 3000) "out.txt\n")
  ;; 0: iovec  16: count  32: envc  36: env size  48: fd  64: pointers  1024: strings  8192: buffer
  (func $write (param $fd i32) (param $p i32) (param $n i32)
    (i32.store (i32.const 0) (local.get $p)) (i32.store (i32.const 4) (local.get $n))
    (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 16))))
  (func $strlen (param $p i32) (result i32) (local $n i32)
    (block $d (loop $l
      (br_if $d (i32.eqz (i32.load8_u (i32.add (local.get $p) (local.get $n)))))
      (local.set $n (i32.add (local.get $n) (i32.const 1))) (br $l)))
    (local.get $n))
  (func (export "_start") (local $i i32) (local $p i32)
    (block $eof (loop $more
      (i32.store (i32.const 0) (i32.const 8192)) (i32.store (i32.const 4) (i32.const 100))
      (br_if $eof (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 16)))
      (br_if $eof (i32.eqz (i32.load (i32.const 16))))
      (call $write (i32.const 1) (i32.const 8192) (i32.load (i32.const 16)))
      (br $more)))
    (drop (call $env_sizes (i32.const 32) (i32.const 36)))
    (drop (call $env_get (i32.const 64) (i32.const 1024)))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $i) (i32.load (i32.const 32))))
      (local.set $p (i32.load (i32.add (i32.const 64) (i32.shl (local.get $i) (i32.const 2)))))
      (call $write (i32.const 1) (local.get $p) (call $strlen (local.get $p)))
      (call $write (i32.const 1) (i32.const 3007) (i32.const 1))
      (local.set $i (i32.add (local.get $i) (i32.const 1))) (br $l)))
    (drop (call $args_get (i32.const 64) (i32.const 1024)))
    ;; path_open(3, follow, "out.txt", creat|trunc, fd_write, ...)
    (if (call $path_open (i32.const 3) (i32.const 1) (i32.const 3000) (i32.const 7) (i32.const 9)
          (i64.const 64) (i64.const 0) (i32.const 0) (i32.const 48))
      (then (call $proc_exit (i32.const 9))))
    (local.set $p (i32.load (i32.const 68)))
    (call $write (i32.load (i32.const 48)) (local.get $p) (call $strlen (local.get $p)))
    (drop (call $fd_close (i32.load (i32.const 48))))
    (call $proc_exit (i32.const 3))))
