fn empty[T]() -> [T] { [] }
fn main() {
    let xs = empty(); // E:14: cannot infer the type argument T of 'empty'; add a type annotation
}
