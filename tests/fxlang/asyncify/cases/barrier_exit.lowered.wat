(module
  (type $ft (;0;) (func (result i32)))
  (type $ct (;1;) (sub (struct (field (mut i32)) (field funcref))))
  (type $fi (;2;) (func (param i32) (result i32)))
  (type $ci (;3;) (sub (struct (field (mut i32)) (field funcref))))
  (type $barrier (;4;) (func))
  (type $barrier_i32 (;5;) (func (result i32)))
  (rec
    (type $asyncify.Frame (;6;) (sub (struct (field (mut (ref null $asyncify.Frame))))))
  )
  (type $asyncify.Handlers (;7;) (array (mut i32)))
  (type $asyncify.Empty (;8;) (struct))
  (type (;9;) (array i32))
  (type (;10;) (func (param i32)))
  (type (;11;) (func (param i32 i32) (result i32)))
  (type $asyncify.frame.s (;12;) (sub final $asyncify.Frame (struct (field (mut (ref null $asyncify.Frame))) (field i32))))
  (type (;13;) (func (result i32 (ref null $ci))))
  (type (;14;) (func (param (ref struct)) (result i32)))
  (type (;15;) (sub final $ct (struct (field (mut i32)) (field funcref) (field (ref $ft)))))
  (type (;16;) (func (param (ref $ft)) (result i32)))
  (type (;17;) (func (param (ref $asyncify.Frame)) (result i32)))
  (type (;18;) (sub final $asyncify.Frame (struct (field (mut (ref null $asyncify.Frame))) (field (ref 17)) (field funcref))))
  (type (;19;) (func (param i32 (ref struct)) (result i32)))
  (type (;20;) (sub final $ci (struct (field (mut i32)) (field funcref) (field (ref null $asyncify.Frame)))))
  (tag $e (;0;) (type $barrier))
  (global $asyncify.state (;0;) (mut i32) i32.const 0)
  (global $asyncify.frames (;1;) (mut (ref null $asyncify.Frame)) ref.null $asyncify.Frame)
  (global $asyncify.handlers (;2;) (mut (ref $asyncify.Handlers)) i32.const 16 array.new_default $asyncify.Handlers)
  (global $asyncify.depth (;3;) (mut i32) i32.const 0)
  (global $asyncify.target (;4;) (mut i32) i32.const 0)
  (global $asyncify.code (;5;) (mut i32) i32.const 0)
  (global $asyncify.exn (;6;) (mut exnref) ref.null exn)
  (global $asyncify.switch (;7;) (mut structref) ref.null struct)
  (global $asyncify.slot.i32.0 (;8;) (mut i32) i32.const 0)
  (export "main" (func 2))
  (export "trap" (func 3))
  (elem (;0;) declare func $s $inside)
  (elem (;1;) declare func $crosses)
  (elem (;2;) declare func $asyncify.enter_new.1 $asyncify.rewind.0 $asyncify.enter_cap.3)
  (func $s (;0;) (type $ft) (result i32)
    (local $asyncify.rp i32) (local i32) (local $asyncify.frame (ref null $asyncify.frame.s))
    global.get $asyncify.state
    i32.const 2
    i32.eq
    if ;; label = @1
      global.get $asyncify.frames
      ref.cast (ref $asyncify.frame.s)
      local.tee $asyncify.frame
      struct.get $asyncify.frame.s 0
      global.set $asyncify.frames
      local.get $asyncify.frame
      struct.get $asyncify.frame.s 1
      local.set $asyncify.rp
    end
    block ;; label = @1
      local.get $asyncify.rp
      if ;; label = @2
        i32.const 0
        local.set $asyncify.rp
        br 1 (;@1;)
      end
    end
    global.get $asyncify.state
    i32.const 2
    i32.eq
    if (result i32) ;; label = @1
      i32.const 0
      global.set $asyncify.state
      global.get $asyncify.exn
      ref.is_null
      i32.eqz
      if ;; label = @2
        global.get $asyncify.exn
        ref.null exn
        global.set $asyncify.exn
        throw_ref
      end
      global.get $asyncify.slot.i32.0
    else
      i32.const 0
      call $asyncify.find
      local.tee 1
      i32.const 0
      i32.lt_s
      if ;; label = @2
        local.get 1
        i32.const -1
        i32.eq
        if ;; label = @3
          call $"asyncify trap: unhandled tag $e"
        end
        call $"asyncify trap: suspension across barrier"
      end
      local.get 1
      global.set $asyncify.target
      i32.const 0
      global.set $asyncify.code
      i32.const 1
      global.set $asyncify.state
      global.get $asyncify.frames
      i32.const 1
      struct.new $asyncify.frame.s
      global.set $asyncify.frames
      i32.const 0
      return
    end
  )
  (func $inside (;1;) (type $ft) (result i32)
    (local $k (ref null $ci)) (local $asyncify.rp i32) (local (ref null $ft)) (local $asyncify.hd i32) (local i32 (ref null $ct) i32 (ref null $ci) i32 (ref null 18)) (local $asyncify.frame (ref null $asyncify.frame.s))
    global.get $asyncify.state
    i32.const 2
    i32.eq
    if $h
      global.get $asyncify.frames
      ref.cast (ref $asyncify.frame.s)
      local.tee $asyncify.frame
      struct.get $asyncify.frame.s 0
      global.set $asyncify.frames
      local.get $asyncify.frame
      struct.get $asyncify.frame.s 1
      local.set $asyncify.rp
    end
    block (type 13) (result i32 (ref null $ci)) ;; label = @1
      local.get $asyncify.rp
      if ;; label = @2
        i32.const 0
        local.set $asyncify.rp
        i32.const 0
        ref.null $ci
        br 1 (;@1;)
      end
      block (result (ref $ci)) ;; label = @2
        ref.func $s
        local.tee 2
        ref.is_null
        if ;; label = @3
          call $"asyncify trap: null function reference"
        end
        i32.const 0
        ref.func $asyncify.enter_new.1
        local.get 2
        ref.as_non_null
        struct.new 15
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
                  local.get 5
                  ref.is_null
                  if ;; label = @8
                    call $"asyncify trap: null continuation reference"
                  end
                  local.get 5
                  struct.get $ct 0
                  if ;; label = @8
                    call $"asyncify trap: continuation already consumed"
                  end
                  local.get 5
                  i32.const 1
                  struct.set $ct 0
                  local.get 5
                  ref.as_non_null
                  local.get 5
                  struct.get $ct 1
                  ref.cast (ref 14)
                  call_ref 14
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
                    i32.const 0
                    ref.func $asyncify.enter_cap.3
                    global.get $asyncify.frames
                    struct.new 20
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
        return
      end
      local.set $k
      i32.const 41
      local.get $k
    end
    local.set 7
    local.set 8
    i32.const 1
    local.set 6
    block (result i32) ;; label = @1
      block (result exnref) ;; label = @2
        loop ;; label = @3
          try_table (result i32) (catch_all_ref 1 (;@2;)) ;; label = @4
            global.get $asyncify.depth
            local.set $asyncify.hd
            i32.const 3
            call $asyncify.push
            local.get 6
            if (result i32) ;; label = @5
              global.get $asyncify.state
              i32.const 2
              i32.eq
              if (result i32) ;; label = @6
                global.get $asyncify.frames
                ref.cast (ref 18)
                local.tee 9
                struct.get 18 0
                global.set $asyncify.frames
                local.get 9
                ref.as_non_null
                local.get 9
                struct.get 18 1
                call_ref 17
              else
                local.get 7
                ref.is_null
                if ;; label = @7
                  call $"asyncify trap: null continuation reference"
                end
                local.get 7
                struct.get $ci 0
                if ;; label = @7
                  call $"asyncify trap: continuation already consumed"
                end
                local.get 7
                i32.const 1
                struct.set $ci 0
                local.get 8
                local.get 7
                ref.as_non_null
                local.get 7
                struct.get $ci 1
                ref.cast (ref 19)
                call_ref 19
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
            i32.const 1
            struct.new $asyncify.frame.s
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
    i32.const 1
    i32.add
  )
  (func (;2;) (type $ft) (result i32)
    (local $i i32) (local $acc i32) (local $asyncify.barrier i32)
    loop $l
      block $out
        global.get $asyncify.depth
        local.set $asyncify.barrier
        i32.const 0
        call $asyncify.push
        block ;; label = @3
          block (result exnref) ;; label = @4
            try_table (catch_all_ref 0 (;@4;)) ;; label = @5
              local.get $i
              i32.const 1
              i32.and
              if ;; label = @6
                local.get $asyncify.barrier
                global.set $asyncify.depth
                br $out
              end
              local.get $acc
              call $inside
              i32.add
              local.set $acc
            end
            local.get $asyncify.barrier
            global.set $asyncify.depth
            br 1 (;@3;)
          end
          local.get $asyncify.barrier
          global.set $asyncify.depth
          throw_ref
        end
      end
      local.get $i
      i32.const 1
      i32.add
      local.set $i
      local.get $i
      i32.const 6
      i32.lt_u
      br_if $l
    end
    local.get $acc
  )
  (func (;3;) (type $ft) (result i32)
    (local (ref null $ft)) (local $asyncify.hd i32) (local i32 (ref null $ct))
    block $h (result (ref $ci))
      ref.func $crosses
      local.tee 0
      ref.is_null
      if ;; label = @2
        call $"asyncify trap: null function reference"
      end
      i32.const 0
      ref.func $asyncify.enter_new.1
      local.get 0
      ref.as_non_null
      struct.new 15
      local.set 3
      i32.const 1
      local.set 2
      block (result i32) ;; label = @2
        block (result exnref) ;; label = @3
          loop ;; label = @4
            try_table (result i32) (catch_all_ref 1 (;@3;)) ;; label = @5
              global.get $asyncify.depth
              local.set $asyncify.hd
              i32.const 4
              call $asyncify.push
              local.get 2
              if (result i32) ;; label = @6
                local.get 3
                ref.is_null
                if ;; label = @7
                  call $"asyncify trap: null continuation reference"
                end
                local.get 3
                struct.get $ct 0
                if ;; label = @7
                  call $"asyncify trap: continuation already consumed"
                end
                local.get 3
                i32.const 1
                struct.set $ct 0
                local.get 3
                ref.as_non_null
                local.get 3
                struct.get $ct 1
                ref.cast (ref 14)
                call_ref 14
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
                i32.const 0
                i32.eq
                if ;; label = @7
                  i32.const 0
                  ref.func $asyncify.enter_cap.3
                  global.get $asyncify.frames
                  struct.new 20
                  ref.null $asyncify.Frame
                  global.set $asyncify.frames
                  br $h
                end
                unreachable
              end
              unreachable
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
      return
    end
    drop
    i32.const -1
  )
  (func $crosses (;4;) (type $ft) (result i32)
    (local $asyncify.barrier i32)
    global.get $asyncify.depth
    local.set $asyncify.barrier
    i32.const 0
    call $asyncify.push
    block (result i32) ;; label = @1
      block (result exnref) ;; label = @2
        try_table (result i32) (catch_all_ref 0 (;@2;)) ;; label = @3
          call $s
        end
        local.get $asyncify.barrier
        global.set $asyncify.depth
        br 1 (;@1;)
      end
      local.get $asyncify.barrier
      global.set $asyncify.depth
      throw_ref
    end
  )
  (func $asyncify.push (;5;) (type 10) (param i32)
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
  (func $asyncify.handles (;6;) (type 11) (param i32 i32) (result i32)
    block ;; label = @1
      block ;; label = @2
        block ;; label = @3
          block ;; label = @4
            block ;; label = @5
              block ;; label = @6
                local.get 0
                br_table 5 (;@1;) 4 (;@2;) 3 (;@3;) 2 (;@4;) 1 (;@5;) 0 (;@6;)
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
          i32.const 0
          return
        end
        local.get 1
        i32.const 0
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
  (func $asyncify.find (;7;) (type $fi) (param i32) (result i32)
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
  (func $"asyncify trap: unhandled tag $e" (;8;) (type $barrier)
    unreachable
  )
  (func $"asyncify trap: suspension across barrier" (;9;) (type $barrier)
    unreachable
  )
  (func $"asyncify trap: null function reference" (;10;) (type $barrier)
    unreachable
  )
  (func $asyncify.enter_new.1 (;11;) (type 14) (param (ref struct)) (result i32)
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
    ref.cast (ref 15)
    struct.get 15 2
    call $asyncify.run.0
  )
  (func $asyncify.run.0 (;12;) (type 16) (param (ref $ft)) (result i32)
    local.get 0
    call_ref $ft
    global.get $asyncify.state
    if (type $fi) (param i32) (result i32) ;; label = @1
      global.get $asyncify.frames
      ref.func $asyncify.rewind.0
      local.get 0
      struct.new 18
      global.set $asyncify.frames
    end
  )
  (func $asyncify.rewind.0 (;13;) (type 17) (param (ref $asyncify.Frame)) (result i32)
    local.get 0
    ref.cast (ref 18)
    struct.get 18 2
    ref.cast (ref $ft)
    call $asyncify.run.0
  )
  (func $"asyncify trap: null continuation reference" (;14;) (type $barrier)
    unreachable
  )
  (func $"asyncify trap: continuation already consumed" (;15;) (type $barrier)
    unreachable
  )
  (func $asyncify.enter_cap.3 (;16;) (type 19) (param i32 (ref struct)) (result i32)
    (local $bottom (ref null 18))
    local.get 0
    global.set $asyncify.slot.i32.0
    i32.const 2
    global.set $asyncify.state
    local.get 1
    ref.cast (ref 20)
    struct.get 20 2
    global.set $asyncify.frames
    global.get $asyncify.frames
    ref.cast (ref 18)
    local.tee $bottom
    struct.get 18 0
    global.set $asyncify.frames
    local.get $bottom
    ref.as_non_null
    local.get $bottom
    struct.get 18 1
    call_ref 17
  )
)
