// A tree walk generator. `walk` is a plain recursive function that yields (stackful: its effect set is
// {yield int}), so the generator is just `walk(t)`; no explicit stack, unlike Python/JS generators.
enum Tree { Leaf, Node(Tree, int, Tree) }

fn insert(t: Tree, v: int) -> Tree {
    match t {
        Leaf => Node(Leaf, v, Leaf),
        Node(l, x, r) => if v < x { Node(insert(l, v), x, r) } else { Node(l, x, insert(r, v)) },
    }
}

fn walk(t: Tree) {
    match t {
        Leaf => {}
        Node(l, x, r) => {
            walk(l);
            yield x;
            walk(r);
        }
    }
}

fn inorder(t: Tree) -> Gen[int] {
    walk(t);
}

fn depth_first(t: Tree, depth: int) {
    match t {
        Leaf => {}
        Node(l, x, r) => {
            yield depth * 1000 + x;
            depth_first(l, depth + 1);
            depth_first(r, depth + 1);
        }
    }
}

fn preorder(t: Tree) -> Gen[int] {
    depth_first(t, 0);
}

fn main() {
    let keys = [50, 30, 70, 20, 40, 60, 80, 35, 45, 65];
    let mut t = Leaf;
    let mut i = 0;
    while i < len(keys) { t = insert(t, keys[i]); i += 1; }

    let mut line = "";
    let mut count = 0;
    let mut sum = 0;
    for x in inorder(t) {
        line = line + str(x) + " ";
        count += 1;
        sum += x;
    }
    println("in order: " + line);
    println("count " + str(count) + ", sum " + str(sum));

    for x in inorder(t) {
        if x > 42 {
            println("first key above 42: " + str(x));
            break;
        }
    }

    for x in preorder(t) {
        println("depth " + str(x / 1000) + ": " + str(x % 1000));
    }
}
