"""Records, enums with payloads, match, growable arrays."""


def test_struct_literal_field_access_and_update(run):
    src = """
    struct Point { x: int, y: int }
    struct Rect { lo: Point, hi: Point, label: str }
    fn area(r: Rect) -> int { (r.hi.x - r.lo.x) * (r.hi.y - r.lo.y) }
    fn main() {
        let r = Rect { label: "box", hi: Point { y: 5, x: 4 }, lo: Point { x: 1, y: 1 } };
        println(area(r));
        r.hi.x = 11;
        r.lo.y += 2;
        println(area(r));
        println(r.label);
    }"""
    assert run(src) == "12\n20\nbox\n"


def test_struct_fields_evaluated_in_source_order(run):
    src = """
    struct P { a: int, b: int }
    fn note(s: str, v: int) -> int { print(s); v }
    fn main() {
        let p = P { b: note("b", 2), a: note("a", 1) };
        println("");
        println(p.a * 10 + p.b);
    }"""
    assert run(src) == "ba\n12\n"


def test_structs_are_shared_references(run):
    src = """
    struct Counter { n: int }
    fn inc(c: Counter) { c.n += 1; }
    fn main() { let c = Counter { n: 0 }; inc(c); inc(c); println(c.n); }"""
    assert run(src) == "2\n"


def test_enum_match_with_payloads(run):
    src = """
    enum Shape { Circle(float), Rect(float, float), Dot }
    fn area(s: Shape) -> float {
        match s {
            Circle(r) => 3.0 * r * r,
            Rect(w, h) => w * h,
            Dot => 0.0,
        }
    }
    fn main() {
        println(area(Circle(2.0)));
        println(area(Shape::Rect(2.0, 4.5)));
        println(area(Dot));
        let shapes = [Dot, Circle(1.0), Rect(1.0, 2.0)];
        let mut total = 0.0;
        let mut i = 0;
        while i < len(shapes) { total += area(shapes[i]); i += 1; }
        println(total);
    }"""
    assert run(src) == "12.0\n9.0\n0.0\n5.0\n"


def test_match_guards_literals_and_nested_patterns(run):
    src = """
    enum Opt { Some(int), None }
    enum Pair { P(Opt, Opt) }
    fn describe(p: Pair) -> str {
        match p {
            P(Some(0), _) => "zero first",
            P(Some(a), Some(b)) if a == b => "same " + str(a),
            P(Some(a), Some(b)) => "both " + str(a + b),
            P(None, Some(_)) => "second only",
            P(_, None) => "no second",
        }
    }
    fn word(n: int) -> str { match n { 1 => "one", 2 => "two", _ => "many" } }
    fn flag(b: bool) -> int { match b { true => 1, false => 0 } }
    fn main() {
        println(describe(P(Some(0), None)));
        println(describe(P(Some(3), Some(3))));
        println(describe(P(Some(3), Some(4))));
        println(describe(P(None, Some(4))));
        println(describe(P(Some(5), None)));
        println(word(1) + word(2) + word(7));
        println(flag(true) + flag(false));
        println(match "b" { "a" => 1, "b" => 2, _ => 3 });
        println(match 2.5 { 2.5 => "x", _ => "y" });
    }"""
    assert run(src) == ("zero first\nsame 3\nboth 7\nsecond only\nno second\nonetwomany\n1\n2\nx\n")


def test_match_binding_whole_value(run):
    src = """
    enum E { A(int), B }
    fn f(e: E) -> int { match e { A(n) => n, other => 99 } }
    fn main() { println(f(A(4))); println(f(B)); }"""
    assert run(src) == "4\n99\n"


def test_recursive_and_mutually_recursive_types(run):
    src = """
    struct Node { value: int, children: [Tree] }
    enum Tree { Leaf, Branch(Node) }
    fn total(t: Tree) -> int {
        match t {
            Leaf => 0,
            Branch(n) => {
                let mut s = n.value;
                let mut i = 0;
                while i < len(n.children) { s += total(n.children[i]); i += 1; }
                s
            }
        }
    }
    fn main() {
        let t = Branch(Node { value: 1, children: [Leaf, Branch(Node { value: 5, children: [] }),
                                                  Branch(Node { value: 10, children: [Leaf] })] });
        println(total(t));
    }"""
    assert run(src) == "16\n"


def test_array_literal_index_push_pop_len(run):
    src = """
    fn main() {
        let xs = [10, 20, 30];
        println(len(xs));
        xs[1] = 21;
        xs[2] += 5;
        let mut i = 0;
        while i < 100 { push(xs, i); i += 1; }
        println(len(xs));
        println(xs[0] + xs[1] + xs[2] + xs[102]);
        println(pop(xs));
        println(len(xs));
        let empty: [str] = [];
        push(empty, "x");
        push(empty, "y");
        println(empty[0] + empty[1]);
        let grid = [[1, 2], [3]];
        push(grid[1], 4);
        println(grid[1][1]);
    }"""
    assert run(src) == "3\n103\n165\n99\n102\nxy\n4\n"


def test_arrays_of_floats_bools_and_structs(run):
    src = """
    struct P { x: float }
    fn main() {
        let fs = [1.5, 2.5];
        push(fs, 3.0);
        println(fs[0] + fs[1] + fs[2]);
        let bs = [true];
        push(bs, false);
        println(bs[1]);
        let ps: [P] = [];
        push(ps, P { x: 0.5 });
        push(ps, P { x: 1.5 });
        ps[1].x *= 2.0;
        println(ps[0].x + ps[1].x);
    }"""
    assert run(src) == "7.0\nfalse\n3.5\n"


def test_recursive_enum_list(run):
    src = """
    enum List { Cons(int, List), Nil }
    fn sum(l: List) -> int { match l { Cons(h, t) => h + sum(t), Nil => 0 } }
    fn build(n: int) -> List { let mut l = Nil; let mut i = 1; while i <= n { l = Cons(i, l); i += 1; } l }
    fn show(l: List) -> str {
        match l { Cons(h, Nil) => str(h), Cons(h, t) => str(h) + "," + show(t), Nil => "" }
    }
    fn main() { println(sum(build(100))); println(show(build(4))); }"""
    assert run(src) == "5050\n4,3,2,1\n"


def test_index_operands_evaluated_before_a_push_that_grows_the_array(run):
    src = """
    fn grow(xs: [int], v: int) -> int { let mut i = 0; while i < 10 { push(xs, i); i += 1; } v }
    fn last(xs: [int]) -> int { push(xs, 77); len(xs) - 1 }
    fn main() {
        let xs = [1, 2, 3];
        xs[0] = grow(xs, 40);
        xs[1] += grow(xs, 5);
        println(str(xs[0]) + " " + str(xs[1]) + " " + str(len(xs)));
        println(xs[last(xs)]);
    }"""
    assert run(src) == "40 7 23\n77\n"


def test_qualified_nullary_variant_and_constructor_in_lambda(run):
    src = """
    enum Opt { Some(int), None }
    fn apply(f: fn(int) -> Opt, x: int) -> Opt { f(x) }
    fn main() {
        let o = apply(|x| Some(x), 3);
        let n = Opt::None;
        println(match o { Some(v) => v, None => 0 });
        println(match n { Some(v) => v, Opt::None => 9 });
    }"""
    assert run(src) == "3\n9\n"
