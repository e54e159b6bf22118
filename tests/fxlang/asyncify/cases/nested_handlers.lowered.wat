(module
  (type $ft (;0;) (func (result i32)))
  (type $ct (;1;) (sub (struct (field (mut i32)) (field funcref))))
  (type $fi (;2;) (func (param i32) (result i32)))
  (type $ci (;3;) (sub (struct (field (mut i32)) (field funcref))))
  (type (;4;) (func (param i32)))
  (type (;5;) (func (result i32 (ref $ci))))
  (rec
    (type $asyncify.Frame (;6;) (sub (struct (field (mut (ref null $asyncify.Frame))))))
  )
  (type $asyncify.Handlers (;7;) (array (mut i32)))
  (type $asyncify.Empty (;8;) (struct))
  (type (;9;) (array i32))
  (type (;10;) (func (param i32 i32) (result i32)))
  (type (;11;) (func))
  (type $asyncify.frame.leaf (;12;) (sub final $asyncify.Frame (struct (field (mut (ref null $asyncify.Frame))) (field i32) (field i32) (field i32) (field i32))))
  (type (;13;) (func (param (ref struct)) (result i32)))
  (type (;14;) (sub final $ct (struct (field (mut i32)) (field funcref) (field (ref $ft)))))
  (type (;15;) (func (param (ref $ft)) (result i32)))
  (type (;16;) (func (param (ref $asyncify.Frame)) (result i32)))
  (type (;17;) (sub final $asyncify.Frame (struct (field (mut (ref null $asyncify.Frame))) (field (ref 16)) (field funcref))))
  (type (;18;) (func (param i32 (ref struct)) (result i32)))
  (type (;19;) (sub final $ci (struct (field (mut i32)) (field funcref) (field (ref null $asyncify.Frame)))))
  (type (;20;) (func (result i32 (ref null $ci))))
  (type $asyncify.frame.middle (;21;) (sub final $asyncify.Frame (struct (field (mut (ref null $asyncify.Frame))) (field i32))))
  (type $asyncify.frame.via_ref (;22;) (sub final $asyncify.Frame (struct (field (mut (ref null $asyncify.Frame))) (field i32) (field (ref null $ft)))))
  (type $"asyncify.frame.function 3" (;23;) (sub final $asyncify.Frame (struct (field (mut (ref null $asyncify.Frame))) (field i32) (field i32) (field i32))))
  (tag $outer (;0;) (type 4) (param i32))
  (tag $inner (;1;) (type 11))
  (tag $stop (;2;) (type 4) (param i32))
  (global $asyncify.state (;0;) (mut i32) i32.const 0)
  (global $asyncify.frames (;1;) (mut (ref null $asyncify.Frame)) ref.null $asyncify.Frame)
  (global $asyncify.handlers (;2;) (mut (ref $asyncify.Handlers)) i32.const 16 array.new_default $asyncify.Handlers)
  (global $asyncify.depth (;3;) (mut i32) i32.const 0)
  (global $asyncify.target (;4;) (mut i32) i32.const 0)
  (global $asyncify.code (;5;) (mut i32) i32.const 0)
  (global $asyncify.exn (;6;) (mut exnref) ref.null exn)
  (global $asyncify.switch (;7;) (mut structref) ref.null struct)
  (global $asyncify.slot.i32.0 (;8;) (mut i32) i32.const 0)
  (export "main" (func $asyncify.host_entry.main))
  (elem (;0;) declare func $leaf $middle $via_ref)
  (elem (;1;) declare func $asyncify.enter_new.1 $asyncify.rewind.0 $asyncify.enter_cap.3)
  (func $leaf (;0;) (type $ft) (result i32)
    (local $t i32) (local $asyncify.rp i32) (local i32 i32) (local $asyncify.spill i32) (local i32 i32 i32) (local $"#local8 asyncify.spill" (@name "asyncify.spill") i32) (local i32 i32) (local $asyncify.frame (ref null $asyncify.frame.leaf))
    global.get $asyncify.state
    i32.const 2
    i32.eq
    if $caught
      global.get $asyncify.frames
      ref.cast (ref $asyncify.frame.leaf)
      local.tee $asyncify.frame
      struct.get $asyncify.frame.leaf 0
      global.set $asyncify.frames
      local.get $asyncify.frame
      struct.get $asyncify.frame.leaf 2
      local.set $asyncify.spill
      local.get $asyncify.frame
      struct.get $asyncify.frame.leaf 3
      local.set $t
      local.get $asyncify.frame
      struct.get $asyncify.frame.leaf 4
      local.set $"#local8 asyncify.spill"
      local.get $asyncify.frame
      struct.get $asyncify.frame.leaf 1
      local.set $asyncify.rp
    end
    block ;; label = @1
      block (result i32) ;; label = @2
        block ;; label = @3
          local.get $asyncify.rp
          if ;; label = @4
            local.get $asyncify.rp
            i32.const 1
            i32.le_u
            if ;; label = @5
              i32.const 0
              local.set $asyncify.rp
              br 2 (;@3;)
            end
            local.get $asyncify.rp
            i32.const 2
            i32.le_u
            if ;; label = @5
              i32.const 0
              local.set $asyncify.rp
              i32.const 0
              br 3 (;@2;)
            end
            br 3 (;@1;)
          end
        end
        global.get $asyncify.state
        i32.const 2
        i32.eq
        if (result i32) ;; label = @3
          i32.const 0
          global.set $asyncify.state
          global.get $asyncify.exn
          ref.is_null
          i32.eqz
          if ;; label = @4
            global.get $asyncify.exn
            ref.null exn
            global.set $asyncify.exn
            throw_ref
          end
          global.get $asyncify.slot.i32.0
        else
          i32.const 1
          call $asyncify.find
          local.tee 2
          i32.const 0
          i32.lt_s
          if ;; label = @4
            local.get 2
            i32.const -1
            i32.eq
            if ;; label = @5
              call $"asyncify trap: unhandled tag $inner"
            end
            call $"asyncify trap: suspension across barrier"
          end
          local.get 2
          global.set $asyncify.target
          i32.const 1
          global.set $asyncify.code
          i32.const 1
          global.set $asyncify.state
          global.get $asyncify.frames
          i32.const 1
          i32.const 0
          i32.const 0
          i32.const 0
          struct.new $asyncify.frame.leaf
          global.set $asyncify.frames
          i32.const 0
          return
        end
        local.set $t
        local.get $t
        i32.const 7
        local.set 3
        local.set $asyncify.spill
        local.get 3
      end
      global.get $asyncify.state
      i32.const 2
      i32.eq
      if (type $fi) (param i32) (result i32) ;; label = @2
        drop
        i32.const 0
        global.set $asyncify.state
        global.get $asyncify.exn
        ref.is_null
        i32.eqz
        if ;; label = @3
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
        local.tee 5
        i32.const 0
        i32.lt_s
        if ;; label = @3
          local.get 5
          i32.const -1
          i32.eq
          if ;; label = @4
            call $"asyncify trap: unhandled tag $outer"
          end
          call $"asyncify trap: suspension across barrier"
        end
        local.get 5
        global.set $asyncify.target
        i32.const 0
        global.set $asyncify.code
        i32.const 1
        global.set $asyncify.state
        global.get $asyncify.frames
        i32.const 2
        local.get $asyncify.spill
        i32.const 0
        i32.const 0
        struct.new $asyncify.frame.leaf
        global.set $asyncify.frames
        i32.const 0
        return
      end
      local.set 6
      local.get $asyncify.spill
      local.get 6
      i32.add
      local.set $t
    end
    block (result i32) ;; label = @1
      block ;; label = @2
        local.get $asyncify.rp
        if ;; label = @3
          br 1 (;@2;)
        end
      end
      try_table (catch $stop 0 (;@1;)) ;; label = @2
        block (result i32) ;; label = @3
          local.get $asyncify.rp
          if ;; label = @4
            i32.const 0
            local.set $asyncify.rp
            i32.const 0
            br 1 (;@3;)
          end
          local.get $t
          i32.const 8
          local.set 7
          local.set $"#local8 asyncify.spill"
          local.get 7
        end
        global.get $asyncify.state
        i32.const 2
        i32.eq
        if (type $fi) (param i32) (result i32) ;; label = @3
          drop
          i32.const 0
          global.set $asyncify.state
          global.get $asyncify.exn
          ref.is_null
          i32.eqz
          if ;; label = @4
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
          local.tee 9
          i32.const 0
          i32.lt_s
          if ;; label = @4
            local.get 9
            i32.const -1
            i32.eq
            if ;; label = @5
              call $"asyncify trap: unhandled tag $outer"
            end
            call $"asyncify trap: suspension across barrier"
          end
          local.get 9
          global.set $asyncify.target
          i32.const 0
          global.set $asyncify.code
          i32.const 1
          global.set $asyncify.state
          global.get $asyncify.frames
          i32.const 3
          i32.const 0
          local.get $t
          local.get $"#local8 asyncify.spill"
          struct.new $asyncify.frame.leaf
          global.set $asyncify.frames
          i32.const 0
          return
        end
        local.set 10
        local.get $"#local8 asyncify.spill"
        local.get 10
        i32.add
        local.set $t
      end
      local.get $t
      return
    end
    drop
    local.get $t
    i32.const 10000
    i32.add
  )
  (func $middle (;1;) (type $ft) (result i32)
    (local $k (ref null $ci)) (local $asyncify.rp i32) (local (ref null $ft)) (local $asyncify.hd i32) (local i32 (ref null $ct) (ref null 17) i32 (ref null $ci) i32 (ref null 17)) (local $asyncify.frame (ref null $asyncify.frame.middle))
    global.get $asyncify.state
    i32.const 2
    i32.eq
    if $h
      global.get $asyncify.frames
      ref.cast (ref $asyncify.frame.middle)
      local.tee $asyncify.frame
      struct.get $asyncify.frame.middle 0
      global.set $asyncify.frames
      local.get $asyncify.frame
      struct.get $asyncify.frame.middle 1
      local.set $asyncify.rp
    end
    block $h2
      block ;; label = @2
        local.get $asyncify.rp
        if ;; label = @3
          local.get $asyncify.rp
          i32.const 1
          i32.le_u
          if ;; label = @4
            br 2 (;@2;)
          end
          br $h2
        end
      end
      block (result (ref $ci)) ;; label = @2
        block (result (ref $ct)) ;; label = @3
          local.get $asyncify.rp
          if ;; label = @4
            i32.const 0
            local.set $asyncify.rp
            struct.new_default $ct
            br 1 (;@3;)
          end
          ref.func $leaf
          local.tee 2
          ref.is_null
          if ;; label = @4
            call $"asyncify trap: null function reference"
          end
          i32.const 0
          ref.func $asyncify.enter_new.1
          local.get 2
          ref.as_non_null
          struct.new 14
        end
        local.set 5
        i32.const 1
        local.set 4
        block (result i32) ;; label = @3
          block (result exnref) ;; label = @4
            loop ;; label = @5
              try_table (result i32) (catch_all_ref 1 (;@4;)) ;; label = @6
                global.get $asyncify.depth
                local.set $asyncify.hd
                i32.const 2
                call $asyncify.push
                local.get 4
                if (result i32) ;; label = @7
                  global.get $asyncify.state
                  i32.const 2
                  i32.eq
                  if (result i32) ;; label = @8
                    global.get $asyncify.frames
                    ref.cast (ref 17)
                    local.tee 6
                    struct.get 17 0
                    global.set $asyncify.frames
                    local.get 6
                    ref.as_non_null
                    local.get 6
                    struct.get 17 1
                    call_ref 16
                  else
                    local.get 5
                    ref.is_null
                    if ;; label = @9
                      call $"asyncify trap: null continuation reference"
                    end
                    local.get 5
                    struct.get $ct 0
                    if ;; label = @9
                      call $"asyncify trap: continuation already consumed"
                    end
                    local.get 5
                    i32.const 1
                    struct.set $ct 0
                    local.get 5
                    ref.as_non_null
                    local.get 5
                    struct.get $ct 1
                    ref.cast (ref 13)
                    call_ref 13
                  end
                else
                  unreachable
                end
              end
              global.get $asyncify.state
              if (type $fi) (param i32) (result i32) ;; label = @6
                drop
                global.get $asyncify.target
                local.get $asyncify.hd
                i32.eq
                if ;; label = @7
                  local.get $asyncify.hd
                  global.set $asyncify.depth
                  i32.const 0
                  global.set $asyncify.state
                  global.get $asyncify.code
                  i32.const 1
                  i32.eq
                  if ;; label = @8
                    i32.const 0
                    ref.func $asyncify.enter_cap.3
                    global.get $asyncify.frames
                    struct.new 19
                    ref.null $asyncify.Frame
                    global.set $asyncify.frames
                    br 6 (;@2;)
                  end
                  unreachable
                end
                local.get $asyncify.hd
                global.set $asyncify.depth
                global.get $asyncify.frames
                i32.const 1
                struct.new $asyncify.frame.middle
                global.set $asyncify.frames
                i32.const 0
                return
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
        i32.const 2
        i32.mul
        return
      end
      local.set $k
    end
    block (result (ref $ci)) ;; label = @1
      block (type 20) (result i32 (ref null $ci)) ;; label = @2
        local.get $asyncify.rp
        if ;; label = @3
          i32.const 0
          local.set $asyncify.rp
          i32.const 0
          ref.null $ci
          br 1 (;@2;)
        end
        i32.const 3
        local.get $k
      end
      local.set 8
      local.set 9
      i32.const 1
      local.set 7
      block (result i32) ;; label = @2
        block (result exnref) ;; label = @3
          loop ;; label = @4
            try_table (result i32) (catch_all_ref 1 (;@3;)) ;; label = @5
              global.get $asyncify.depth
              local.set $asyncify.hd
              i32.const 3
              call $asyncify.push
              local.get 7
              if (result i32) ;; label = @6
                global.get $asyncify.state
                i32.const 2
                i32.eq
                if (result i32) ;; label = @7
                  global.get $asyncify.frames
                  ref.cast (ref 17)
                  local.tee 10
                  struct.get 17 0
                  global.set $asyncify.frames
                  local.get 10
                  ref.as_non_null
                  local.get 10
                  struct.get 17 1
                  call_ref 16
                else
                  local.get 8
                  ref.is_null
                  if ;; label = @8
                    call $"asyncify trap: null continuation reference"
                  end
                  local.get 8
                  struct.get $ci 0
                  if ;; label = @8
                    call $"asyncify trap: continuation already consumed"
                  end
                  local.get 8
                  i32.const 1
                  struct.set $ci 0
                  local.get 9
                  local.get 8
                  ref.as_non_null
                  local.get 8
                  struct.get $ci 1
                  ref.cast (ref 18)
                  call_ref 18
                end
              else
                unreachable
              end
            end
            global.get $asyncify.state
            if (type $fi) (param i32) (result i32) ;; label = @5
              drop
              global.get $asyncify.target
              local.get $asyncify.hd
              i32.eq
              if ;; label = @6
                local.get $asyncify.hd
                global.set $asyncify.depth
                i32.const 0
                global.set $asyncify.state
                global.get $asyncify.code
                i32.const 1
                i32.eq
                if ;; label = @7
                  i32.const 0
                  ref.func $asyncify.enter_cap.3
                  global.get $asyncify.frames
                  struct.new 19
                  ref.null $asyncify.Frame
                  global.set $asyncify.frames
                  br 6 (;@1;)
                end
                unreachable
              end
              local.get $asyncify.hd
              global.set $asyncify.depth
              global.get $asyncify.frames
              i32.const 2
              struct.new $asyncify.frame.middle
              global.set $asyncify.frames
              i32.const 0
              return
            end
            local.get $asyncify.hd
            global.set $asyncify.depth
            br 2 (;@2;)
          end
          unreachable
        end
        local.get $asyncify.hd
        global.set $asyncify.depth
        throw_ref
      end
      i32.const 2
      i32.mul
      return
    end
    drop
    i32.const -5
  )
  (func $via_ref (;2;) (type $ft) (result i32)
    (local $asyncify.rp i32) (local $asyncify.callee (ref null $ft)) (local (ref null $ft)) (local $asyncify.frame (ref null $asyncify.frame.via_ref))
    global.get $asyncify.state
    i32.const 2
    i32.eq
    if ;; label = @1
      global.get $asyncify.frames
      ref.cast (ref $asyncify.frame.via_ref)
      local.tee $asyncify.frame
      struct.get $asyncify.frame.via_ref 0
      global.set $asyncify.frames
      local.get $asyncify.frame
      struct.get $asyncify.frame.via_ref 2
      local.set $asyncify.callee
      local.get $asyncify.frame
      struct.get $asyncify.frame.via_ref 1
      local.set $asyncify.rp
    end
    block (result (ref $ft)) ;; label = @1
      local.get $asyncify.rp
      if ;; label = @2
        i32.const 0
        local.set $asyncify.rp
        local.get $asyncify.callee
        ref.as_non_null
        br 1 (;@1;)
      end
      ref.func $middle
      local.set $asyncify.callee
      local.get $asyncify.callee
      ref.as_non_null
    end
    call_ref $ft
    global.get $asyncify.state
    if (type $fi) (param i32) (result i32) ;; label = @1
      drop
      global.get $asyncify.frames
      i32.const 1
      local.get $asyncify.callee
      struct.new $asyncify.frame.via_ref
      global.set $asyncify.frames
      i32.const 0
      return
    end
  )
  (func (;3;) (type $ft) (result i32)
    (local $k (ref null $ci)) (local $seen i32) (local $asyncify.rp i32) (local (ref null $ft)) (local $asyncify.hd i32) (local i32 (ref null $ct) (ref null 17) i32 (ref null $ci) i32 (ref null 17) i32 (ref null $ci)) (local $asyncify.spill i32) (local i32 (ref null $ci) i32 (ref null 17) i32) (local $asyncify.frame (ref null $"asyncify.frame.function 3"))
    global.get $asyncify.state
    i32.const 2
    i32.eq
    if $h
      global.get $asyncify.frames
      ref.cast (ref $"asyncify.frame.function 3")
      local.tee $asyncify.frame
      struct.get $"asyncify.frame.function 3" 0
      global.set $asyncify.frames
      local.get $asyncify.frame
      struct.get $"asyncify.frame.function 3" 2
      local.set $seen
      local.get $asyncify.frame
      struct.get $"asyncify.frame.function 3" 3
      local.set $asyncify.spill
      local.get $asyncify.frame
      struct.get $"asyncify.frame.function 3" 1
      local.set $asyncify.rp
    end
    block $h2 (type 20) (result i32 (ref null $ci))
      block ;; label = @2
        block ;; label = @3
          local.get $asyncify.rp
          if ;; label = @4
            local.get $asyncify.rp
            i32.const 1
            i32.le_u
            if ;; label = @5
              br 2 (;@3;)
            end
            local.get $asyncify.rp
            i32.const 2
            i32.le_u
            if ;; label = @5
              br 3 (;@2;)
            end
            i32.const 0
            local.set $asyncify.rp
            i32.const 0
            ref.null $ci
            br $h2
          end
        end
        block (type 5) (result i32 (ref $ci)) ;; label = @3
          block (result (ref $ct)) ;; label = @4
            local.get $asyncify.rp
            if ;; label = @5
              i32.const 0
              local.set $asyncify.rp
              struct.new_default $ct
              br 1 (;@4;)
            end
            ref.func $via_ref
            local.tee 3
            ref.is_null
            if ;; label = @5
              call $"asyncify trap: null function reference"
            end
            i32.const 0
            ref.func $asyncify.enter_new.1
            local.get 3
            ref.as_non_null
            struct.new 14
          end
          local.set 6
          i32.const 1
          local.set 5
          block (result i32) ;; label = @4
            block (result exnref) ;; label = @5
              loop ;; label = @6
                try_table (result i32) (catch_all_ref 1 (;@5;)) ;; label = @7
                  global.get $asyncify.depth
                  local.set $asyncify.hd
                  i32.const 4
                  call $asyncify.push
                  local.get 5
                  if (result i32) ;; label = @8
                    global.get $asyncify.state
                    i32.const 2
                    i32.eq
                    if (result i32) ;; label = @9
                      global.get $asyncify.frames
                      ref.cast (ref 17)
                      local.tee 7
                      struct.get 17 0
                      global.set $asyncify.frames
                      local.get 7
                      ref.as_non_null
                      local.get 7
                      struct.get 17 1
                      call_ref 16
                    else
                      local.get 6
                      ref.is_null
                      if ;; label = @10
                        call $"asyncify trap: null continuation reference"
                      end
                      local.get 6
                      struct.get $ct 0
                      if ;; label = @10
                        call $"asyncify trap: continuation already consumed"
                      end
                      local.get 6
                      i32.const 1
                      struct.set $ct 0
                      local.get 6
                      ref.as_non_null
                      local.get 6
                      struct.get $ct 1
                      ref.cast (ref 13)
                      call_ref 13
                    end
                  else
                    unreachable
                  end
                end
                global.get $asyncify.state
                if (type $fi) (param i32) (result i32) ;; label = @7
                  drop
                  global.get $asyncify.target
                  local.get $asyncify.hd
                  i32.eq
                  if ;; label = @8
                    local.get $asyncify.hd
                    global.set $asyncify.depth
                    i32.const 0
                    global.set $asyncify.state
                    global.get $asyncify.code
                    i32.const 0
                    i32.eq
                    if ;; label = @9
                      global.get $asyncify.slot.i32.0
                      i32.const 0
                      ref.func $asyncify.enter_cap.3
                      global.get $asyncify.frames
                      struct.new 19
                      ref.null $asyncify.Frame
                      global.set $asyncify.frames
                      br 6 (;@3;)
                    end
                    unreachable
                  end
                  local.get $asyncify.hd
                  global.set $asyncify.depth
                  global.get $asyncify.frames
                  i32.const 1
                  i32.const 0
                  i32.const 0
                  struct.new $"asyncify.frame.function 3"
                  global.set $asyncify.frames
                  i32.const 0
                  return
                end
                local.get $asyncify.hd
                global.set $asyncify.depth
                br 2 (;@4;)
              end
              unreachable
            end
            local.get $asyncify.hd
            global.set $asyncify.depth
            throw_ref
          end
          return
        end
        local.set $k
        local.set $seen
      end
      block (type 5) (result i32 (ref $ci)) ;; label = @2
        block (type 20) (result i32 (ref null $ci)) ;; label = @3
          local.get $asyncify.rp
          if ;; label = @4
            i32.const 0
            local.set $asyncify.rp
            i32.const 0
            ref.null $ci
            br 1 (;@3;)
          end
          i32.const 100
          local.get $k
        end
        local.set 9
        local.set 10
        i32.const 1
        local.set 8
        block (result i32) ;; label = @3
          block (result exnref) ;; label = @4
            loop ;; label = @5
              try_table (result i32) (catch_all_ref 1 (;@4;)) ;; label = @6
                global.get $asyncify.depth
                local.set $asyncify.hd
                i32.const 5
                call $asyncify.push
                local.get 8
                if (result i32) ;; label = @7
                  global.get $asyncify.state
                  i32.const 2
                  i32.eq
                  if (result i32) ;; label = @8
                    global.get $asyncify.frames
                    ref.cast (ref 17)
                    local.tee 11
                    struct.get 17 0
                    global.set $asyncify.frames
                    local.get 11
                    ref.as_non_null
                    local.get 11
                    struct.get 17 1
                    call_ref 16
                  else
                    local.get 9
                    ref.is_null
                    if ;; label = @9
                      call $"asyncify trap: null continuation reference"
                    end
                    local.get 9
                    struct.get $ci 0
                    if ;; label = @9
                      call $"asyncify trap: continuation already consumed"
                    end
                    local.get 9
                    i32.const 1
                    struct.set $ci 0
                    local.get 10
                    local.get 9
                    ref.as_non_null
                    local.get 9
                    struct.get $ci 1
                    ref.cast (ref 18)
                    call_ref 18
                  end
                else
                  unreachable
                end
              end
              global.get $asyncify.state
              if (type $fi) (param i32) (result i32) ;; label = @6
                drop
                global.get $asyncify.target
                local.get $asyncify.hd
                i32.eq
                if ;; label = @7
                  local.get $asyncify.hd
                  global.set $asyncify.depth
                  i32.const 0
                  global.set $asyncify.state
                  global.get $asyncify.code
                  i32.const 0
                  i32.eq
                  if ;; label = @8
                    global.get $asyncify.slot.i32.0
                    i32.const 0
                    ref.func $asyncify.enter_cap.3
                    global.get $asyncify.frames
                    struct.new 19
                    ref.null $asyncify.Frame
                    global.set $asyncify.frames
                    br 6 (;@2;)
                  end
                  unreachable
                end
                local.get $asyncify.hd
                global.set $asyncify.depth
                global.get $asyncify.frames
                i32.const 2
                local.get $seen
                i32.const 0
                struct.new $"asyncify.frame.function 3"
                global.set $asyncify.frames
                i32.const 0
                return
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
        return
      end
      local.set $k
      local.get $seen
      i32.const 10
      i32.mul
      i32.add
      local.set $seen
      local.get $seen
      i32.const 1
      local.get $k
      local.set 13
      local.set 12
      local.set $asyncify.spill
      local.get 12
      local.get 13
    end
    local.set 16
    local.set 17
    i32.const 1
    local.set 15
    block (result i32) ;; label = @1
      block (result exnref) ;; label = @2
        loop ;; label = @3
          try_table (result i32) (catch_all_ref 1 (;@2;)) ;; label = @4
            global.get $asyncify.depth
            local.set $asyncify.hd
            i32.const 6
            call $asyncify.push
            local.get 15
            if (result i32) ;; label = @5
              global.get $asyncify.state
              i32.const 2
              i32.eq
              if (result i32) ;; label = @6
                global.get $asyncify.frames
                ref.cast (ref 17)
                local.tee 18
                struct.get 17 0
                global.set $asyncify.frames
                local.get 18
                ref.as_non_null
                local.get 18
                struct.get 17 1
                call_ref 16
              else
                local.get 16
                ref.is_null
                if ;; label = @7
                  call $"asyncify trap: null continuation reference"
                end
                local.get 16
                struct.get $ci 0
                if ;; label = @7
                  call $"asyncify trap: continuation already consumed"
                end
                local.get 16
                i32.const 1
                struct.set $ci 0
                block (result exnref) ;; label = @7
                  try_table (catch_all_ref 0 (;@7;)) ;; label = @8
                    local.get 17
                    throw $stop
                  end
                  unreachable
                end
                global.set $asyncify.exn
                i32.const 0
                local.get 16
                ref.as_non_null
                local.get 16
                struct.get $ci 1
                ref.cast (ref 18)
                call_ref 18
              end
            else
              unreachable
            end
          end
          global.get $asyncify.state
          if (type $fi) (param i32) (result i32) ;; label = @4
            drop
            global.get $asyncify.target
            local.get $asyncify.hd
            i32.eq
            if ;; label = @5
              local.get $asyncify.hd
              global.set $asyncify.depth
              i32.const 0
              global.set $asyncify.state
              unreachable
            end
            local.get $asyncify.hd
            global.set $asyncify.depth
            global.get $asyncify.frames
            i32.const 3
            i32.const 0
            local.get $asyncify.spill
            struct.new $"asyncify.frame.function 3"
            global.set $asyncify.frames
            i32.const 0
            return
          end
          local.get $asyncify.hd
          global.set $asyncify.depth
          br 2 (;@1;)
        end
        unreachable
      end
      local.get $asyncify.hd
      global.set $asyncify.depth
      throw_ref
    end
    local.set 19
    local.get $asyncify.spill
    local.get 19
    i32.add
  )
  (func $asyncify.push (;4;) (type 4) (param i32)
    (local $grown (ref null $asyncify.Handlers))
    global.get $asyncify.depth
    global.get $asyncify.handlers
    array.len
    i32.eq
    if ;; label = @1
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
  (func $asyncify.handles (;5;) (type 10) (param i32 i32) (result i32)
    block ;; label = @1
      block ;; label = @2
        block ;; label = @3
          block ;; label = @4
            block ;; label = @5
              block ;; label = @6
                block ;; label = @7
                  block ;; label = @8
                    local.get 0
                    br_table 7 (;@1;) 6 (;@2;) 5 (;@3;) 4 (;@4;) 3 (;@5;) 2 (;@6;) 1 (;@7;) 0 (;@8;)
                  end
                  i32.const 0
                  return
                end
                i32.const 0
                return
              end
              local.get 1
              i32.const 0
              i32.eq
              if ;; label = @6
                i32.const 1
                return
              end
              i32.const 0
              return
            end
            local.get 1
            i32.const 0
            i32.eq
            if ;; label = @5
              i32.const 1
              return
            end
            i32.const 0
            return
          end
          local.get 1
          i32.const 1
          i32.eq
          if ;; label = @4
            i32.const 1
            return
          end
          i32.const 0
          return
        end
        local.get 1
        i32.const 1
        i32.eq
        if ;; label = @3
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
  (func $asyncify.find (;6;) (type $fi) (param i32) (result i32)
    (local $depth i32) (local $site i32)
    global.get $asyncify.depth
    local.set $depth
    loop ;; label = @1
      local.get $depth
      i32.eqz
      if ;; label = @2
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
      if ;; label = @2
        local.get $site
        i32.const 2
        i32.sub
        return
      end
      local.get $site
      local.get 0
      call $asyncify.handles
      if ;; label = @2
        local.get $depth
        return
      end
      br 0 (;@1;)
    end
    unreachable
  )
  (func $"asyncify trap: unhandled tag $inner" (;7;) (type 11)
    unreachable
  )
  (func $"asyncify trap: suspension across barrier" (;8;) (type 11)
    unreachable
  )
  (func $"asyncify trap: unhandled tag $outer" (;9;) (type 11)
    unreachable
  )
  (func $"asyncify trap: null function reference" (;10;) (type 11)
    unreachable
  )
  (func $asyncify.enter_new.1 (;11;) (type 13) (param (ref struct)) (result i32)
    global.get $asyncify.exn
    ref.is_null
    i32.eqz
    if ;; label = @1
      global.get $asyncify.exn
      ref.null exn
      global.set $asyncify.exn
      throw_ref
    end
    local.get 0
    ref.cast (ref 14)
    struct.get 14 2
    call $asyncify.run.0
  )
  (func $asyncify.run.0 (;12;) (type 15) (param (ref $ft)) (result i32)
    local.get 0
    call_ref $ft
    global.get $asyncify.state
    if (type $fi) (param i32) (result i32) ;; label = @1
      global.get $asyncify.frames
      ref.func $asyncify.rewind.0
      local.get 0
      struct.new 17
      global.set $asyncify.frames
    end
  )
  (func $asyncify.rewind.0 (;13;) (type 16) (param (ref $asyncify.Frame)) (result i32)
    local.get 0
    ref.cast (ref 17)
    struct.get 17 2
    ref.cast (ref $ft)
    call $asyncify.run.0
  )
  (func $"asyncify trap: null continuation reference" (;14;) (type 11)
    unreachable
  )
  (func $"asyncify trap: continuation already consumed" (;15;) (type 11)
    unreachable
  )
  (func $asyncify.enter_cap.3 (;16;) (type 18) (param i32 (ref struct)) (result i32)
    (local $bottom (ref null 17))
    local.get 0
    global.set $asyncify.slot.i32.0
    i32.const 2
    global.set $asyncify.state
    local.get 1
    ref.cast (ref 19)
    struct.get 19 2
    global.set $asyncify.frames
    global.get $asyncify.frames
    ref.cast (ref 17)
    local.tee $bottom
    struct.get 17 0
    global.set $asyncify.frames
    local.get $bottom
    ref.as_non_null
    local.get $bottom
    struct.get 17 1
    call_ref 16
  )
  (func $asyncify.host_entry.main (;17;) (type $ft) (result i32)
    (local $saved i32)
    global.get $asyncify.depth
    local.set $saved
    i32.const 1
    call $asyncify.push
    block (result exnref) ;; label = @1
      try_table (type $ft) (result i32) (catch_all_ref 0 (;@1;)) ;; label = @2
        call 3
      end
      local.get $saved
      global.set $asyncify.depth
      return
    end
    local.get $saved
    global.set $asyncify.depth
    throw_ref
  )
)
