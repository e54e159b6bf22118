fn main() {
    let xs = []; // E:14: cannot infer the type of this array; add a type annotation
}
