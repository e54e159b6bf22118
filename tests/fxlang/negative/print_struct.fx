struct Point { x: int }
fn main() {
    println(Point { x: 1 }); // E:13: 'println' cannot be applied to Point
}
