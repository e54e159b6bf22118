fn nest[T](x: T, n: int) -> int {
    if n == 0 { 0 } else { nest([x], n - 1) } // E:28: generic function 'nest' is instantiated with ever larger type arguments (polymorphic recursion cannot be monomorphised)
}
fn main() { println(nest(1, 3)); }
