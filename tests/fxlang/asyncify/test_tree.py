"""Bodies as trees with label targets: parse, then emit back, gives the same instructions (depths recomputed),
also when the emitter wraps code in new blocks."""
from __future__ import annotations

from fxlang.asyncify.tree import FUNCTION, Construct, Emitter, Leaf, parse, walk
from fxlang.wasm import Instr


def I(op, *imms):
    return Instr(op, imms)


BODY = [I("block", None), I("loop", None), I("i32.const", 1), I("br_if", 1), I("br", 0), I("end"),
        I("try_table", None, (("catch_all", 0),)), I("br", 2), I("end"), I("end"), I("return")]


def reemit(nodes, E):
    for n in nodes:
        if isinstance(n, Leaf):
            E.instr(n.instr)
        else:
            E.open(n.instr, n)
            reemit(n.body, E)
            E.close()


def test_labels_become_targets_and_back():
    tree = parse(BODY)
    block = tree[0]
    assert isinstance(block, Construct) and block.op == "block"
    loop = block.body[0]
    assert loop.body[1].instr.imms[0] is block          # br_if 1 inside the loop targets the block
    assert loop.body[2].instr.imms[0] is loop
    tt = block.body[1]
    assert tt.instr.imms[1][0][1] is block               # catch clauses resolve outside the try_table
    assert tt.body[0].instr.imms[0] is FUNCTION          # br 2 from inside leaves the function
    E = Emitter()
    reemit(tree, E)
    assert E.out == BODY
    assert len(list(walk(tree))) == 8                   # every instruction but the 3 ends


def test_a_new_block_shifts_the_depths_that_cross_it():
    tree = parse(BODY)
    E = Emitter()
    E.block("block", None)                               # wrap everything in one more block
    reemit(tree, E)
    E.close()
    assert E.out[3] == I("i32.const", 1)
    assert E.out[4] == I("br_if", 1)                     # same target, inside the new block: unchanged
    assert E.out[8] == I("br", 3)                        # to the function: one more level to cross
