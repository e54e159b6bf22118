(module
  (rec
    (type $f0 (;0;) (func (param (ref null $c0))))
    (type $c0 (;1;) (cont $f0))
    (type $fI (;2;) (func (param i32) (param (ref null $c0))))
    (type $cI (;3;) (cont $fI))
  )
  (type (;4;) (func (param i32) (param i32)))
  (type (;5;) (func))
  (type (;6;) (func (param i32)))
  (type (;7;) (func (param i32) (param (ref null $cI)) (result (ref null $c0))))
  (type (;8;) (func (param (ref null $c0)) (result (ref null $c0))))
  (type (;9;) (func (param (ref null $c0)) (param (ref null $c0))))
  (type (;10;) (func (result (ref null $c0)) (result (ref $c0))))
  (type (;11;) (func (result i32) (result (ref null $cI)) (result (ref $c0))))
  (type (;12;) (cont 5))
  (import "fx" "write" (func $write (;0;) (type 4)))
  (memory (;0;) 1)
  (tag $sw (;0;) (type 5))
  (tag $sw_1 (;1;) (type 7))
  (tag $sw_2 (;2;) (type 8))
  (export "memory" (memory 0))
  (export "main" (func $main))
  (elem (;0;) declare func $fa $fb)
  (func $say (;1;) (type 6) (param $c i32)
    i32.const 0
    local.get $c
    i32.store8
    i32.const 0
    i32.const 1
    call $write
  )
  (func $fa (;2;) (type $f0) (param (ref null $c0))
    i32.const 97
    call $say
    i32.const 5
    ref.func $fb
    cont.new $cI
    suspend $sw_1
    local.set 0
    i32.const 99
    call $say
    local.get 0
    suspend $sw_2
    drop
    i32.const 101
    call $say
  )
  (func $fb (;3;) (type $fI) (param i32) (param (ref null $c0))
    local.get 0
    i32.const 48
    i32.add
    call $say
    local.get 1
    suspend $sw_2
    local.set 1
    i32.const 100
    call $say
    local.get 1
    suspend $sw_2
    drop
    unreachable
  )
  (func $main (;4;) (type 5)
    i32.const 0
    if  ;; label = @1
      ref.null 5
      cont.new 12
      drop
    end
    ref.null $c0
    ref.func $fa
    cont.new $c0
    call $switch.drive
    i32.const 46
    call $say
  )
  (func $switch.drive (;5;) (type 9) (param (ref null $c0)) (param (ref null $c0))
    (local i32 (ref null $cI) (ref null $c0) (ref null $c0) (ref null $c0) i32)
    local.get 0
    local.set 6
    local.get 1
    local.set 5
    i32.const 1
    local.set 7
    block (type 5)  ;; label = @1
      loop  ;; label = @2
        block (type 10)  ;; label = @3
          block (type 11)  ;; label = @4
            block  ;; label = @5
              block  ;; label = @6
                local.get 7
                br_table 0 (;@6;) 1 (;@5;)
              end
              local.get 2
              local.get 4
              local.get 3
              resume $cI (on $sw_1 1 (;@4;)) (on $sw_2 2 (;@3;))
              br 4 (;@1;)
            end
            local.get 6
            local.get 5
            resume $c0 (on $sw_1 0 (;@4;)) (on $sw_2 1 (;@3;))
            br 3 (;@1;)
          end
          local.set 4
          local.set 3
          local.set 2
          i32.const 0
          local.set 7
          br 1 (;@2;)
        end
        local.set 6
        local.set 5
        i32.const 1
        local.set 7
        br 0 (;@2;)
      end
      unreachable
    end
  )
)
