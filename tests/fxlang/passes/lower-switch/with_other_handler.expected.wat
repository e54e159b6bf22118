(module
  (rec
    (type $ft (;0;) (func (param (ref null $ct))))
    (type $ct (;1;) (cont $ft))
  )
  (type $unit (;2;) (func))
  (type $done (;3;) (cont $unit))
  (type (;4;) (func (param i32) (param i32)))
  (type (;5;) (func (param i32)))
  (type (;6;) (func (param (ref null $ct)) (result (ref null $ct))))
  (type (;7;) (func (result (ref null $ct)) (result (ref $ct))))
  (import "fx" "write" (func $write (;0;) (type 4)))
  (memory (;0;) 1)
  (tag $sw (;0;) (type $unit))
  (tag $stop (;1;) (type $unit))
  (tag $sw_1 (;2;) (type 6))
  (export "memory" (memory 0))
  (export "main" (func $main))
  (elem (;0;) declare func $a $b)
  (func $say (;1;) (type 5) (param $c i32)
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
    drop
  )
  (func $b (;3;) (type $ft) (param (ref null $ct))
    i32.const 98
    call $say
    suspend $stop
  )
  (func $main (;4;) (type $unit)
    (local (ref null $ct) (ref null $ct))
    block (result (ref $done))  ;; label = @1
      ref.null $ct
      ref.func $a
      cont.new $ct
      local.set 0
      local.set 1
      block (type $unit)  ;; label = @2
        loop  ;; label = @3
          block (type 7)  ;; label = @4
            local.get 1
            local.get 0
            resume $ct (on $sw_1 0 (;@4;)) (on $stop 3 (;@1;))
            br 2 (;@2;)
          end
          local.set 1
          local.set 0
          br 0 (;@3;)
        end
        unreachable
      end
      return
    end
    drop
    i32.const 33
    call $say
  )
)
