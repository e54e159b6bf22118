struct Point { x: int, y: int }
fn main() {
    let p = Point { x: 1 }; // E:13: missing field 'y' in Point literal
}
