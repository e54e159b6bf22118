(module
  (type $ft (;0;) (func (param i32) (result i32)))
  (type $ct (;1;) (sub (struct (field (mut i32)) (field funcref))))
  (type (;2;) (func (result i32)))
  (type (;3;) (func (result i32) (result (ref $ct))))
  (rec
    (type $asyncify.Frame (;4;) (sub (struct (field (mut (ref null $asyncify.Frame))))))
  )
  (type $asyncify.Handlers (;5;) (array (mut i32)))
  (type $asyncify.Empty (;6;) (struct))
  (type (;7;) (array i32))
  (type (;8;) (func (param i32)))
  (type (;9;) (func (param i32) (param i32) (result i32)))
  (type (;10;) (func))
  (type $asyncify.frame.gen (;11;) (sub final $asyncify.Frame (struct (field (mut (ref null $asyncify.Frame))) (field i32) (field i32))))
  (type (;12;) (func (param i32) (param (ref struct)) (result i32)))
  (type (;13;) (sub final $ct (struct (field (mut i32)) (field funcref) (field (ref $ft)))))
  (type (;14;) (func (param i32) (param (ref $ft)) (result i32)))
  (type (;15;) (func (param (ref $asyncify.Frame)) (result i32)))
  (type (;16;) (sub final $asyncify.Frame (struct (field (mut (ref null $asyncify.Frame))) (field (ref 15)) (field funcref))))
  (type (;17;) (sub final $ct (struct (field (mut i32)) (field funcref) (field (ref null $asyncify.Frame)))))
  (memory (;0;) 1)
  (tag $yield (;0;) (type 8))
  (global $asyncify.state (;0;) (mut i32) i32.const 0)
  (global $asyncify.frames (;1;) (mut (ref null $asyncify.Frame)) ref.null $asyncify.Frame)
  (global $asyncify.handlers (;2;) (mut (ref $asyncify.Handlers)) i32.const 16 array.new_default $asyncify.Handlers)
  (global $asyncify.depth (;3;) (mut i32) i32.const 0)
  (global $asyncify.target (;4;) (mut i32) i32.const 0)
  (global $asyncify.code (;5;) (mut i32) i32.const 0)
  (global $asyncify.exn (;6;) (mut exnref) ref.null exn)
  (global $asyncify.switch (;7;) (mut structref) ref.null struct)
  (global $asyncify.slot.i32.0 (;8;) (mut i32) i32.const 0)
  (export "memory" (memory 0))
  (export "main" (func 1))
  (elem (;0;) declare func $gen)
  (elem (;1;) declare func $asyncify.enter_new.1 $asyncify.rewind.0 $asyncify.enter_cap.1)
  (func $gen (;0;) (type $ft) (param $x i32) (result i32)
    (local $i i32)
    (local $asyncify.rp i32)
    (local i32)
    (local $asyncify.frame (ref null $asyncify.frame.gen))
    global.get $asyncify.state
    i32.const 2
    i32.eq
    if  ;; label = @1
      global.get $asyncify.frames
      ref.cast (ref $asyncify.frame.gen)
      local.tee $asyncify.frame
      struct.get $asyncify.frame.gen 0
      global.set $asyncify.frames
      local.get $asyncify.frame
      struct.get $asyncify.frame.gen 2
      local.set $i
      local.get $asyncify.frame
      struct.get $asyncify.frame.gen 1
      local.set $asyncify.rp
    end
    block  ;; label = @1
      local.get $asyncify.rp
      if  ;; label = @2
        br 1 (;@1;)
      end
    end
    loop  ;; label = @1
      block (result i32)  ;; label = @2
        local.get $asyncify.rp
        if  ;; label = @3
          i32.const 0
          local.set $asyncify.rp
          i32.const 0
          br 1 (;@2;)
        end
        local.get $x
        local.get $i
        i32.add
      end
      global.get $asyncify.state
      i32.const 2
      i32.eq
      if (type $ft)  ;; label = @2
        drop
        i32.const 0
        global.set $asyncify.state
        global.get $asyncify.exn
        ref.is_null
        i32.eqz
        if  ;; label = @3
          global.get $asyncify.exn
          ref.null exn
          global.set $asyncify.exn
          throw_ref
        end
        global.get $asyncify.slot.i32.0
      else
        global.set $asyncify.slot.i32.0
        i32.const 0
        call $asyncify.find
        local.tee 3
        i32.const 0
        i32.lt_s
        if  ;; label = @3
          local.get 3
          i32.const -1
          i32.eq
          if  ;; label = @4
            call $asyncify_trap:_unhandled_tag_$yield
          end
          call $asyncify_trap:_suspension_across_barrier
        end
        local.get 3
        global.set $asyncify.target
        i32.const 0
        global.set $asyncify.code
        i32.const 1
        global.set $asyncify.state
        global.get $asyncify.frames
        i32.const 1
        local.get $i
        struct.new $asyncify.frame.gen
        global.set $asyncify.frames
        i32.const 0
        return
      end
      local.set $x
      local.get $i
      i32.const 1
      i32.add
      local.set $i
      local.get $i
      i32.const 3
      i32.lt_u
      br_if 0 (;@1;)
    end
    local.get $x
  )
  (func (;1;) (type 2) (result i32)
    (local $k (ref null $ct))
    (local $sum i32)
    (local (ref null $ft))
    (local $asyncify.hd i32)
    (local i32 (ref null $ct) i32)
    ref.func $gen
    local.tee 2
    ref.is_null
    if  ;; label = @1
      call $asyncify_trap:_null_function_reference
    end
    i32.const 0
    ref.func $asyncify.enter_new.1
    local.get 2
    ref.as_non_null
    struct.new 13
    local.set $k
    loop  ;; label = @1
      block (type 3)  ;; label = @2
        local.get $sum
        i32.const 5
        local.get $k
        local.set 5
        local.set 6
        i32.const 1
        local.set 4
        block (result i32)  ;; label = @3
          block (result exnref)  ;; label = @4
            loop  ;; label = @5
              try_table (result i32) (catch_all_ref 1 (;@4;))  ;; label = @6
                global.get $asyncify.depth
                local.set $asyncify.hd
                i32.const 2
                call $asyncify.push
                local.get 4
                if (result i32)  ;; label = @7
                  local.get 5
                  ref.is_null
                  if  ;; label = @8
                    call $asyncify_trap:_null_continuation_reference
                  end
                  local.get 5
                  struct.get $ct 0
                  if  ;; label = @8
                    call $asyncify_trap:_continuation_already_consumed
                  end
                  local.get 5
                  i32.const 1
                  struct.set $ct 0
                  local.get 6
                  local.get 5
                  ref.as_non_null
                  local.get 5
                  struct.get $ct 1
                  ref.cast (ref 12)
                  call_ref 12
                else
                  unreachable
                end
              end
              global.get $asyncify.state
              if (type $ft)  ;; label = @6
                drop
                global.get $asyncify.target
                local.get $asyncify.hd
                i32.eq
                if  ;; label = @7
                  local.get $asyncify.hd
                  global.set $asyncify.depth
                  i32.const 0
                  global.set $asyncify.state
                  global.get $asyncify.code
                  i32.const 0
                  i32.eq
                  if  ;; label = @8
                    global.get $asyncify.slot.i32.0
                    i32.const 0
                    ref.func $asyncify.enter_cap.1
                    global.get $asyncify.frames
                    struct.new 17
                    ref.null $asyncify.Frame
                    global.set $asyncify.frames
                    br 6 (;@2;)
                  end
                  unreachable
                end
                unreachable
              end
              local.get $asyncify.hd
              global.set $asyncify.depth
              br 2 (;@3;)
            end
            unreachable
          end
          local.get $asyncify.hd
          global.set $asyncify.depth
          throw_ref
        end
        i32.add
        return
      end
      local.set $k
      local.get $sum
      i32.add
      local.set $sum
      br 0 (;@1;)
    end
    unreachable
  )
  (func $asyncify.push (;2;) (type 8) (param i32)
    (local $grown (ref null $asyncify.Handlers))
    global.get $asyncify.depth
    global.get $asyncify.handlers
    array.len
    i32.eq
    if  ;; label = @1
      global.get $asyncify.depth
      i32.const 2
      i32.mul
      i32.const 16
      i32.add
      array.new_default $asyncify.Handlers
      local.tee $grown
      i32.const 0
      global.get $asyncify.handlers
      i32.const 0
      global.get $asyncify.depth
      array.copy $asyncify.Handlers $asyncify.Handlers
      local.get $grown
      ref.as_non_null
      global.set $asyncify.handlers
    end
    global.get $asyncify.handlers
    global.get $asyncify.depth
    local.get 0
    array.set $asyncify.Handlers
    global.get $asyncify.depth
    i32.const 1
    i32.add
    global.set $asyncify.depth
  )
  (func $asyncify.handles (;3;) (type 9) (param i32) (param i32) (result i32)
    block  ;; label = @1
      block  ;; label = @2
        block  ;; label = @3
          block  ;; label = @4
            local.get 0
            br_table 3 (;@1;) 2 (;@2;) 1 (;@3;) 0 (;@4;)
          end
          i32.const 0
          return
        end
        local.get 1
        i32.const 0
        i32.eq
        if  ;; label = @3
          i32.const 1
          return
        end
        i32.const 0
        return
      end
      i32.const 0
      return
    end
    i32.const 0
    return
  )
  (func $asyncify.find (;4;) (type $ft) (param i32) (result i32)
    (local $depth i32)
    (local $site i32)
    global.get $asyncify.depth
    local.set $depth
    loop  ;; label = @1
      local.get $depth
      i32.eqz
      if  ;; label = @2
        i32.const -1
        return
      end
      local.get $depth
      i32.const 1
      i32.sub
      local.set $depth
      global.get $asyncify.handlers
      local.get $depth
      array.get $asyncify.Handlers
      local.tee $site
      i32.const 1
      i32.le_u
      if  ;; label = @2
        local.get $site
        i32.const 2
        i32.sub
        return
      end
      local.get $site
      local.get 0
      call $asyncify.handles
      if  ;; label = @2
        local.get $depth
        return
      end
      br 0 (;@1;)
    end
    unreachable
  )
  (func $asyncify_trap:_unhandled_tag_$yield (;5;) (type 10)
    unreachable
  )
  (func $asyncify_trap:_suspension_across_barrier (;6;) (type 10)
    unreachable
  )
  (func $asyncify_trap:_null_function_reference (;7;) (type 10)
    unreachable
  )
  (func $asyncify.enter_new.1 (;8;) (type 12) (param i32) (param (ref struct)) (result i32)
    global.get $asyncify.exn
    ref.is_null
    i32.eqz
    if  ;; label = @1
      global.get $asyncify.exn
      ref.null exn
      global.set $asyncify.exn
      throw_ref
    end
    local.get 0
    local.get 1
    ref.cast (ref 13)
    struct.get 13 2
    call $asyncify.run.0
  )
  (func $asyncify.run.0 (;9;) (type 14) (param i32) (param (ref $ft)) (result i32)
    local.get 0
    local.get 1
    call_ref $ft
    global.get $asyncify.state
    if (type $ft)  ;; label = @1
      global.get $asyncify.frames
      ref.func $asyncify.rewind.0
      local.get 1
      struct.new 16
      global.set $asyncify.frames
    end
  )
  (func $asyncify.rewind.0 (;10;) (type 15) (param (ref $asyncify.Frame)) (result i32)
    i32.const 0
    local.get 0
    ref.cast (ref 16)
    struct.get 16 2
    ref.cast (ref $ft)
    call $asyncify.run.0
  )
  (func $asyncify_trap:_null_continuation_reference (;11;) (type 10)
    unreachable
  )
  (func $asyncify_trap:_continuation_already_consumed (;12;) (type 10)
    unreachable
  )
  (func $asyncify.enter_cap.1 (;13;) (type 12) (param i32) (param (ref struct)) (result i32)
    (local $bottom (ref null 16))
    local.get 0
    global.set $asyncify.slot.i32.0
    i32.const 2
    global.set $asyncify.state
    local.get 1
    ref.cast (ref 17)
    struct.get 17 2
    global.set $asyncify.frames
    global.get $asyncify.frames
    ref.cast (ref 16)
    local.tee $bottom
    struct.get 16 0
    global.set $asyncify.frames
    local.get $bottom
    ref.as_non_null
    local.get $bottom
    struct.get 16 1
    call_ref 15
  )
)
