"""A function body as a tree of structured constructs, with branch labels pointing at constructs.

`fxlang.wasm` keeps a body as a flat instruction list whose labels are relative depths.  The rewrite inserts
blocks around code, which shifts every depth that crosses them; so it works on this tree instead, where a
label is the construct it names (or FUNCTION, the function body), and `Emitter` turns labels back into depths
against whatever blocks are open when an instruction is emitted.

    parse(body) -> list[Node]          Node = Leaf | Construct
    Emitter().emit(...) / open(...) / close() / target depth of a label
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fxlang.wasm import Instr, RefType
from fxlang.wasm import opcodes

FUNCTION = 'function'          # the label of the function body (branching to it returns)

_LABEL_KINDS = {name: op.kinds for name, op in opcodes.OPS.items()}


@dataclass(eq=False)
class Leaf:
    index: int                 # position in the original flat body
    instr: Instr               # label immediates replaced by targets (Construct | FUNCTION)


@dataclass(eq=False)
class Construct:
    index: int                 # position of the opening instruction
    instr: Instr               # the opening instruction (try_table clauses: labels replaced by targets)
    body: list = field(default_factory=list)
    else_body: list | None = None           # `if` only
    handlers: list = field(default_factory=list)   # legacy `try`: [(catch Instr, index, body)]
    end: int = -1               # index of the closing end/delegate
    closing: Instr | None = None            # the closing instruction (`delegate` keeps its target)

    @property
    def op(self) -> str:
        return self.instr.op


def _map_labels(instr: Instr, resolve) -> Instr:
    """`instr` with every label immediate passed through `resolve` (depth -> target)."""
    kinds = [k for k in _LABEL_KINDS[instr.op] if k != 'castflags']
    if not any(k in ('label', 'labels', 'catches', 'handlers') for k in kinds):
        return instr
    imms = []
    for kind, imm in zip(kinds, instr.imms):
        if kind == 'label':
            imm = resolve(imm)
        elif kind == 'labels':
            imm = tuple(resolve(d) for d in imm)
        elif kind in ('catches', 'handlers'):
            imm = tuple(_map_clause(c, resolve) for c in imm)
        imms.append(imm)
    return Instr(instr.op, tuple(imms), instr.loc)


def _map_clause(c: tuple, resolve) -> tuple:
    if c[0] in ('catch', 'catch_ref', 'on'):
        return (c[0], c[1], resolve(c[2]))
    if c[0] in ('catch_all', 'catch_all_ref'):
        return (c[0], resolve(c[1]))
    return c                   # ('switch', tag)


def parse(body: list) -> list:
    """The flat body as a tree; labels become targets."""
    top: list = []
    stack: list[Construct] = []           # open constructs, innermost last
    seqs: list[list] = [top]              # the sequence being filled at each level

    def resolve(depth):
        depth = int(depth)
        return stack[-1 - depth] if depth < len(stack) else FUNCTION

    for i, ins in enumerate(body):
        op = ins.op
        if op in opcodes.BLOCK_OPS:
            # try_table's clauses are resolved outside the block it opens
            node = Construct(i, _map_labels(ins, resolve))
            seqs[-1].append(node)
            stack.append(node)
            seqs.append(node.body)
        elif op == 'else':
            seqs[-1] = stack[-1].else_body = []
        elif op in ('catch', 'catch_all'):
            handler: list = []
            stack[-1].handlers.append((ins, i, handler))
            seqs[-1] = handler
        elif op in opcodes.END_OPS:
            node = stack.pop()
            seqs.pop()
            node.end = i
            # `delegate`'s label counts from outside the try it closes
            node.closing = _map_labels(ins, resolve) if op == 'delegate' else ins
        else:
            seqs[-1].append(Leaf(i, _map_labels(ins, resolve)))
    if stack:
        raise ValueError('unbalanced function body')
    return top


def walk(nodes: list):
    """Every node of a tree, in body order (pre-order)."""
    for n in nodes:
        yield n
        if isinstance(n, Construct):
            yield from walk(n.body)
            if n.else_body is not None:
                yield from walk(n.else_body)
            for _, _, h in n.handlers:
                yield from walk(h)


class Emitter:
    """Builds a flat body; open labels are tracked so that targets become relative depths."""

    def __init__(self):
        self.out: list[Instr] = []
        self.open_labels: list = []        # innermost last: Construct | a fresh object for new blocks
        self.loc = None                    # source location of the last original instruction (source map)

    def depth(self, target) -> int:
        if target is FUNCTION:
            return len(self.open_labels)
        for d, lbl in enumerate(reversed(self.open_labels)):
            if lbl is target:
                return d
        raise ValueError('branch to a label that is not open')

    def resolve(self, instr: Instr) -> Instr:
        """Targets in `instr`'s label immediates back to depths (in the current context)."""
        kinds = [k for k in _LABEL_KINDS[instr.op] if k != 'castflags']
        if not any(k in ('label', 'labels', 'catches', 'handlers') for k in kinds):
            return instr
        imms = []
        for kind, imm in zip(kinds, instr.imms):
            if kind == 'label':
                imm = self.depth(imm)
            elif kind == 'labels':
                imm = tuple(self.depth(t) for t in imm)
            elif kind in ('catches', 'handlers'):
                imm = tuple(_map_clause(c, self.depth) for c in imm)
            imms.append(imm)
        return Instr(instr.op, tuple(imms), instr.loc)

    def emit(self, op: str, *imms) -> None:
        """Emit an instruction given with plain immediates (depths, not targets).  A cast or test to a
        RefType picks the opcode for its nullability, as fxlang.wasm's builder does."""
        if op in ('ref.cast', 'ref.test') and len(imms) == 1 and isinstance(imms[0], RefType):
            op, imms = (op + '_null' if imms[0].nullable else op), (imms[0].heap,)
        self.out.append(Instr(op, imms, self.loc))

    def instr(self, instr: Instr) -> None:
        """Emit an instruction whose label immediates are targets; the code emitted around it until the
        next one takes its source location."""
        if instr.loc is not None:
            self.loc = instr.loc
        self.out.append(self.resolve(instr))

    def open(self, instr: Instr, label) -> None:
        """Emit a block-opening instruction (labels already targets) and open `label` for its body."""
        self.out.append(self.resolve(instr))
        self.open_labels.append(label)

    def block(self, op: str, bt, label=None):
        """Open a new block of kind `op` with block type `bt`; returns its label object."""
        label = label if label is not None else object()
        self.out.append(Instr(op, (bt,)))
        self.open_labels.append(label)
        return label

    def close(self, instr: Instr | None = None) -> None:
        """Close the innermost block; `instr` (default `end`) is resolved outside it (`delegate`)."""
        self.open_labels.pop()
        self.out.append(self.resolve(instr) if instr is not None else Instr('end', ()))

    def middle(self, op: str = 'else') -> None:
        self.out.append(Instr(op, ()))
