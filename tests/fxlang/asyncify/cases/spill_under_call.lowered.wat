(module
  (type $ft (;0;) (func (result i32)))
  (type $ct (;1;) (sub (struct (field (mut i32)) (field funcref))))
  (type $ft1 (;2;) (func (param i32) (result i32)))
  (type $ct1 (;3;) (sub (struct (field (mut i32)) (field funcref))))
  (type (;4;) (func (param i32 i32) (result i32)))
  (rec
    (type $asyncify.Frame (;5;) (sub (struct (field (mut (ref null $asyncify.Frame))))))
  )
  (type $asyncify.Handlers (;6;) (array (mut i32)))
  (type $asyncify.Empty (;7;) (struct))
  (type (;8;) (array i32))
  (type (;9;) (func (param i32)))
  (type (;10;) (func))
  (type $asyncify.frame.ask (;11;) (sub final $asyncify.Frame (struct (field (mut (ref null $asyncify.Frame))) (field i32))))
  (type (;12;) (func (result i32 i32)))
  (type (;13;) (func (param i32 i32)))
  (type (;14;) (func (param i32 i32) (result i32 i32)))
  (type $asyncify.frame.body (;15;) (sub final $asyncify.Frame (struct (field (mut (ref null $asyncify.Frame))) (field i32) (field i32) (field i32) (field i32) (field i32) (field i32) (field i32))))
  (type (;16;) (func (param (ref struct)) (result i32)))
  (type (;17;) (sub final $ct (struct (field (mut i32)) (field funcref) (field (ref $ft)))))
  (type (;18;) (func (param (ref $ft)) (result i32)))
  (type (;19;) (func (param (ref $asyncify.Frame)) (result i32)))
  (type (;20;) (sub final $asyncify.Frame (struct (field (mut (ref null $asyncify.Frame))) (field (ref 19)) (field funcref))))
  (type (;21;) (func (param i32 (ref struct)) (result i32)))
  (type (;22;) (sub final $ct1 (struct (field (mut i32)) (field funcref) (field (ref null $asyncify.Frame)))))
  (tag $ask (;0;) (type 10))
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
  (elem (;0;) declare func $body)
  (elem (;1;) declare func $asyncify.enter_new.1 $asyncify.rewind.0 $asyncify.enter_cap.3)
  (func $ask (;0;) (type $ft) (result i32)
    (local $asyncify.rp i32) (local i32) (local $asyncify.frame (ref null $asyncify.frame.ask))
    global.get $asyncify.state
    i32.const 2
    i32.eq
    if ;; label = @1
      global.get $asyncify.frames
      ref.cast (ref $asyncify.frame.ask)
      local.tee $asyncify.frame
      struct.get $asyncify.frame.ask 0
      global.set $asyncify.frames
      local.get $asyncify.frame
      struct.get $asyncify.frame.ask 1
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
          call $"asyncify trap: unhandled tag $ask"
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
      struct.new $asyncify.frame.ask
      global.set $asyncify.frames
      i32.const 0
      return
    end
  )
  (func $body (;1;) (type $ft) (result i32)
    (local $acc i32) (local $asyncify.rp i32) (local $asyncify.spill i32) (local $"#local3 asyncify.spill" (@name "asyncify.spill") i32) (local i32) (local $"#local5 asyncify.spill" (@name "asyncify.spill") i32) (local $"#local6 asyncify.spill" (@name "asyncify.spill") i32) (local i32) (local $"#local8 asyncify.spill" (@name "asyncify.spill") i32) (local i32 i32) (local $"#local11 asyncify.spill" (@name "asyncify.spill") i32) (local i32) (local $asyncify.frame (ref null $asyncify.frame.body))
    global.get $asyncify.state
    i32.const 2
    i32.eq
    if ;; label = @1
      global.get $asyncify.frames
      ref.cast (ref $asyncify.frame.body)
      local.tee $asyncify.frame
      struct.get $asyncify.frame.body 0
      global.set $asyncify.frames
      local.get $asyncify.frame
      struct.get $asyncify.frame.body 2
      local.set $asyncify.spill
      local.get $asyncify.frame
      struct.get $asyncify.frame.body 3
      local.set $"#local3 asyncify.spill"
      local.get $asyncify.frame
      struct.get $asyncify.frame.body 4
      local.set $"#local5 asyncify.spill"
      local.get $asyncify.frame
      struct.get $asyncify.frame.body 5
      local.set $"#local6 asyncify.spill"
      local.get $asyncify.frame
      struct.get $asyncify.frame.body 6
      local.set $"#local8 asyncify.spill"
      local.get $asyncify.frame
      struct.get $asyncify.frame.body 7
      local.set $"#local11 asyncify.spill"
      local.get $asyncify.frame
      struct.get $asyncify.frame.body 1
      local.set $asyncify.rp
    end
    block (result i32) ;; label = @1
      block ;; label = @2
        block (type 12) (result i32 i32) ;; label = @3
          local.get $asyncify.rp
          if ;; label = @4
            local.get $asyncify.rp
            i32.const 2
            i32.le_u
            if ;; label = @5
              i32.const 0
              i32.const 0
              br 2 (;@3;)
            end
            local.get $asyncify.rp
            i32.const 3
            i32.le_u
            if ;; label = @5
              i32.const 0
              local.set $asyncify.rp
              br 3 (;@2;)
            end
            local.get $asyncify.rp
            i32.const 4
            i32.le_u
            br 3 (;@1;)
          end
          i32.const 100
          i32.const 20
        end
        block (type 4) (param i32 i32) (result i32) ;; label = @3
          block (type 13) (param i32 i32) ;; label = @4
            block (type 13) (param i32 i32) ;; label = @5
              local.get $asyncify.rp
              if (type 14) (param i32 i32) (result i32 i32) ;; label = @6
                drop
                drop
                local.get $asyncify.rp
                i32.const 1
                i32.le_u
                if ;; label = @7
                  i32.const 0
                  local.set $asyncify.rp
                  br 2 (;@5;)
                end
                i32.const 0
                local.set $asyncify.rp
                br 2 (;@4;)
              end
              local.set $"#local3 asyncify.spill"
              local.set $asyncify.spill
            end
            call $ask
            global.get $asyncify.state
            if (type $ft1) (param i32) (result i32) ;; label = @5
              drop
              global.get $asyncify.frames
              i32.const 1
              local.get $asyncify.spill
              local.get $"#local3 asyncify.spill"
              i32.const 0
              i32.const 0
              i32.const 0
              i32.const 0
              struct.new $asyncify.frame.body
              global.set $asyncify.frames
              i32.const 0
              return
            end
            local.set 4
            local.get $asyncify.spill
            local.get $"#local3 asyncify.spill"
            local.get 4
            i32.add
            local.set $"#local6 asyncify.spill"
            local.set $"#local5 asyncify.spill"
          end
          call $ask
          global.get $asyncify.state
          if (type $ft1) (param i32) (result i32) ;; label = @4
            drop
            global.get $asyncify.frames
            i32.const 2
            i32.const 0
            i32.const 0
            local.get $"#local5 asyncify.spill"
            local.get $"#local6 asyncify.spill"
            i32.const 0
            i32.const 0
            struct.new $asyncify.frame.body
            global.set $asyncify.frames
            i32.const 0
            return
          end
          local.set 7
          local.get $"#local5 asyncify.spill"
          local.get $"#local6 asyncify.spill"
          local.get 7
          i32.mul
          i32.add
        end
        local.set $acc
        local.get $acc
        local.set $"#local8 asyncify.spill"
      end
      call $ask
      global.get $asyncify.state
      if (type $ft1) (param i32) (result i32) ;; label = @2
        drop
        global.get $asyncify.frames
        i32.const 3
        i32.const 0
        i32.const 0
        i32.const 0
        i32.const 0
        local.get $"#local8 asyncify.spill"
        i32.const 0
        struct.new $asyncify.frame.body
        global.set $asyncify.frames
        i32.const 0
        return
      end
      local.set 9
      local.get $"#local8 asyncify.spill"
      local.get 9
      i32.const 1
      i32.and
      local.set 10
      local.set $"#local11 asyncify.spill"
      local.get 10
    end
    if (result i32) ;; label = @1
      block ;; label = @2
        local.get $asyncify.rp
        if ;; label = @3
          i32.const 0
          local.set $asyncify.rp
          br 1 (;@2;)
        end
      end
      call $ask
      global.get $asyncify.state
      if (type $ft1) (param i32) (result i32) ;; label = @2
        drop
        global.get $asyncify.frames
        i32.const 4
        i32.const 0
        i32.const 0
        i32.const 0
        i32.const 0
        i32.const 0
        local.get $"#local11 asyncify.spill"
        struct.new $asyncify.frame.body
        global.set $asyncify.frames
        i32.const 0
        return
      end
      i32.const 1000
      i32.mul
    else
      i32.const 5
    end
    local.set 12
    local.get $"#local11 asyncify.spill"
    local.get 12
    i32.add
  )
  (func (;2;) (type $ft) (result i32)
    (local $k (ref null $ct1)) (local $n i32) (local (ref null $ft)) (local $asyncify.hd i32) (local i32 (ref null $ct) i32 (ref null $ct1) i32)
    block $h (result (ref $ct1))
      ref.func $body
      local.tee 2
      ref.is_null
      if $l
        call $"asyncify trap: null function reference"
      end
      i32.const 0
      ref.func $asyncify.enter_new.1
      local.get 2
      ref.as_non_null
      struct.new 17
      local.set 5
      i32.const 1
      local.set 4
      block $h2 (result i32)
        block (result exnref) ;; label = @3
          loop ;; label = @4
            try_table (result i32) (catch_all_ref 1 (;@3;)) ;; label = @5
              global.get $asyncify.depth
              local.set $asyncify.hd
              i32.const 2
              call $asyncify.push
              local.get 4
              if (result i32) ;; label = @6
                local.get 5
                ref.is_null
                if ;; label = @7
                  call $"asyncify trap: null continuation reference"
                end
                local.get 5
                struct.get $ct 0
                if ;; label = @7
                  call $"asyncify trap: continuation already consumed"
                end
                local.get 5
                i32.const 1
                struct.set $ct 0
                local.get 5
                ref.as_non_null
                local.get 5
                struct.get $ct 1
                ref.cast (ref 16)
                call_ref 16
              else
                unreachable
              end
            end
            global.get $asyncify.state
            if (type $ft1) (param i32) (result i32) ;; label = @5
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
                  struct.new 22
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
            br $h2
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
    loop (result i32) ;; label = @1
      local.get $n
      i32.const 3
      i32.add
      local.set $n
      block (result (ref $ct1)) ;; label = @2
        local.get $n
        local.get $k
        local.set 7
        local.set 8
        i32.const 1
        local.set 6
        block (result i32) ;; label = @3
          block (result exnref) ;; label = @4
            loop ;; label = @5
              try_table (result i32) (catch_all_ref 1 (;@4;)) ;; label = @6
                global.get $asyncify.depth
                local.set $asyncify.hd
                i32.const 3
                call $asyncify.push
                local.get 6
                if (result i32) ;; label = @7
                  local.get 7
                  ref.is_null
                  if ;; label = @8
                    call $"asyncify trap: null continuation reference"
                  end
                  local.get 7
                  struct.get $ct1 0
                  if ;; label = @8
                    call $"asyncify trap: continuation already consumed"
                  end
                  local.get 7
                  i32.const 1
                  struct.set $ct1 0
                  local.get 8
                  local.get 7
                  ref.as_non_null
                  local.get 7
                  struct.get $ct1 1
                  ref.cast (ref 21)
                  call_ref 21
                else
                  unreachable
                end
              end
              global.get $asyncify.state
              if (type $ft1) (param i32) (result i32) ;; label = @6
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
                    struct.new 22
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
      br 0 (;@1;)
    end
  )
  (func $asyncify.push (;3;) (type 9) (param i32)
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
  (func $asyncify.handles (;4;) (type 4) (param i32 i32) (result i32)
    block ;; label = @1
      block ;; label = @2
        block ;; label = @3
          block ;; label = @4
            block ;; label = @5
              local.get 0
              br_table 4 (;@1;) 3 (;@2;) 2 (;@3;) 1 (;@4;) 0 (;@5;)
            end
            i32.const 0
            return
          end
          local.get 1
          i32.const 0
          i32.eq
          if ;; label = @4
            i32.const 1
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
  (func $asyncify.find (;5;) (type $ft1) (param i32) (result i32)
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
  (func $"asyncify trap: unhandled tag $ask" (;6;) (type 10)
    unreachable
  )
  (func $"asyncify trap: suspension across barrier" (;7;) (type 10)
    unreachable
  )
  (func $"asyncify trap: null function reference" (;8;) (type 10)
    unreachable
  )
  (func $asyncify.enter_new.1 (;9;) (type 16) (param (ref struct)) (result i32)
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
    ref.cast (ref 17)
    struct.get 17 2
    call $asyncify.run.0
  )
  (func $asyncify.run.0 (;10;) (type 18) (param (ref $ft)) (result i32)
    local.get 0
    call_ref $ft
    global.get $asyncify.state
    if (type $ft1) (param i32) (result i32) ;; label = @1
      global.get $asyncify.frames
      ref.func $asyncify.rewind.0
      local.get 0
      struct.new 20
      global.set $asyncify.frames
    end
  )
  (func $asyncify.rewind.0 (;11;) (type 19) (param (ref $asyncify.Frame)) (result i32)
    local.get 0
    ref.cast (ref 20)
    struct.get 20 2
    ref.cast (ref $ft)
    call $asyncify.run.0
  )
  (func $"asyncify trap: null continuation reference" (;12;) (type 10)
    unreachable
  )
  (func $"asyncify trap: continuation already consumed" (;13;) (type 10)
    unreachable
  )
  (func $asyncify.enter_cap.3 (;14;) (type 21) (param i32 (ref struct)) (result i32)
    (local $bottom (ref null 20))
    local.get 0
    global.set $asyncify.slot.i32.0
    i32.const 2
    global.set $asyncify.state
    local.get 1
    ref.cast (ref 22)
    struct.get 22 2
    global.set $asyncify.frames
    global.get $asyncify.frames
    ref.cast (ref 20)
    local.tee $bottom
    struct.get 20 0
    global.set $asyncify.frames
    local.get $bottom
    ref.as_non_null
    local.get $bottom
    struct.get 20 1
    call_ref 19
  )
)
