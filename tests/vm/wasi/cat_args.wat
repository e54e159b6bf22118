;; A WASI command written by hand (not by fxc): prints its arguments one per line, then the file named by
;; argv[1] opened under the first preopened directory (fd 3), then exits with status 7 through proc_exit.
;; A failed path_open prints "open <path>: errno <n>" on stderr and exits with status 2.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  ;; 0: iovec  16: nwritten/nread  32: argc  36: argv buf size  48: opened fd  64: argv[]  1024: argv buf
  ;; 4000: number text  4096: "open "  4112: ": errno "  8192: file buffer (4096 bytes)
  (data (i32.const 4096) "open ")
  (data (i32.const 4112) ": errno ")
  (data (i32.const 4128) "\n")

  (func $write (param $fd i32) (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 16))))

  (func $strlen (param $p i32) (result i32) (local $n i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (i32.load8_u (i32.add (local.get $p) (local.get $n)))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $n))

  (func $write_num (param $fd i32) (param $x i32) (local $p i32)
    (local.set $p (i32.const 4032))
    (loop $digit
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.rem_u (local.get $x) (i32.const 10))))
      (local.set $x (i32.div_u (local.get $x) (i32.const 10)))
      (br_if $digit (local.get $x)))
    (call $write (local.get $fd) (local.get $p) (i32.sub (i32.const 4032) (local.get $p))))

  (func $arg (param $i i32) (result i32)
    (i32.load (i32.add (i32.const 64) (i32.shl (local.get $i) (i32.const 2)))))

  (func (export "_start") (local $i i32) (local $err i32) (local $fd i32)
    (drop (call $args_sizes_get (i32.const 32) (i32.const 36)))
    (drop (call $args_get (i32.const 64) (i32.const 1024)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (i32.load (i32.const 32))))
        (call $write (i32.const 1) (call $arg (local.get $i)) (call $strlen (call $arg (local.get $i))))
        (call $write (i32.const 1) (i32.const 4128) (i32.const 1))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.set $err
      (call $path_open (i32.const 3) (i32.const 1) (call $arg (i32.const 1)) (call $strlen (call $arg (i32.const 1)))
        (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 48)))
    (if (local.get $err)
      (then
        (call $write (i32.const 2) (i32.const 4096) (i32.const 5))
        (call $write (i32.const 2) (call $arg (i32.const 1)) (call $strlen (call $arg (i32.const 1))))
        (call $write (i32.const 2) (i32.const 4112) (i32.const 8))
        (call $write_num (i32.const 2) (local.get $err))
        (call $write (i32.const 2) (i32.const 4128) (i32.const 1))
        (call $proc_exit (i32.const 2))))
    (local.set $fd (i32.load (i32.const 48)))
    (block $eof
      (loop $more
        (i32.store (i32.const 0) (i32.const 8192))
        (i32.store (i32.const 4) (i32.const 4096))
        (br_if $eof (call $fd_read (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 16)))
        (br_if $eof (i32.eqz (i32.load (i32.const 16))))
        (call $write (i32.const 1) (i32.const 8192) (i32.load (i32.const 16)))
        (br $more)))
    (drop (call $fd_close (local.get $fd)))
    (call $proc_exit (i32.const 7))))
