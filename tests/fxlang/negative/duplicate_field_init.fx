struct Point { x: int, y: int }
fn main() {
    let p = Point { x: 1, y: 2, x: 3 }; // E:33: field 'x' is given twice
}
