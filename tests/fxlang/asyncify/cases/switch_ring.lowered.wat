(module
  (rec
    (type $ft (;0;) (func (param i32 (ref null $ct)) (result i32)))
    (type $ct (;1;) (sub (struct (field (mut i32)) (field funcref))))
  )
  (type (;2;) (func (result i32)))
  (type (;3;) (func (param i32 i32 (ref null $ct)) (result i32)))
  (rec
    (type $asyncify.Frame (;4;) (sub (struct (field (mut (ref null $asyncify.Frame))))))
  )
  (type $asyncify.Handlers (;5;) (array (mut i32)))
  (type $asyncify.Empty (;6;) (struct))
  (type (;7;) (array i32))
  (type (;8;) (func (param i32)))
  (type (;9;) (func (param i32 i32) (result i32)))
  (type (;10;) (func (param i32) (result i32)))
  (type (;11;) (func (result i32 (ref null $ct))))
  (type (;12;) (func (param i32 (ref null $ct)) (result i32 (ref null $ct))))
  (type (;13;) (func (param (ref null $asyncify.Frame) (ref struct)) (result i32)))
  (type (;14;) (sub (struct (field (ref 13)))))
  (type (;15;) (sub final 14 (struct (field (ref 13)) (field (ref null $ct)) (field i32))))
  (type (;16;) (func))
  (type (;17;) (func (param i32 (ref null $ct) (ref struct)) (result i32)))
  (type (;18;) (func (param (ref $asyncify.Frame)) (result i32)))
  (type (;19;) (sub final $asyncify.Frame (struct (field (mut (ref null $asyncify.Frame))) (field (ref 18)) (field funcref))))
  (type (;20;) (sub final $ct (struct (field (mut i32)) (field funcref) (field (ref null $asyncify.Frame)))))
  (type $asyncify.frame.fiber (;21;) (sub final $asyncify.Frame (struct (field (mut (ref null $asyncify.Frame))) (field i32) (field i32))))
  (type (;22;) (func (result i32 i32 (ref null $ct))))
  (type $asyncify.frame.f1 (;23;) (sub final $asyncify.Frame (struct (field (mut (ref null $asyncify.Frame))) (field i32))))
  (type (;24;) (sub final $ct (struct (field (mut i32)) (field funcref) (field (ref $ft)))))
  (type (;25;) (func (param i32 (ref null $ct) (ref $ft)) (result i32)))
  (tag $sw (;0;) (type 16))
  (global $ring (;0;) (mut (ref null $ct)) ref.null $ct)
  (global $asyncify.state (;1;) (mut i32) i32.const 0)
  (global $asyncify.frames (;2;) (mut (ref null $asyncify.Frame)) ref.null $asyncify.Frame)
  (global $asyncify.handlers (;3;) (mut (ref $asyncify.Handlers)) i32.const 16 array.new_default $asyncify.Handlers)
  (global $asyncify.depth (;4;) (mut i32) i32.const 0)
  (global $asyncify.target (;5;) (mut i32) i32.const 0)
  (global $asyncify.code (;6;) (mut i32) i32.const 0)
  (global $asyncify.exn (;7;) (mut exnref) ref.null exn)
  (global $asyncify.switch (;8;) (mut structref) ref.null struct)
  (global $asyncify.slot.i32.0 (;9;) (mut i32) i32.const 0)
  (global $asyncify.slot.ref.1.0 (;10;) (mut (ref null $ct)) ref.null $ct)
  (export "main" (func 3))
  (elem (;0;) declare func $f1 $f2)
  (elem (;1;) declare func $asyncify.apply.1 $asyncify.enter_cap.1 $asyncify.enter_new.1 $asyncify.rewind.0)
  (func $fiber (;0;) (type 3) (param $id i32) (param $tok i32) (param $next (ref null $ct)) (result i32)
    (local $round i32) (local $asyncify.rp i32) (local (ref null $ct) i32 i32) (local $asyncify.frame (ref null $asyncify.frame.fiber))
    global.get $asyncify.state
    i32.const 2
    i32.eq
    if $l
      global.get $asyncify.frames
      ref.cast (ref $asyncify.frame.fiber)
      local.tee $asyncify.frame
      struct.get $asyncify.frame.fiber 0
      global.set $asyncify.frames
      local.get $asyncify.frame
      struct.get $asyncify.frame.fiber 2
      local.set $id
      local.get $asyncify.frame
      struct.get $asyncify.frame.fiber 1
      local.set $asyncify.rp
    end
    block ;; label = @1
      local.get $asyncify.rp
      if ;; label = @2
        br 1 (;@1;)
      end
    end
    loop ;; label = @1
      block (type 11) (result i32 (ref null $ct)) ;; label = @2
        local.get $asyncify.rp
        if ;; label = @3
          i32.const 0
          local.set $asyncify.rp
          i32.const 0
          ref.null $ct
          br 1 (;@2;)
        end
        local.get $tok
        local.get $id
        i32.add
        local.set $tok
        local.get $tok
        i32.const 200
        i32.ge_u
        if ;; label = @3
          local.get $tok
          return
        end
        local.get $tok
        local.get $next
      end
      global.get $asyncify.state
      i32.const 2
      i32.eq
      if (type 12) (param i32 (ref null $ct)) (result i32 (ref null $ct)) ;; label = @2
        drop
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
        global.get $asyncify.slot.ref.1.0
      else
        local.set 5
        local.set 6
        ref.func $asyncify.apply.1
        local.get 5
        local.get 6
        struct.new 15
        global.set $asyncify.switch
        i32.const 1
        call $asyncify.find
        local.tee 7
        i32.const 0
        i32.lt_s
        if ;; label = @3
          local.get 7
          i32.const -1
          i32.eq
          if ;; label = @4
            call $"asyncify trap: unhandled tag $sw"
          end
          call $"asyncify trap: suspension across barrier"
        end
        local.get 7
        global.set $asyncify.target
        i32.const 1
        global.set $asyncify.code
        i32.const 1
        global.set $asyncify.state
        global.get $asyncify.frames
        i32.const 1
        local.get $id
        struct.new $asyncify.frame.fiber
        global.set $asyncify.frames
        i32.const 0
        return
      end
      local.set $next
      local.set $tok
      br 0 (;@1;)
    end
    unreachable
  )
  (func $f1 (;1;) (type $ft) (param i32 (ref null $ct)) (result i32)
    (local $asyncify.rp i32) (local $asyncify.frame (ref null $asyncify.frame.f1))
    global.get $asyncify.state
    i32.const 2
    i32.eq
    if ;; label = @1
      global.get $asyncify.frames
      ref.cast (ref $asyncify.frame.f1)
      local.tee $asyncify.frame
      struct.get $asyncify.frame.f1 0
      global.set $asyncify.frames
      local.get $asyncify.frame
      struct.get $asyncify.frame.f1 1
      local.set $asyncify.rp
    end
    block (type 22) (result i32 i32 (ref null $ct)) ;; label = @1
      local.get $asyncify.rp
      if ;; label = @2
        i32.const 0
        local.set $asyncify.rp
        i32.const 0
        i32.const 0
        ref.null $ct
        br 1 (;@1;)
      end
      i32.const 1
      local.get 0
      local.get 1
    end
    call $fiber
    global.get $asyncify.state
    if (type 10) (param i32) (result i32) ;; label = @1
      drop
      global.get $asyncify.frames
      i32.const 1
      struct.new $asyncify.frame.f1
      global.set $asyncify.frames
      i32.const 0
      return
    end
  )
  (func $f2 (;2;) (type $ft) (param i32 (ref null $ct)) (result i32)
    (local $asyncify.rp i32) (local $asyncify.frame (ref null $asyncify.frame.f1))
    global.get $asyncify.state
    i32.const 2
    i32.eq
    if ;; label = @1
      global.get $asyncify.frames
      ref.cast (ref $asyncify.frame.f1)
      local.tee $asyncify.frame
      struct.get $asyncify.frame.f1 0
      global.set $asyncify.frames
      local.get $asyncify.frame
      struct.get $asyncify.frame.f1 1
      local.set $asyncify.rp
    end
    block (type 22) (result i32 i32 (ref null $ct)) ;; label = @1
      local.get $asyncify.rp
      if ;; label = @2
        i32.const 0
        local.set $asyncify.rp
        i32.const 0
        i32.const 0
        ref.null $ct
        br 1 (;@1;)
      end
      i32.const 2
      local.get 0
      local.get 1
    end
    call $fiber
    global.get $asyncify.state
    if (type 10) (param i32) (result i32) ;; label = @1
      drop
      global.get $asyncify.frames
      i32.const 1
      struct.new $asyncify.frame.f1
      global.set $asyncify.frames
      i32.const 0
      return
    end
  )
  (func (;3;) (type 2) (result i32)
    (local (ref null $ft) (ref null $ft)) (local $asyncify.hd i32) (local i32 (ref null $ct) i32 (ref null $ct))
    i32.const 0
    ref.func $f2
    local.tee 0
    ref.is_null
    if ;; label = @1
      call $"asyncify trap: null function reference"
    end
    i32.const 0
    ref.func $asyncify.enter_new.1
    local.get 0
    ref.as_non_null
    struct.new 24
    ref.func $f1
    local.tee 1
    ref.is_null
    if ;; label = @1
      call $"asyncify trap: null function reference"
    end
    i32.const 0
    ref.func $asyncify.enter_new.1
    local.get 1
    ref.as_non_null
    struct.new 24
    local.set 4
    local.set 6
    local.set 5
    i32.const 1
    local.set 3
    block (result i32) ;; label = @1
      block (result exnref) ;; label = @2
        loop ;; label = @3
          try_table (result i32) (catch_all_ref 1 (;@2;)) ;; label = @4
            global.get $asyncify.depth
            local.set $asyncify.hd
            i32.const 2
            call $asyncify.push
            local.get 3
            if (result i32) ;; label = @5
              local.get 4
              ref.is_null
              if ;; label = @6
                call $"asyncify trap: null continuation reference"
              end
              local.get 4
              struct.get $ct 0
              if ;; label = @6
                call $"asyncify trap: continuation already consumed"
              end
              local.get 4
              i32.const 1
              struct.set $ct 0
              local.get 5
              local.get 6
              local.get 4
              ref.as_non_null
              local.get 4
              struct.get $ct 1
              ref.cast (ref 17)
              call_ref 17
            else
              global.get $asyncify.frames
              ref.null $asyncify.Frame
              global.set $asyncify.frames
              global.get $asyncify.switch
              ref.as_non_null
              global.get $asyncify.switch
              ref.cast (ref 14)
              struct.get 14 0
              call_ref 13
            end
          end
          global.get $asyncify.state
          if (type 10) (param i32) (result i32) ;; label = @4
            drop
            global.get $asyncify.target
            local.get $asyncify.hd
            i32.eq
            if ;; label = @5
              local.get $asyncify.hd
              global.set $asyncify.depth
              i32.const 0
              global.set $asyncify.state
              global.get $asyncify.code
              i32.const 1
              i32.eq
              if ;; label = @6
                i32.const 0
                local.set 3
                br 3 (;@3;)
              end
              unreachable
            end
            unreachable
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
  )
  (func $asyncify.push (;4;) (type 8) (param i32)
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
  (func $asyncify.handles (;5;) (type 9) (param i32 i32) (result i32)
    block ;; label = @1
      block ;; label = @2
        block ;; label = @3
          block ;; label = @4
            local.get 0
            br_table 3 (;@1;) 2 (;@2;) 1 (;@3;) 0 (;@4;)
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
  (func $asyncify.find (;6;) (type 10) (param i32) (result i32)
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
  (func $asyncify.apply.1 (;7;) (type 13) (param (ref null $asyncify.Frame) (ref struct)) (result i32)
    (local $t (ref null 15)) (local $o (ref null $ct))
    local.get 1
    ref.cast (ref 15)
    local.tee $t
    struct.get 15 1
    local.set $o
    local.get $o
    ref.is_null
    if ;; label = @1
      call $"asyncify trap: null continuation reference"
    end
    local.get $o
    struct.get $ct 0
    if ;; label = @1
      call $"asyncify trap: continuation already consumed"
    end
    local.get $o
    i32.const 1
    struct.set $ct 0
    local.get $t
    struct.get 15 2
    i32.const 0
    ref.func $asyncify.enter_cap.1
    local.get 0
    struct.new 20
    local.get $o
    ref.as_non_null
    local.get $o
    struct.get $ct 1
    ref.cast (ref 17)
    call_ref 17
  )
  (func $"asyncify trap: null continuation reference" (;8;) (type 16)
    unreachable
  )
  (func $"asyncify trap: continuation already consumed" (;9;) (type 16)
    unreachable
  )
  (func $asyncify.enter_cap.1 (;10;) (type 17) (param i32 (ref null $ct) (ref struct)) (result i32)
    (local $bottom (ref null 19))
    local.get 0
    global.set $asyncify.slot.i32.0
    local.get 1
    global.set $asyncify.slot.ref.1.0
    i32.const 2
    global.set $asyncify.state
    local.get 2
    ref.cast (ref 20)
    struct.get 20 2
    global.set $asyncify.frames
    global.get $asyncify.frames
    ref.cast (ref 19)
    local.tee $bottom
    struct.get 19 0
    global.set $asyncify.frames
    local.get $bottom
    ref.as_non_null
    local.get $bottom
    struct.get 19 1
    call_ref 18
  )
  (func $"asyncify trap: unhandled tag $sw" (;11;) (type 16)
    unreachable
  )
  (func $"asyncify trap: suspension across barrier" (;12;) (type 16)
    unreachable
  )
  (func $"asyncify trap: null function reference" (;13;) (type 16)
    unreachable
  )
  (func $asyncify.enter_new.1 (;14;) (type 17) (param i32 (ref null $ct) (ref struct)) (result i32)
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
    local.get 1
    local.get 2
    ref.cast (ref 24)
    struct.get 24 2
    call $asyncify.run.0
  )
  (func $asyncify.run.0 (;15;) (type 25) (param i32 (ref null $ct) (ref $ft)) (result i32)
    local.get 0
    local.get 1
    local.get 2
    call_ref $ft
    global.get $asyncify.state
    if (type 10) (param i32) (result i32) ;; label = @1
      global.get $asyncify.frames
      ref.func $asyncify.rewind.0
      local.get 2
      struct.new 19
      global.set $asyncify.frames
    end
  )
  (func $asyncify.rewind.0 (;16;) (type 18) (param (ref $asyncify.Frame)) (result i32)
    i32.const 0
    ref.null $ct
    local.get 0
    ref.cast (ref 19)
    struct.get 19 2
    ref.cast (ref $ft)
    call $asyncify.run.0
  )
)
