// The demo program: a closure counter, a record, an enum and some strings.
struct Point { x: float, y: float }

enum Shape { Circle(float), Rect(float, float) }

fn area(s: Shape) -> float {
    match s {
        Shape::Circle(r) => 3.14159 * r * r,
        Shape::Rect(w, h) => w * h,
    }
}

fn make_counter() -> fn() -> int {
    let mut n = 0;
    || { n += 1; n }
}

fn main() {
    println("hello from fx");
    let next = make_counter();
    next(); next();
    println("counter: " + str(next()));
    let p = Point { x: 1.5, y: -2.0 };
    println("point: (" + str(p.x) + ", " + str(p.y) + ")");
    let shapes = [Shape::Circle(1.0), Shape::Rect(2.0, 3.5)];
    let mut total = 0.0;
    let mut i = 0;
    while i < len(shapes) {
        total = total + area(shapes[i]);
        i += 1;
    }
    println("total area: " + str(total));
}
