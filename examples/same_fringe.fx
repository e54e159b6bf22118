// Same fringe: do two trees of different shapes have the same leaves, left to right? Two generators are
// pulled in lockstep with `next`, so the comparison stops at the first difference without flattening
// either tree; the generators still suspended at that point are cancelled.
enum Tree { Leaf(int), Node(Tree, Tree) }

let mut visited = 0;

fn fringe(t: Tree) {
    match t {
        Leaf(x) => {
            visited += 1;
            yield x;
        }
        Node(l, r) => {
            fringe(l);
            fringe(r);
        }
    }
}

fn leaves(t: Tree) -> Gen[int] {
    fringe(t);
}

fn same_fringe(a: Tree, b: Tree) -> bool {
    let ga = leaves(a);
    let gb = leaves(b);
    loop {
        match next(ga) {
            Some(x) => match next(gb) {
                Some(y) => {
                    if x != y {
                        println("  first difference: " + str(x) + " vs " + str(y));
                        cancel(ga);
                        cancel(gb);
                        return false;
                    }
                }
                None => {
                    cancel(ga);
                    return false;
                }
            },
            None => match next(gb) {
                Some(_) => {
                    cancel(gb);
                    return false;
                }
                None => { return true; }
            },
        }
    }
}

fn report(name: str, a: Tree, b: Tree) {
    visited = 0;
    let same = same_fringe(a, b);
    println(name + ": " + str(same) + " (" + str(visited) + " leaves visited)");
}

fn main() {
    let a = Node(Node(Leaf(1), Leaf(2)), Node(Leaf(3), Node(Leaf(4), Leaf(5))));
    let b = Node(Leaf(1), Node(Node(Leaf(2), Leaf(3)), Node(Leaf(4), Leaf(5))));
    let c = Node(Node(Leaf(1), Leaf(2)), Node(Leaf(9), Node(Leaf(4), Leaf(5))));
    let d = Node(Leaf(1), Node(Leaf(2), Leaf(3)));
    report("a ~ b", a, b);
    report("a ~ c", a, c);
    report("a ~ d", a, d);
    report("d ~ a", d, a);
    report("a ~ a", a, a);
}
