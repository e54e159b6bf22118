"""Small run-time entities: globals, tags, functions, exception packets and tail-call markers."""

from __future__ import annotations

from ..errors import Trap


class Global:
    """A global instance. `value` is in the VM's internal representation (i32/i64 unsigned);
    `get()`/`set()` speak the API representation (signed ints)."""

    __slots__ = ('type', 'mutable', 'value', '__weakref__')

    def __init__(self, type, mutable: bool = False, value=None, *, internal: bool = False):
        from .values import to_internal
        self.type = type
        self.mutable = mutable
        self.value = value if internal else to_internal(type, value)

    def get(self):
        from .values import to_api
        return to_api(self.type, self.value)

    def set(self, v) -> None:
        from .values import to_internal
        if not self.mutable:
            # translated code may have folded the value of an immutable global into constants
            raise Trap('cannot set an immutable global')
        self.value = to_internal(self.type, v)

    def __repr__(self) -> str:
        return f'<Global {self.type} {"mut " if self.mutable else ""}{self.value!r}>'


class Tag:
    """A tag instance; identity is what `catch`, `on $t` clauses and imports compare."""

    __slots__ = ('type', 'name', 'np', 'p', '__weakref__')

    def __init__(self, type, name: str | None = None):
        self.type = type      # DefType of a function type, or a FuncType for host-made tags
        self.name = name
        self.np = len(self.functype.params)
        # the payload of the suspension in flight with this tag (vm/runtime/cont.py): its one value,
        # or a tuple of them
        self.p = None

    @property
    def functype(self):
        t = self.type
        return getattr(t, 'composite', t)

    def __repr__(self) -> str:
        return f'<Tag ${self.name}>' if self.name else '<Tag>'


class Func:
    """A function instance.

    plain        Python callable over internal values (returns None / value / tuple of values)
    gen          generator-function flavour (only when `may_suspend`), used inside continuations
    tplain       entry that may return a TailCall marker (== plain unless the function has return_call)
    dtype        canonical DefType (None for host functions made without one)
    """

    __slots__ = ('plain', 'gen', 'tplain', 'may_suspend', 'dtype', 'name', 'nres', 'host', 'index',
                 '__weakref__')

    def __init__(self, plain, dtype=None, name='?', gen=None, tplain=None, nres=0, host=False):
        self.plain = plain
        self.gen = gen
        self.tplain = tplain or plain
        self.may_suspend = gen is not None
        self.dtype = dtype
        self.name = name
        self.nres = nres
        self.host = host

    @property
    def functype(self):
        return self.dtype.composite if self.dtype is not None else None

    def __call__(self, *args):
        """Call from the host with API values (signed ints); returns None, a value or a tuple."""
        from ..exec.engine import call_func
        return call_func(self, args)

    def __repr__(self) -> str:
        return f'<Func {self.name}>'


class TailCall:
    """Returned by a function for `return_call*`: the trampoline in its caller-facing entry runs it."""

    __slots__ = ('func', 'args')

    def __init__(self, func, args):
        self.func = func
        self.args = args


class WasmExn(Exception):
    """A Wasm exception in flight; the object itself is the exnref value."""

    __slots__ = ('tag', 'values')

    def __init__(self, tag, values):
        self.tag = tag
        self.values = values

    def __repr__(self) -> str:
        return f'<exn {self.tag!r} {self.values!r}>'


def trap(msg: str):
    raise Trap(msg)
