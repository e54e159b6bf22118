// A binary search tree of ints: insert, in-order traversal, height, and a sum via a closure visitor.
enum Tree { Leaf, Node(Tree, int, Tree) }

fn insert(t: Tree, v: int) -> Tree {
    match t {
        Tree::Leaf => Tree::Node(Tree::Leaf, v, Tree::Leaf),
        Tree::Node(l, x, r) => {
            if v < x { Tree::Node(insert(l, v), x, r) }
            else if v > x { Tree::Node(l, x, insert(r, v)) }
            else { t }
        }
    }
}

fn visit(t: Tree, f: fn(int) -> unit) {
    match t {
        Tree::Leaf => {},
        Tree::Node(l, x, r) => { visit(l, f); f(x); visit(r, f); }
    }
}

fn height(t: Tree) -> int {
    match t {
        Tree::Leaf => 0,
        Tree::Node(l, _, r) => {
            let a = height(l);
            let b = height(r);
            1 + if a > b { a } else { b }
        }
    }
}

fn main() {
    let mut t = Tree::Leaf;
    let mut seed = 7;
    let mut i = 0;
    while i < 40 {
        seed = (seed * 7919 + 13) % 1009;
        t = insert(t, seed);
        i += 1;
    }
    let mut out = "";
    let mut count = 0;
    let mut sum = 0;
    visit(t, |x| { if count < 10 { out = out + str(x) + " "; } count += 1; sum += x; });
    println("first ten in order: " + out);
    println("distinct keys: " + str(count));
    println("sum: " + str(sum));
    println("height: " + str(height(t)));
}
