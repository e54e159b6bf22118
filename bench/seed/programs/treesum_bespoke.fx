// treesum, bespoke: the tree walk as an explicit iterator (a stack of the subtrees still to visit), no
// effects. Same output as treesum.fx.
enum Tree { Leaf(int), Fork(Tree, Tree) }

fn build(height: int, val: int) -> Tree {
    if height == 0 { Leaf(val) } else { let sub = build(height - 1, val + 1); Fork(sub, sub) }
}

// The next leaf value, or -1 when the walk is over; `stack` holds the subtrees still to visit.
fn next_leaf(stack: [Tree]) -> int {
    while len(stack) > 0 {
        match pop(stack) {
            Leaf(v) => { return v; },
            Fork(l, r) => { push(stack, r); push(stack, l); },
        }
    }
    -1
}

fn main() {
    let height = 25; // PARAM height
    let stack = [build(height, 0)];
    let mut sum = 0;
    loop {
        let v = next_leaf(stack);
        if v < 0 { break; }
        sum += v;
    }
    println("treesum " + str(sum));
}
