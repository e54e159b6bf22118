// for over arrays and ranges, struct patterns, assignments as match arms.
struct Point { x: int, y: int }
struct Pair[A, B] { first: A, second: B }
enum Shape { Circle(Point, int), Rect(Point, Point) }

fn describe(s: Shape) -> str {
    match s {
        Circle(Point { x: 0, y: 0 }, r) => "circle of radius " + str(r) + " at the origin",
        Circle(Point { x, y }, r) => "circle of radius " + str(r) + " at " + str(x) + "," + str(y),
        Rect(Point { x: x1, .. }, Point { x: x2, .. }) => "rect of width " + str(x2 - x1),
    }
}

fn main() {
    let shapes = [Circle(Point { x: 0, y: 0 }, 2), Circle(Point { x: 3, y: 4 }, 1),
                  Rect(Point { x: 1, y: 1 }, Point { x: 6, y: 2 })];
    for s in shapes { println(describe(s)); }

    // ranges: lo..hi, hi excluded; continue and break work as in while
    let mut evens = "";
    for i in 0..10 {
        if i % 2 == 1 { continue; }
        if i > 6 { break; }
        evens = evens + str(i) + " ";
    }
    println(evens);

    // each iteration has its own binding: closures see their own value
    let fs: [fn() -> int] = [];
    for i in 1..4 { push(fs, || i * i); }
    let mut squares = "";
    for f in fs { squares = squares + str(f()) + " "; }
    println(squares);

    // statements as match arms
    let mut last = -1;
    let mut nones = 0;
    for o in [Some(3), None, Some(8), None] {
        match o { Some(v) => last = v, None => nones += 1 }
    }
    println(str(last) + " " + str(nones));

    let pairs = [Pair { first: "a", second: 1 }, Pair { first: "b", second: 0 }];
    for p in pairs {
        match p {
            Pair { second: 0, first } => println(first + " is zero"),
            Pair { first, second } => { println(first + " = " + str(second)); }
        }
    }

    // float % is x - y * trunc(x / y): the result has the sign of the dividend, like int %
    println(7.5 % 2.0);
    println(-7.5 % 2.0);
    println(7 % -3);
}
