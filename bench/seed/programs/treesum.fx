// treesum (wasmfx/fiber-c examples/treesum.c): a generator walks a complete binary tree of the given height
// recursively (the yield is `height` calls deep) and a loop adds up the leaves. As in C, a node's two
// subtrees are one shared subtree; the leaf values are their depth. Checksum: height * 2^height.
// bench/seed/run.py sets the number marked PARAM (fx has no program input).
enum Tree { Leaf(int), Fork(Tree, Tree) }

fn build(height: int, val: int) -> Tree {
    if height == 0 { Leaf(val) } else { let sub = build(height - 1, val + 1); Fork(sub, sub) }
}

fn walk(t: Tree) {
    match t {
        Leaf(v) => { yield v; },
        Fork(l, r) => { walk(l); walk(r); },
    }
}

fn leaves(t: Tree) -> Gen[int] { walk(t); }

fn main() {
    let height = 25; // PARAM height
    let tree = build(height, 0);
    let mut sum = 0;
    for v in leaves(tree) {
        sum += v;
    }
    println("treesum " + str(sum));
}
