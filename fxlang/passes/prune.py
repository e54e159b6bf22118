"""Dead-code removal on a built module: keep what the exports can reach, drop the rest.

    prune(module) -> Module        a new module holding only the reachable functions, globals, tags and types

The code generator declares things as it meets them (every enum instance of the program, the wrapper of
every generator fn, runtime helpers, the `$str` array) without knowing whether the final code uses them;
this pass decides afterwards, on the module itself, so it knows nothing about fx.

Roots: the exports, the start function, every table, memory, element and data segment (kept whole: their
indices may be named by code in ways this pass does not follow, and fxlang emits few), every import other
than a function.  From a live function: the functions it calls or takes with `ref.func`, the globals, tags
and types its instructions name, its own type and its locals' types.  From a live global or tag: its type
and initialiser.  From a live type: the types it refers to (fields, parameters, supertypes, a `cont`'s
function type).  Imported functions nobody calls are dropped too.

A rec group loses its dead members too (fxlang declares all structs and enums in one group).  That changes
the group's identity, which is harmless unless the smaller group becomes the same type (by the spec's
structural equivalence) as another group of the module, merging types that were distinct: such groups are
kept whole (their members made live, and the search goes on from them) until no two groups coincide.

Everything kept is renumbered in its original order; instruction immediates, exports, element segments and
the name section follow.  Within live function bodies, instructions after an unconditional transfer (`br`,
`br_table`, `return`, `throw`, `throw_ref`, `unreachable`, `return_call*`) up to the end of their block are
dropped: the stack there is polymorphic, so the block's `end` validates without them.
"""

from __future__ import annotations

import operator

from fxlang.passes import register
from fxlang.wasm import opcodes
from fxlang.wasm.body import Instr
from fxlang.wasm.module import Element, Export, Import, Module, Table
from fxlang.wasm.types import (ArrayType, ContType, Field, FuncType, GlobalType, RecGroup, RefType, StructType, SubType,
                    TableType)

# immediate kinds that name something this pass renumbers or follows
_NAMING = frozenset({'type', 'func', 'global', 'tag', 'heap', 'bt', 'reftype', 'valtypes', 'catches', 'handlers'})
# op -> its immediate kinds when one of them names something, else None (most instructions: the fast path)
_NAMED = {}
for _name, _op in opcodes.OPS.items():
    _kinds = tuple(k for k in _op.kinds if k != 'castflags')
    _NAMED[_name] = _kinds if _NAMING.intersection(_kinds) else None
_CLOSERS = opcodes.END_OPS | opcodes.MIDDLE_OPS
_TERMINAL = frozenset({'br', 'br_table', 'return', 'throw', 'throw_ref', 'rethrow', 'unreachable',
                       'return_call', 'return_call_indirect', 'return_call_ref'})


@register('prune')
def prune(m: Module) -> Module:
    """Drop what the exports cannot reach.  Input: any valid module (built or read).  Output: a new module
    with the same imports (less unused functions), exports and behaviour, whose function-reference immediates
    are handles (so later passes may add imports); `m` is left as it was."""
    live = _Live(m)
    return _Rebuild(m, live).module


# ---- what is reachable ------------------------------------------------------------------------------

class _Live:
    def __init__(self, m: Module):
        self.m = m
        self.n_func_imports = m.imports.count('func')
        self.funcs: set[int] = set()
        self.globals: set[int] = set()
        self.tags: set[int] = set()
        self.types: set[int] = set()
        self._group_first: list[int] = []       # rec group number -> index of its first type
        n = 0
        for group in m.types.groups:
            self._group_first.append(n)
            n += len(group.types)
        self._work: list = []
        self._roots()
        self._settle()
        while True:
            whole = self._coinciding_groups()
            if not whole:
                break
            for gi in whole:
                first = self._group_first[gi]
                for t in range(first, first + len(m.types.groups[gi].types)):
                    self.type(t)
            self._settle()

    def _settle(self) -> None:
        while self._work:
            kind, idx = self._work.pop()
            getattr(self, '_visit_' + kind)(idx)

    def _coinciding_groups(self) -> set:
        """Groups that lost members and now equal another kept group.  Keys: the members with references
        inside the group as -1-position and outside it as the (new) index of the first group equal to the
        one referred to, as the spec's equivalence compares them."""
        new = {old: i for i, old in enumerate(sorted(self.types))}
        same: dict = {}          # new index -> new index of the same type in an earlier, equal group
        seen: dict = {}
        out = set()
        for gi, group in enumerate(self.m.types.groups):
            first = self._group_first[gi]
            members = [t for t in range(first, first + len(group.types)) if t in self.types]
            if not members:
                continue
            local = {t: k for k, t in enumerate(members)}

            def canon(t):
                return -1 - local[t] if t in local else same.get(new[t], new[t])
            key = tuple(_map_sub(self.m.types.defs[t], canon) for t in members)
            partial = len(members) < len(group.types)
            other = seen.get(key)
            if other is None:
                seen[key] = (gi, partial, members)
            elif partial or other[1]:
                out.update(g for g, p, _ in ((gi, partial, None), other) if p)
            else:
                for t, u in zip(members, other[2]):
                    same[new[t]] = same.get(new[u], new[u])
        return out

    # -- marking
    def func(self, idx) -> None:
        idx = operator.index(idx)
        if idx not in self.funcs:
            self.funcs.add(idx)
            self._work.append(('func', idx))

    def global_(self, idx) -> None:
        idx = operator.index(idx)
        if idx not in self.globals:
            self.globals.add(idx)
            self._work.append(('global', idx))

    def tag(self, idx) -> None:
        idx = operator.index(idx)
        if idx not in self.tags:
            self.tags.add(idx)
            self._work.append(('tag', idx))

    def type(self, idx) -> None:
        idx = operator.index(idx)
        if idx not in self.types:
            self.types.add(idx)
            self._work.append(('type', idx))

    def val(self, vt) -> None:
        if isinstance(vt, RefType) and isinstance(vt.heap, int):
            self.type(vt.heap)

    def code(self, instrs) -> None:
        named = _NAMED
        for ins in instrs or ():
            kinds = named[ins.op]
            if kinds is None:
                continue
            for kind, imm in zip(kinds, ins.imms):
                if kind == 'func':
                    self.func(imm)
                elif kind == 'global':
                    self.global_(imm)
                elif kind == 'tag':
                    self.tag(imm)
                elif kind == 'type':
                    self.type(imm)
                elif kind == 'heap':
                    if not isinstance(imm, str):
                        self.type(imm)
                elif kind == 'bt':
                    if isinstance(imm, int):
                        self.type(imm)
                    else:
                        self.val(imm)
                elif kind == 'reftype':
                    self.val(imm)
                elif kind == 'valtypes':
                    for t in imm:
                        self.val(t)
                elif kind in ('catches', 'handlers'):
                    for c in imm:
                        if c[0] in ('catch', 'catch_ref', 'on', 'switch'):
                            self.tag(c[1])

    # -- roots
    def _roots(self) -> None:
        m = self.m
        counts = {'func': 0, 'global': 0, 'tag': 0}
        for imp in m.imports:
            if imp.kind == 'global':
                self.global_(counts['global'])
            elif imp.kind == 'tag':
                self.tag(counts['tag'])
            elif imp.kind == 'table':
                self.val(imp.desc.elem)
            if imp.kind in counts:
                counts[imp.kind] += 1
        for e in m.exports:
            if e.kind == 'func':
                self.func(e.index)
            elif e.kind == 'global':
                self.global_(e.index)
            elif e.kind == 'tag':
                self.tag(e.index)
        if m.start is not None:
            self.func(m.start)
        for t in m.tables:
            self.val(t.type.elem)
            self.code(t.init)
        for el in m.elements:
            self.val(el.type)
            if el.mode != 'declarative':
                for f in el.funcs or ():
                    self.func(f)
            for x in el.exprs or ():
                self.code(x)
            self.code(el.offset)
        for d in m.datas:
            self.code(d.offset)

    # -- following
    def _visit_func(self, idx: int) -> None:
        if idx < self.n_func_imports:
            self.type(self.m.imports.of_kind('func')[idx].desc)
            return
        f = self.m.funcs.entries[idx - self.n_func_imports]
        self.type(f.type)
        for vt in f.locals:
            self.val(vt)
        self.code(f.body)

    def _visit_global(self, idx: int) -> None:
        n = self.m.imports.count('global')
        if idx < n:
            self.val(self.m.imports.of_kind('global')[idx].desc.type)
            return
        g = self.m.globals.entries[idx - n]
        self.val(g.type.type)
        self.code(g.init)

    def _visit_tag(self, idx: int) -> None:
        n = self.m.imports.count('tag')
        self.type(self.m.imports.of_kind('tag')[idx].desc if idx < n else self.m.tags.entries[idx - n].type)

    def _visit_type(self, idx: int) -> None:
        sub = self.m.types.defs[idx]
        for s in sub.supers:
            self.type(s)
        c = sub.comp
        if isinstance(c, FuncType):
            for vt in c.params + c.results:
                self.val(vt)
        elif isinstance(c, StructType):
            for f in c.fields:
                self.val(f.storage)
        elif isinstance(c, ArrayType):
            self.val(c.field.storage)
        elif isinstance(c, ContType):
            self.type(c.func_type)


# ---- the smaller module -----------------------------------------------------------------------------

class _Rebuild:
    def __init__(self, m: Module, live: _Live):
        self.m, self.live = m, live
        n = self.module = Module()
        self.types = {old: new for new, old in enumerate(sorted(live.types))}
        for gi, group in enumerate(m.types.groups):
            first = live._group_first[gi]
            kept = tuple(self.sub(s) for t, s in enumerate(group.types, first) if t in live.types)
            if kept:
                n.types.add_group(RecGroup(kept, group.explicit))
        # old index -> the new module's handle (a Function for a defined function), as codegen's are
        self.funcs, self.globals, self.tags = {}, {}, {}
        counts = {'func': 0, 'table': 0, 'memory': 0, 'global': 0, 'tag': 0}
        space = {'func': self.funcs, 'global': self.globals, 'tag': self.tags}
        for imp in m.imports:
            old = counts[imp.kind]
            counts[imp.kind] += 1
            if imp.kind == 'func' and old not in live.funcs:
                continue
            h = n.imports.add(Import(imp.module, imp.field, imp.kind, self.desc(imp)))
            if imp.kind in space:
                space[imp.kind][old] = h
        # every kept entity gets its handle before any code is rewritten (code refers forward)
        base = counts['func']
        kept = [f for f in m.funcs.entries if base + f.pos in live.funcs]
        for f in kept:
            self.funcs[base + f.pos] = n.funcs.add(self.types[f.type])
        kept_globals = [(counts['global'] + i, g) for i, g in enumerate(m.globals.entries)
                        if counts['global'] + i in live.globals]
        for old, g in kept_globals:
            self.globals[old] = n.globals.add(self.val(g.type.type), [], g.type.mutable)
        for i, t in enumerate(m.tags.entries):
            if counts['tag'] + i in live.tags:
                self.tags[counts['tag'] + i] = n.tags.add(self.types[t.type])
        for f in kept:
            g = self.funcs[base + f.pos]
            g.locals = [self.val(t) for t in f.locals]
            g.fx_name = f.fx_name
            g.body = self.code(_live_code(f.body))
            if f.local_runs is not None:
                g.local_runs = [(c, self.val(t)) for c, t in f.local_runs]
        for i, (old, g) in enumerate(kept_globals):
            n.globals.entries[i].init = self.code(g.init)
        for t in m.tables:
            n.tables.entries.append(Table(TableType(self.val(t.type.elem), t.type.limits), self.code(t.init)))
        n.memories.entries.extend(m.memories.entries)
        for e in m.exports:
            idx = {'func': self.funcs, 'global': self.globals, 'tag': self.tags}.get(e.kind)
            n.exports.entries.append(Export(e.name, e.kind, e.index if idx is None
                                            else idx[operator.index(e.index)]))
        n.start = None if m.start is None else self.funcs[operator.index(m.start)]
        for el in m.elements:
            funcs = None
            if el.funcs is not None:
                funcs = [self.funcs[operator.index(f)] for f in el.funcs if operator.index(f) in self.funcs]
            n.elements.entries.append(Element(el.mode, self.val(el.type), funcs,
                                              None if el.exprs is None else [self.code(x) for x in el.exprs],
                                              el.table, self.code(el.offset)))
        n.data_count = m.data_count
        n.datas.entries.extend(type(d)(d.mode, d.data, d.mem, self.code(d.offset)) for d in m.datas)
        n.customs = list(m.customs)
        n.keep_empty = set(m.keep_empty)
        self._names()

    # -- types
    def val(self, vt):
        if isinstance(vt, RefType) and isinstance(vt.heap, int):
            return RefType(self.types[vt.heap], vt.nullable)
        return vt

    def sub(self, s: SubType) -> SubType:
        return _map_sub(s, self.types.__getitem__)

    def desc(self, imp: Import):
        if imp.kind in ('func', 'tag'):
            return self.types[operator.index(imp.desc)]
        if imp.kind == 'table':
            return TableType(self.val(imp.desc.elem), imp.desc.limits)
        if imp.kind == 'global':
            return GlobalType(self.val(imp.desc.type), imp.desc.mutable)
        return imp.desc

    # -- code
    def code(self, instrs):
        if instrs is None:
            return None
        named, imm = _NAMED, self.imm
        out = []
        for ins in instrs:
            kinds = named[ins.op]
            if kinds is not None:
                ins = Instr(ins.op, tuple([imm(k, v) for k, v in zip(kinds, ins.imms)]), ins.loc)
            out.append(ins)
        return out

    def imm(self, kind, v):
        if kind == 'func':
            return self.funcs[operator.index(v)]
        if kind == 'global':
            return self.globals[operator.index(v)]
        if kind == 'tag':
            return self.tags[operator.index(v)]
        if kind == 'type':
            return self.types[operator.index(v)]
        if kind == 'heap':
            return v if isinstance(v, str) else self.types[v]
        if kind == 'bt':
            return self.types[v] if isinstance(v, int) else self.val(v)
        if kind == 'reftype':
            return self.val(v)
        if kind == 'valtypes':
            return tuple(self.val(t) for t in v)
        if kind in ('catches', 'handlers'):
            return tuple((c[0], self.tags[operator.index(c[1])]) + tuple(c[2:])
                         if c[0] in ('catch', 'catch_ref', 'on', 'switch') else c for c in v)
        return v

    # -- the name section
    def _names(self) -> None:
        old, new = self.m.names, self.module.names
        new.module = old.module
        new.unknown = list(old.unknown)

        def remap(src: dict, mapping: dict | None, dst: dict, copy=False):
            for k, v in src.items():
                i = operator.index(k)
                if mapping is None:
                    dst[i] = dict(v) if copy else v
                elif i in mapping:
                    dst[mapping[i]] = dict(v) if copy else v
        remap(old.funcs, self.funcs, new.funcs)
        remap(old.locals, self.funcs, new.locals, copy=True)
        # label names number the blocks of a body; dropping dead code may remove blocks, so keep them only
        # for bodies left as they were
        for k, v in old.labels.items():
            i = operator.index(k)
            if i in self.funcs and not self._changed(i):
                new.labels[self.funcs[i]] = dict(v)
        remap(old.types, self.types, new.types)
        remap(old.fields, self.types, new.fields, copy=True)
        remap(old.globals, self.globals, new.globals)
        remap(old.tags, self.tags, new.tags)
        for attr in ('tables', 'memories', 'elems', 'datas'):
            remap(getattr(old, attr), None, getattr(new, attr))

    def _changed(self, idx: int) -> bool:
        n = self.live.n_func_imports
        return idx >= n and len(self.funcs[idx].body) != len(self.m.funcs.entries[idx - n].body)


def _map_sub(s: SubType, f) -> SubType:
    """`s` with every type index t it holds replaced by f(t)."""
    def val(vt):
        return RefType(f(vt.heap), vt.nullable) if isinstance(vt, RefType) and isinstance(vt.heap, int) else vt
    c = s.comp
    if isinstance(c, FuncType):
        c = FuncType(tuple(val(t) for t in c.params), tuple(val(t) for t in c.results))
    elif isinstance(c, StructType):
        c = StructType(tuple(Field(val(x.storage), x.mutable) for x in c.fields))
    elif isinstance(c, ArrayType):
        c = ArrayType(Field(val(c.field.storage), c.field.mutable))
    elif isinstance(c, ContType):
        c = ContType(f(c.func_type))
    return SubType(c, tuple(f(t) for t in s.supers), s.final)


def _live_code(body: list) -> list:
    """`body` without the instructions between an unconditional transfer and the end of its block (or the
    `else`/`catch` that starts the next part of it)."""
    last = len(body) - 1
    for i, ins in enumerate(body):
        if ins.op in _TERMINAL and i < last and body[i + 1].op not in _CLOSERS:
            break
    else:
        return body                # the usual case: nothing dead
    out, skip_from = [], None      # skip_from: block depth at which code is dead, None when live
    depth = 0
    for ins in body:
        op = ins.op
        if skip_from is not None:
            if op in opcodes.BLOCK_OPS:
                depth += 1
                continue
            if op in opcodes.MIDDLE_OPS and depth == skip_from:
                skip_from = None
                out.append(ins)
                continue
            if op in opcodes.END_OPS:
                if depth == skip_from:
                    skip_from = None
                    depth -= 1
                    out.append(ins)
                else:
                    depth -= 1
                continue
            continue
        out.append(ins)
        if op in opcodes.BLOCK_OPS:
            depth += 1
        elif op in opcodes.END_OPS:
            depth -= 1
        elif op in _TERMINAL:
            skip_from = depth
    return out


__all__ = ['prune']
