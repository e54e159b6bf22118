enum Color { Red, Green }
fn main() {
    let c = Color::Blue; // E:13: enum Color has no variant 'Blue'
}
