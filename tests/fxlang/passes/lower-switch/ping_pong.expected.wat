(module
  (rec
    (type $ft (;0;) (func (param (ref null $ct))))
    (type $ct (;1;) (cont $ft))
  )
  (type (;2;) (func (param i32) (param i32)))
  (type (;3;) (func))
  (type (;4;) (func (param i32)))
  (type (;5;) (func (param (ref null $ct)) (result (ref null $ct))))
  (type (;6;) (func (param (ref null $ct)) (param (ref null $ct))))
  (type (;7;) (func (result (ref null $ct)) (result (ref $ct))))
  (type (;8;) (cont 3))
  (import "fx" "write" (func $write (;0;) (type 2)))
  (memory (;0;) 1)
  (tag $sw (;0;) (type 3))
  (tag $sw_1 (;1;) (type 5))
  (export "memory" (memory 0))
  (export "main" (func $main))
  (elem (;0;) declare func $a $b)
  (func $say (;1;) (type 4) (param $c i32)
    i32.const 0
    local.get $c
    i32.store8
    i32.const 0
    i32.const 1
    call $write
  )
  (func $a (;2;) (type $ft) (param (ref null $ct))
    i32.const 97
    call $say
    ref.func $b
    cont.new $ct
    suspend $sw_1
    local.set 0
    i32.const 99
    call $say
    local.get 0
    suspend $sw_1
    drop
    i32.const 101
    call $say
  )
  (func $b (;3;) (type $ft) (param (ref null $ct))
    i32.const 98
    call $say
    local.get 0
    suspend $sw_1
    local.set 0
    i32.const 100
    call $say
    local.get 0
    suspend $sw_1
    drop
    unreachable
  )
  (func $main (;4;) (type 3)
    i32.const 0
    if  ;; label = @1
      ref.null 3
      cont.new 8
      drop
    end
    ref.null $ct
    ref.func $a
    cont.new $ct
    call $switch.drive
    i32.const 46
    call $say
  )
  (func $switch.drive (;5;) (type 6) (param (ref null $ct)) (param (ref null $ct))
    (local (ref null $ct) (ref null $ct))
    local.get 0
    local.set 3
    local.get 1
    local.set 2
    block (type 3)  ;; label = @1
      loop  ;; label = @2
        block (type 7)  ;; label = @3
          local.get 3
          local.get 2
          resume $ct (on $sw_1 0 (;@3;))
          br 2 (;@1;)
        end
        local.set 3
        local.set 2
        br 0 (;@2;)
      end
      unreachable
    end
  )
)
